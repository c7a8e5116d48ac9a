package org.camelinterimap.imap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Properties;

import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.util.MailLogger;

/**
 * Angus Mail's IMAP protocol plus {@code AUTHENTICATE PLAIN} with an initial response (SASL-IR,
 * RFC 4959), which saves the round trip of the empty challenge; Angus sends PLAIN without it.
 */
final class SaslIrProtocol extends IMAPProtocol {

    SaslIrProtocol(String name, String host, int port, Properties props, boolean isSSL, MailLogger logger)
            throws IOException, ProtocolException {
        super(name, host, port, props, isSSL, logger);
    }

    /**
     * Every response as a {@link RawResponse}, parsed by {@link ResponseParser} alone: Angus's
     * FETCH item parser is skipped (it would drop what it cannot parse, silently).
     */
    @Override
    public Response readResponse() throws IOException, ProtocolException {
        return new RawResponse(this);
    }

    /** Whether literals go without waiting for a continuation (LITERAL+), as {@code Argument} writes them. */
    @Override
    public boolean supportsNonSyncLiterals() {
        return super.supportsNonSyncLiterals();
    }

    /**
     * {@code AUTHENTICATE PLAIN <base64(\0user\0password)>} in one command. The credentials stay out
     * of the protocol trace unless {@code traceAuth}.
     */
    void authenticatePlainInitialResponse(String user, String password, boolean traceAuth) throws ProtocolException {
        String ir = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        boolean hide = !traceAuth && isTracing();
        if (hide) {
            traceLogger.fine("AUTHENTICATE PLAIN (initial response hidden)");
            suspendTracing();
        }
        Response[] responses;
        try {
            responses = command("AUTHENTICATE PLAIN " + ir, null);
        } finally {
            if (hide) {
                resumeTracing();
            }
        }
        notifyResponseHandlers(responses);
        Response result = responses[responses.length - 1];
        handleLoginResult(result);
        setCapabilities(result); // the tagged OK usually carries the post-login CAPABILITY
    }
}
