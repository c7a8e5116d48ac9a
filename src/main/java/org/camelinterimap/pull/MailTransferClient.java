package org.camelinterimap.pull;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * One SMTP (RFC 5321) or LMTP (RFC 2033) session that delivers messages byte for byte to given
 * envelope recipients: EHLO/LHLO, then per message MAIL, RCPT, DATA (pipelined, RFC 2920, when
 * the server offers PIPELINING; LMTP always may), the body dot-stuffed, then QUIT.
 *
 * <p>Why our own client: Angus Mail has no LMTP, and its SMTPTransport neither pipelines nor reads
 * LMTP's one reply per accepted recipient after the final dot; the two protocols differ only in
 * the greeting verb and that reply, so one small client serves both. Not thread-safe.
 */
public final class MailTransferClient implements AutoCloseable {
    /** Socket timeouts: a hang guard, well above any server's reply time. */
    private static final int TIMEOUT_MILLIS = 300_000;

    private final boolean lmtp;
    private final String server;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Set<String> extensions = new TreeSet<>();

    /** A server reply: its code and its text lines joined. */
    public record Reply(int code, String text) {
        boolean positive() {
            return code >= 200 && code < 400;
        }

        @Override
        public String toString() {
            return code + " " + text;
        }
    }

    private MailTransferClient(boolean lmtp, String server, Socket socket) throws IOException {
        this.lmtp = lmtp;
        this.server = server;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream(), 65536);
    }

    /** Connects, reads the greeting and says EHLO (LHLO for LMTP). */
    public static MailTransferClient connect(boolean lmtp, String host, int port, String ehlo) throws DeliveryException {
        String server = (lmtp ? "lmtp" : "smtp") + ":[" + host + "]:" + port;
        Socket socket = new Socket();
        MailTransferClient c;
        try {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            c = new MailTransferClient(lmtp, server, socket);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // not connected
            }
            throw new DeliveryException("cannot connect to " + server + ": " + e.getMessage(), null);
        }
        try {
            Reply greeting = c.read();
            if (greeting.code() != 220) {
                throw new DeliveryException(server + " refused the session: " + greeting, greeting);
            }
            c.send((lmtp ? "LHLO " : "EHLO ") + ehlo);
            Reply hello = c.read();
            if (hello.code() != 250) {
                throw new DeliveryException(server + " refused " + (lmtp ? "LHLO" : "EHLO") + ": " + hello, hello);
            }
            String[] lines = hello.text().split("\n");
            for (int i = 1; i < lines.length; i++) {
                c.extensions.add(lines[i].trim().split(" ")[0].toUpperCase(Locale.ROOT));
            }
            return c;
        } catch (IOException e) {
            c.abort();
            throw new DeliveryException(server + ": connection lost: " + e.getMessage(), null);
        } catch (DeliveryException e) {
            c.abort();
            throw e;
        }
    }

    public String server() {
        return server;
    }

    public boolean pipelining() {
        return lmtp || extensions.contains("PIPELINING");
    }

    /**
     * One mail transaction: {@code raw} to every recipient, unchanged but for SMTP's dot-stuffing.
     * Succeeds only when every recipient accepted the message (with LMTP, every per-recipient
     * reply after the final dot is read); otherwise throws, the session left ready for the next
     * transaction unless {@link DeliveryException#sessionUsable()} says otherwise.
     */
    public void deliver(String from, List<String> recipients, byte[] raw) throws DeliveryException {
        try {
            List<String> commands = new ArrayList<>();
            commands.add("MAIL FROM:<" + from + ">");
            recipients.forEach(r -> commands.add("RCPT TO:<" + r + ">"));
            commands.add("DATA");
            List<Reply> replies = new ArrayList<>();
            if (pipelining()) {
                for (String cmd : commands) {
                    write(cmd);
                }
                out.flush();
                for (int i = 0; i < commands.size(); i++) {
                    replies.add(read());
                }
            } else {
                for (String cmd : commands) {
                    send(cmd);
                    Reply r = read();
                    replies.add(r);
                    if (!r.positive()) {
                        break;
                    }
                }
            }
            DeliveryException refused = null;
            int accepted = 0;
            for (int i = 0; i < replies.size() - 1; i++) {
                Reply r = replies.get(i);
                if (r.code() / 100 != 2) {
                    refused = refused != null ? refused : new DeliveryException(server + ": " + commands.get(i) + ": " + r, r);
                } else if (i > 0) {
                    accepted++;
                }
            }
            Reply data = replies.get(replies.size() - 1);
            boolean dataOpen = replies.size() == commands.size() && data.code() == 354;
            if (refused == null && !dataOpen) {
                refused = new DeliveryException(server + ": " + commands.get(replies.size() - 1) + ": " + data, data);
            }
            if (refused != null) {
                if (dataOpen) {
                    // the server opened DATA although a command failed: end it empty, then forget it
                    write(".");
                    out.flush();
                    for (int i = 0; i < (lmtp ? accepted : 1); i++) {
                        read();
                    }
                }
                send("RSET");
                read();
                throw refused;
            }
            writeDotStuffed(raw);
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            DeliveryException failed = null;
            for (int i = 0; i < (lmtp ? recipients.size() : 1); i++) {
                Reply r = read();
                if (r.code() / 100 != 2 && failed == null) {
                    failed = new DeliveryException(server + ": " + (lmtp ? "DATA for <" + recipients.get(i) + ">" : "DATA")
                            + ": " + r, r);
                }
            }
            if (failed != null) {
                throw failed;
            }
        } catch (IOException e) {
            abort();
            throw new DeliveryException(server + ": connection lost: " + e.getMessage(), null);
        }
    }

    /** Writes the body with a '.' doubled at the start of every line, ending with CRLF. */
    private void writeDotStuffed(byte[] raw) throws IOException {
        int start = 0;
        boolean lineStart = true;
        for (int i = 0; i < raw.length; i++) {
            if (lineStart && raw[i] == '.') {
                out.write(raw, start, i - start);
                out.write('.');
                start = i;
            }
            lineStart = raw[i] == '\n' && i > 0 && raw[i - 1] == '\r';
        }
        out.write(raw, start, raw.length - start);
        if (!(raw.length >= 2 && raw[raw.length - 2] == '\r' && raw[raw.length - 1] == '\n')) {
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** QUIT, then close; never fails. */
    @Override
    public void close() {
        try {
            send("QUIT");
            read();
        } catch (IOException | DeliveryException ignored) {
            // the session is over either way
        } finally {
            abort();
        }
    }

    private void abort() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private void write(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private void send(String line) throws IOException {
        write(line);
        out.flush();
    }

    /** Reads one (possibly multi-line) reply; the text lines are joined with '\n'. */
    private Reply read() throws IOException, DeliveryException {
        StringBuilder text = new StringBuilder();
        while (true) {
            String line = readLine();
            if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
                    || !Character.isDigit(line.charAt(2)) || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                abort();
                throw new DeliveryException(server + ": malformed reply: " + line, null);
            }
            if (text.length() > 0) {
                text.append('\n');
            }
            text.append(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new Reply(Integer.parseInt(line.substring(0, 3)), text.toString());
            }
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(80);
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        if (b < 0) {
            throw new IOException("connection closed by the server");
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /**
     * A message the server did not take. {@link #reply()} is the server's reply, null when the
     * session failed (connection refused or lost), in which case the session is unusable.
     */
    public static final class DeliveryException extends Exception {
        private final Reply reply;

        public DeliveryException(String message, Reply reply) {
            super(message);
            this.reply = reply;
        }

        public Reply reply() {
            return reply;
        }

        public boolean sessionUsable() {
            return reply != null && reply.code() != 421;
        }
    }
}
