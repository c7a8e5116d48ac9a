package org.camelinterimap.imap;

/**
 * An IMAP failure with a message a user can act on ("remote: Login failed: ...",
 * "local: server lacks required extension QRESYNC"). {@link #connectionLost()} tells whether
 * the connection is gone; {@link #broken()} whether it must not serve another command (it is
 * gone, or the server said something that leaves the state of the session unknown).
 */
public class ImapException extends Exception {
    private final boolean connectionLost;
    private final boolean broken;
    private final String serverCode;

    public ImapException(String message, boolean connectionLost, boolean broken, Throwable cause) {
        this(message, connectionLost, broken, null, cause);
    }

    /** @param serverCode the response code of the server's NO or BAD ({@code TRYCREATE}, {@code LIMIT}...), or null */
    public ImapException(String message, boolean connectionLost, boolean broken, String serverCode, Throwable cause) {
        super(message, cause);
        this.connectionLost = connectionLost;
        this.broken = broken || connectionLost;
        this.serverCode = serverCode;
    }

    public ImapException(String message, boolean connectionLost, Throwable cause) {
        this(message, connectionLost, connectionLost, cause);
    }

    public ImapException(String message) {
        this(message, false, null);
    }

    public boolean connectionLost() {
        return connectionLost;
    }

    public boolean broken() {
        return broken;
    }

    /** The response code of the refusal, upper case, or null. */
    public String serverCode() {
        return serverCode;
    }
}
