package org.camelinterimap.imap;

/**
 * A server response that does not follow the grammar the command expects. The message says what
 * was expected where, with a short escaped excerpt, never the whole response (it may hold a body).
 */
public final class MalformedResponseException extends Exception {
    public MalformedResponseException(String message) {
        super(message);
    }
}
