package org.camelinterimap.sync;

/**
 * A failure of one side or of the state store. {@link #fatal()} failures end the whole pass (a lost
 * connection, a broken database); the others end only the mailbox being synced. A
 * {@link #brokenConnection()} failure also means that the connection pair it came from must be
 * closed, not used again (the server said something that leaves the session's state unknown).
 */
public class SyncException extends Exception {
    private final boolean fatal;
    private final boolean brokenConnection;

    public SyncException(String message, boolean fatal, boolean brokenConnection, Throwable cause) {
        super(message, cause);
        this.fatal = fatal;
        this.brokenConnection = brokenConnection || fatal;
    }

    public SyncException(String message, boolean fatal, Throwable cause) {
        this(message, fatal, fatal, cause);
    }

    public SyncException(String message) {
        this(message, false, null);
    }

    public boolean fatal() {
        return fatal;
    }

    public boolean brokenConnection() {
        return brokenConnection;
    }
}
