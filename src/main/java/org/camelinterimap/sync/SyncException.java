package org.camelinterimap.sync;

/**
 * A failure of one side or of the state store. {@link #fatal()} failures end the whole pass (a lost
 * connection, a broken database); the others end only the mailbox being synced.
 */
public class SyncException extends Exception {
    private final boolean fatal;

    public SyncException(String message, boolean fatal, Throwable cause) {
        super(message, cause);
        this.fatal = fatal;
    }

    public SyncException(String message) {
        this(message, false, null);
    }

    public boolean fatal() {
        return fatal;
    }
}
