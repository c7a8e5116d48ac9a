package org.camelinterimap.imap;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.util.MailLogger;

/**
 * Angus Mail's IMAP protocol plus {@code AUTHENTICATE PLAIN} with an initial response (SASL-IR,
 * RFC 4959), which saves the round trip of the empty challenge; Angus sends PLAIN without it. And
 * the OAuth 2.0 mechanisms, XOAUTH2 and OAUTHBEARER (RFC 7628), in {@link #authenticateOAuth}.
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

    /**
     * Several commands in one go, without waiting for each reply (RFC 9051 section 5.5); returns
     * each command's responses, its tagged completion last, as {@link #command} does for one.
     * An untagged response belongs to the oldest command not yet completed: a server that runs
     * pipelined commands one after the other answers them in that order. When the connection ends
     * (BYE, I/O error), every command not completed gets the BYE as its last response.
     *
     * <p>The arguments must hold no synchronising literal ({@link Argument} would wait for the
     * server's continuation in the middle of the pipeline, reading the earlier commands' replies):
     * the caller checks {@link ImapConnection#pipelinable}.
     */
    synchronized Response[][] pipeline(List<String> commands, List<Argument> args) {
        int n = commands.size();
        String[] tags = new String[n];
        List<List<Response>> out = new ArrayList<>();
        Response bye = null;
        int written = 0;
        for (int i = 0; i < n; i++) {
            out.add(new ArrayList<>());
            if (bye == null) {
                try {
                    tags[i] = writeCommand(commands.get(i), args.get(i));
                    written++;
                } catch (Exception e) {
                    bye = Response.byeResponse(e);
                }
            }
        }
        int oldest = 0;
        boolean[] completed = new boolean[n];
        while (oldest < written) {
            Response r;
            try {
                r = readResponse();
            } catch (IOException e) {
                if (bye == null) {
                    bye = Response.byeResponse(e);
                }
                break; // else the connection was closed after the BYE
            } catch (ProtocolException e) {
                continue; // as command() does: a response that cannot be read is skipped
            }
            if (r.isBYE()) {
                bye = r;
                continue;
            }
            int owner = oldest;
            if (r.isTagged()) {
                for (int i = oldest; i < written; i++) {
                    if (r.getTag().equals(tags[i])) {
                        owner = i;
                        completed[i] = true;
                        break;
                    }
                }
            }
            out.get(owner).add(r);
            while (oldest < written && completed[oldest]) {
                oldest++;
            }
        }
        Response[][] responses = new Response[n][];
        for (int i = 0; i < n; i++) {
            if (!completed[i]) {
                out.get(i).add(bye != null ? bye : Response.byeResponse(new IOException("no reply")));
            }
            responses[i] = out.get(i).toArray(new Response[0]);
        }
        return responses;
    }

    /** The server's last SASL error challenge (RFC 7628 section 3.2.2, decoded), or null. */
    private String saslError;

    String saslError() {
        return saslError;
    }

    /**
     * {@code AUTHENTICATE XOAUTH2} or {@code AUTHENTICATE OAUTHBEARER} with an access token: the
     * client response goes as the initial response when the server offers SASL-IR, else after the
     * server's empty continuation. When the server refuses the token it sends an error challenge (a
     * base64 JSON status) as a continuation, and waits for the client to end the exchange: OAUTHBEARER
     * wants a single %x01 (RFC 7628 section 3.2.3), XOAUTH2 an empty line; then comes the tagged NO.
     *
     * <p>Ours and not Angus Mail's {@code authoauth2}: that one knows only XOAUTH2, and it answers
     * every continuation, the error challenge included, with the credentials again, so the token would
     * cross the wire twice and the exchange end in a protocol error instead of the server's NO; it
     * also hides the whole exchange from the trace, where only the client responses are secret.
     *
     * @param host, port what OAUTHBEARER tells the server it connected to
     */
    void authenticateOAuth(String mechanism, String user, String token, String host, int port, boolean traceAuth)
            throws ProtocolException {
        String payload;
        byte[] errorReply;
        if (mechanism.equals("OAUTHBEARER")) {
            payload = "n,a=" + saslName(user) + ",\001host=" + host + "\001port=" + port + "\001auth=Bearer " + token
                    + "\001\001";
            errorReply = new byte[] {1};
        } else {
            payload = "user=" + user + "\001auth=Bearer " + token + "\001\001";
            errorReply = new byte[0];
        }
        String response = Base64.getEncoder().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        Response result = authenticate(mechanism, response, Base64.getEncoder().encodeToString(errorReply), traceAuth);
        handleLoginResult(result);
        setCapabilities(result); // the tagged OK usually carries the post-login CAPABILITY
    }

    /** RFC 5801 saslname: {@code ,} and {@code =} escaped. */
    static String saslName(String user) {
        return user.replace("=", "=3D").replace(",", "=2C");
    }

    /**
     * One AUTHENTICATE exchange with a single client response: sent as the initial response (SASL-IR)
     * or after the first continuation; a later continuation is an error challenge, answered with
     * {@code errorReply} (once; after that, {@code *} cancels, RFC 3501 section 6.2.2). The client
     * response stays out of the trace unless {@code traceAuth}. Returns the tagged (or BYE) response.
     */
    private Response authenticate(String mechanism, String response, String errorReply, boolean traceAuth)
            throws ProtocolException {
        boolean saslIr = hasCapability("SASL-IR");
        saslError = null;
        List<Response> responses = new ArrayList<>();
        Response r;
        String tag;
        try {
            if (saslIr) {
                tag = writeHidden("AUTHENTICATE " + mechanism + " ", response, traceAuth);
            } else {
                tag = writeCommand("AUTHENTICATE " + mechanism, null);
            }
        } catch (IOException e) {
            r = Response.byeResponse(e);
            notifyResponseHandlers(new Response[] {r});
            return r;
        }
        boolean sent = saslIr;
        int errorReplies = 0;
        while (true) {
            try {
                r = readResponse();
                if (r.isContinuation()) {
                    if (!sent) {
                        writeHidden(null, response, traceAuth);
                        sent = true;
                    } else {
                        String challenge = r.getRest();
                        try {
                            saslError = new String(Base64.getDecoder().decode(challenge.trim()), StandardCharsets.UTF_8);
                        } catch (IllegalArgumentException e) {
                            saslError = challenge;
                        }
                        writeLine(errorReplies++ == 0 ? errorReply : "*");
                    }
                } else if (r.isTagged() && r.getTag().equals(tag) || r.isBYE()) {
                    responses.add(r);
                    break;
                }
            } catch (IOException e) {
                r = Response.byeResponse(e);
                responses.add(r);
                break;
            }
            responses.add(r);
        }
        Response[] all = responses.toArray(new Response[0]);
        notifyResponseHandlers(all);
        return r;
    }

    /**
     * Writes {@code command} followed by {@code secret} as one command line, or, when {@code command}
     * is null, {@code secret} alone as a continuation response; hidden from the trace unless
     * {@code traceAuth}. Returns the command's tag (null for a continuation response).
     */
    private String writeHidden(String command, String secret, boolean traceAuth) throws IOException, ProtocolException {
        boolean hide = !traceAuth && isTracing();
        if (hide) {
            traceLogger.fine((command != null ? command.trim() + " " : "") + "(client response hidden)");
            suspendTracing();
        }
        try {
            if (command != null) {
                return writeCommand(command + secret, null);
            }
            writeLine(secret);
            return null;
        } finally {
            if (hide) {
                resumeTracing();
            }
        }
    }

    private void writeLine(String line) throws IOException {
        OutputStream os = getOutputStream();
        os.write(line.getBytes(StandardCharsets.US_ASCII));
        os.write(new byte[] {'\r', '\n'});
        os.flush();
    }
}
