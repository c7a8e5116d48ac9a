package org.camelinterimap.sync;

/**
 * Where the sync reports what it does, in the words of interimap(1): each message names the
 * component ({@code local}, {@code remote}, {@code database}, or null) and the mailbox (or null).
 * Implementations must be thread-safe: mailboxes sync in parallel.
 */
public interface SyncLog {
    void info(String component, String mailbox, String message);

    void warn(String component, String mailbox, String message);

    void error(String component, String mailbox, String message);

    /** Whether debug messages are wanted at all. */
    default boolean debugEnabled() {
        return false;
    }

    default void debug(String component, String mailbox, String message) {
    }
}
