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

import org.camelinterimap.sync.MessageBody;

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
    /** The longest reply read (all its lines); RFC 5321 bounds a reply line to 512 octets. */
    private static final int MAX_REPLY = 65_536;

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
                throw new DeliveryException(server + " refused the session: " + brief(greeting), greeting);
            }
            c.send((lmtp ? "LHLO " : "EHLO ") + ehlo);
            Reply hello = c.read();
            if (hello.code() != 250) {
                throw new DeliveryException(server + " refused " + (lmtp ? "LHLO" : "EHLO") + ": " + brief(hello), hello);
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
     * transaction unless {@link DeliveryException#sessionUsable()} says otherwise. The exception
     * is {@link DeliveryException#permanent() permanent} when the server refused this message
     * with 5xx replies only: to MAIL, to a RCPT, to DATA, or after the data.
     */
    public void deliver(String from, List<String> recipients, byte[] raw) throws DeliveryException {
        deliver(from, recipients, MessageBody.of(raw));
    }

    /** As {@link #deliver(String, List, byte[])}, the body streamed (a spooled one is never held whole). */
    public void deliver(String from, List<String> recipients, MessageBody raw) throws DeliveryException {
        List<String> commands = new ArrayList<>();
        commands.add("MAIL FROM:<" + from + ">");
        recipients.forEach(r -> commands.add("RCPT TO:<" + r + ">"));
        commands.add("DATA");
        for (String cmd : commands) {
            for (int i = 0; i < cmd.length(); i++) {
                char c = cmd.charAt(i);
                if (c < 0x20 || c == 0x7f) {
                    // the reverse-path is always valid (EnvelopeSender); a recipient comes from the configuration
                    throw new DeliveryException(server + ": not sent, a control character in: " + printable(cmd), null, false, true);
                }
            }
        }
        try {
            Reply[] replies = new Reply[commands.size()];
            if (pipelining()) {
                for (String cmd : commands) {
                    write(cmd);
                }
                out.flush();
                for (int i = 0; i < commands.size(); i++) {
                    replies[i] = read();
                }
            } else {
                // one at a time; after a refusal the rest is not sent
                for (int i = 0; i < commands.size(); i++) {
                    send(commands.get(i));
                    replies[i] = read();
                    if (!replies[i].positive()) {
                        break;
                    }
                }
            }
            // the refusal that tells: a temporary one (4xx) if any, else the first (a pipelined
            // server answers the commands after a refused MAIL with 503, bad sequence)
            int refused = -1;
            for (int i = 0; i < commands.size() - 1 && replies[i] != null; i++) {
                if (replies[i].code() / 100 != 2 && (refused < 0 || (replies[refused].code() / 100 == 5 && replies[i].code() / 100 == 4))) {
                    refused = i;
                }
            }
            Reply data = replies[commands.size() - 1];
            boolean dataOpen = data != null && data.code() == 354;
            if (refused < 0 && !dataOpen) {
                refused = commands.size() - 1;
            }
            if (refused >= 0) {
                Reply r = replies[refused];
                boolean usable = r.code() != 421 && !dataOpen;
                if (dataOpen) {
                    // the server opened DATA although a command was refused: ending the data, even
                    // empty, would deliver something; a dropped connection aborts the transaction
                    abort();
                } else if (usable) {
                    try {
                        send("RSET");
                        usable = read().code() / 100 == 2;
                    } catch (IOException | DeliveryException e) {
                        abort();
                        usable = false; // the refusal is what counts
                    }
                }
                throw new DeliveryException(server + ": " + printable(commands.get(refused)) + ": " + brief(r), r, true, usable);
            }
            writeDotStuffed(raw);
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            DeliveryException failed = null;
            for (int i = 0; i < (lmtp ? recipients.size() : 1); i++) {
                Reply r = read();
                boolean worse = failed == null || (failed.reply().code() / 100 == 5 && r.code() / 100 == 4);
                if (r.code() / 100 != 2 && worse) {
                    failed = new DeliveryException(server + ": " + (lmtp ? "DATA for <" + printable(recipients.get(i)) + ">" : "DATA")
                            + ": " + brief(r), r, true, r.code() != 421);
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

    /** At most this much of a reply goes into a message: the server's words, printable and short. */
    static final int BRIEF_REPLY = 200;

    /** A reply as a one-line report: code and text, lines joined by " / ", non-printables as '?', at most {@link #BRIEF_REPLY} characters. */
    static String brief(Reply r) {
        return shorten(r.code() + " " + r.text().replace("\n", " / "));
    }

    private static String shorten(String s) {
        String text = printable(s.length() <= 2 * BRIEF_REPLY ? s : s.substring(0, 2 * BRIEF_REPLY));
        return text.length() <= BRIEF_REPLY ? text : text.substring(0, BRIEF_REPLY) + "...";
    }

    /** Control and format characters (bidirectional overrides...) replaced by '?'. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT || c == 0xfffd) {
                b.append('?');
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    /**
     * Writes the body with a '.' doubled at the start of every line (a line starts after CRLF),
     * ending with CRLF, streaming it in 64 KiB pieces.
     */
    private void writeDotStuffed(MessageBody raw) throws IOException {
        // invariant: lineStart is true exactly when the last byte written was the LF of a CRLF
        boolean lineStart = true;
        boolean empty = true;
        int prev = -1;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = raw.open()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                empty = false;
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (lineStart && buf[i] == '.') {
                        out.write(buf, start, i - start);
                        out.write('.');
                        start = i;
                    }
                    lineStart = buf[i] == '\n' && prev == '\r';
                    prev = buf[i];
                }
                out.write(buf, start, n - start);
            }
        }
        if (empty || !lineStart) {
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
            if (text.length() + line.length() > MAX_REPLY) {
                abort();
                throw new DeliveryException(server + ": reply longer than " + MAX_REPLY + " bytes: " + shorten(text.toString()), null);
            }
            if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
                    || !Character.isDigit(line.charAt(2)) || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                abort();
                throw new DeliveryException(server + ": malformed reply: " + shorten(line), null);
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
            if (b != '\r' && line.size() <= MAX_REPLY) {
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
     * {@link #permanent()} tells a refusal of this very message (5xx to MAIL, RCPT, DATA or after
     * the data) from anything worth trying again (4xx, a lost connection, a refused session).
     */
    public static final class DeliveryException extends Exception {
        private final Reply reply;
        private final boolean transaction;
        private final boolean usable;

        /** A failure outside a mail transaction (connecting, greeting, EHLO): never permanent. */
        public DeliveryException(String message, Reply reply) {
            this(message, reply, false, reply != null && reply.code() != 421);
        }

        DeliveryException(String message, Reply reply, boolean transaction, boolean usable) {
            super(message);
            this.reply = reply;
            this.transaction = transaction;
            this.usable = usable;
        }

        public Reply reply() {
            return reply;
        }

        public boolean sessionUsable() {
            return usable;
        }

        /** Whether the server refused the message itself, for good (a 5xx reply in the transaction). */
        public boolean permanent() {
            return transaction && reply != null && reply.code() / 100 == 5;
        }
    }
}
