package org.camelinterimap.imap;

/**
 * An IMAP failure with a message a user can act on ("remote: Login failed: ...",
 * "local: server lacks required extension QRESYNC"). {@link #connectionLost()} tells whether
 * the connection is unusable afterwards.
 */
public class ImapException extends Exception {
    private final boolean connectionLost;

    public ImapException(String message, boolean connectionLost, Throwable cause) {
        super(message, cause);
        this.connectionLost = connectionLost;
    }

    public ImapException(String message) {
        this(message, false, null);
    }

    public boolean connectionLost() {
        return connectionLost;
    }
}
