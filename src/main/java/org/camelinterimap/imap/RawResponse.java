package org.camelinterimap.imap;

import java.io.IOException;

import org.eclipse.angus.mail.iap.Protocol;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;

/**
 * A response as the protocol layer read it, with its bytes open to {@link ResponseParser}. It is
 * made instead of Angus Mail's {@code FetchResponse}, whose own item parser would run on every FETCH
 * and silently drop the responses it cannot parse.
 */
final class RawResponse extends IMAPResponse {
    RawResponse(Protocol p) throws IOException, ProtocolException {
        super(p);
    }

    /** The buffer holding the response from its first byte; valid up to {@link #length()}. */
    byte[] bytes() {
        return buffer;
    }

    int length() {
        return size;
    }
}
