package org.camelinterimap.sync;

/**
 * A failure of one side or of the state store. {@link #fatal()} failures end the whole pass (a lost
 * connection, a broken database); the others end only the mailbox being synced. A
 * {@link #brokenConnection()} failure also means that the connection pair it came from must be
 * closed, not used again (the server said something that leaves the session's state unknown).
 *
 * <p>Two kinds of fatal failure tell the long-running modes what to do next: a
 * {@link #connectionLost()} one is transient (the pass is retried on new connections), a
 * {@link #permanent()} one (authentication refused, a required extension missing, a certificate
 * refused) will not go away by retrying and ends a daemon.
 */
public class SyncException extends Exception {
    private final boolean fatal;
    private final boolean brokenConnection;
    private final boolean connectionLost;
    private final boolean permanent;
    private final boolean refused;

    private SyncException(String message, boolean fatal, boolean brokenConnection, boolean connectionLost,
                          boolean permanent, boolean refused, Throwable cause) {
        super(message, cause);
        this.fatal = fatal || connectionLost || permanent;
        this.brokenConnection = brokenConnection || this.fatal;
        this.connectionLost = connectionLost;
        this.permanent = permanent;
        this.refused = refused;
    }

    public SyncException(String message, boolean fatal, boolean brokenConnection, Throwable cause) {
        this(message, fatal, brokenConnection, false, false, false, cause);
    }

    public SyncException(String message, boolean fatal, Throwable cause) {
        this(message, fatal, fatal, cause);
    }

    public SyncException(String message) {
        this(message, false, null);
    }

    /** A connection that dropped or could not be made: worth another try on a new one. */
    public static SyncException connectionLost(String message, Throwable cause) {
        return new SyncException(message, true, true, true, false, false, cause);
    }

    /** A refusal that retrying will not change (authentication, missing extension, certificate). */
    public static SyncException permanent(String message, Throwable cause) {
        return new SyncException(message, true, true, false, true, false, cause);
    }

    /**
     * The target refused the messages of an APPEND (too large, over quota, content it rejects) and
     * stored none of them; the connection and the mailbox are fine.
     */
    public static SyncException refused(String message, Throwable cause) {
        return new SyncException(message, false, false, false, false, true, cause);
    }

    public boolean fatal() {
        return fatal;
    }

    public boolean brokenConnection() {
        return brokenConnection;
    }

    public boolean connectionLost() {
        return connectionLost;
    }

    public boolean permanent() {
        return permanent;
    }

    /** Whether an APPEND was refused as a whole, nothing stored (see {@link #refused(String, Throwable)}). */
    public boolean refused() {
        return refused;
    }
}
