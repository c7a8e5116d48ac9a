package org.camelinterimap.rig;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rewriting IMAP proxy for hostile-server tests: listens on a loopback port and forwards every
 * connection to a plain-text IMAP port of the rig, applying {@link Rule}s to what passes.
 *
 * <p>Both directions are read literal-aware: a line ending in {@code {N}} (or {@code {N+}}) CRLF is
 * followed by N raw bytes that belong to the same response or command. Rules therefore see whole
 * server responses (the greeting, an untagged {@code * 1 FETCH (... BODY[] {39}CRLF...)CRLF}, a
 * tagged completion) and whole client command lines. Text is handled as ISO-8859-1, one char per
 * byte, so that rewrites can put any byte (bare LF, NUL, 8-bit) on the wire.
 *
 * <p>Everything the client sends is recorded ({@link #clientText()}, {@link #clientCommands()}),
 * including what a rule swallows, so that a test can assert what was, or was not, sent to a server.
 * Literal contents are recorded up to 64 KiB each.
 *
 * <p>The proxy needs clear text: configure the proxied side with {@code type = imap},
 * {@code STARTTLS = NO} and {@code compress = NO}.
 */
public final class HostileProxy implements AutoCloseable {
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\+?\\}$");
    private static final int RECORDED_LITERAL = 64 * 1024;
    private static final Pattern SELECT = Pattern.compile("^\\S+ (?:SELECT|EXAMINE) (\"[^\"]*\"|[^ ]+)", Pattern.CASE_INSENSITIVE);

    private final ServerSocket server;
    private final int upstreamPort;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Conn> conns = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean closed;

    private HostileProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket();
        // a small window, so that a client whose data the proxy stops reading blocks soon
        server.setReceiveBufferSize(64 * 1024);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        Thread t = new Thread(this::acceptLoop, "hostile-proxy-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    /** A proxy in front of the plain IMAP port of a rig server. */
    public static HostileProxy to(DovecotRig.Server upstream) throws IOException {
        return new HostileProxy(upstream.imapPort());
    }

    /** A proxy in front of any loopback port. */
    public static HostileProxy toPort(int upstreamPort) throws IOException {
        return new HostileProxy(upstreamPort);
    }

    /** The loopback port clients connect to. */
    public int port() {
        return server.getLocalPort();
    }

    /** Adds a rule (applied after the rules added before it). */
    public HostileProxy rule(Rule rule) {
        rules.add(rule);
        return this;
    }

    /** Removes every rule: new and current connections are forwarded unchanged (silenced ones stay silent). */
    public void clearRules() {
        rules.clear();
    }

    /** How many connections were accepted so far. */
    public int connections() {
        return accepted.get();
    }

    /** Everything the clients sent, connection after connection (ISO-8859-1, literals cut at 64 KiB). */
    public String clientText() {
        StringBuilder sb = new StringBuilder();
        for (Conn c : conns) {
            synchronized (c.record) {
                sb.append(c.record.toString(StandardCharsets.ISO_8859_1));
            }
        }
        return sb.toString();
    }

    /** The first line of every command the clients sent (tag included, CRLF excluded), in order per connection. */
    public List<String> clientCommands() {
        List<String> out = new ArrayList<>();
        for (Conn c : conns) {
            synchronized (c.commands) {
                out.addAll(c.commands);
            }
        }
        return out;
    }

    /**
     * Every line the clients sent outside literals (command lines and the rest of a command after
     * each literal), CRLF removed, in order per connection: what a server parses as command text.
     */
    public List<String> clientLines() {
        List<String> out = new ArrayList<>();
        for (Conn c : conns) {
            synchronized (c.lines) {
                out.addAll(c.lines);
            }
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Conn c : conns) {
            c.shutdown();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            int n = accepted.incrementAndGet();
            try {
                Conn c = new Conn(n, client);
                conns.add(c);
                c.start();
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /** What a matching rule does with the response or command it matched. */
    private enum Delivery {
        FORWARD, CLOSE_AFTER, CLOSE_MIDWAY, CLOSE_IN_LITERAL, DRIBBLE, SILENCE_AFTER, STOP_READING
    }

    /**
     * One hostile behaviour: a trigger (a server response, the greeting, or a client command,
     * optionally only while the current command matches, only on the Nth connection, at most N
     * times) and what to do (rewrite, inject, close, go silent, dribble, stop reading, flood).
     *
     * <p>In raw text given to {@link #prepend}, {@link #append}, {@link #replaceWith} and
     * {@link #respond}, and in {@link #rewrite} replacements, {@code <TAG>} stands for the tag of the
     * client's current command.
     */
    public static final class Rule {
        private enum Kind { RESPONSE, GREETING, COMMAND }

        private final Kind kind;
        private final Pattern pattern;
        private Pattern afterCommand;
        private String mailbox;
        private int connection;
        private int times = Integer.MAX_VALUE;
        private final List<Function<Ctx, String>> transforms = new ArrayList<>();
        private Delivery delivery = Delivery.FORWARD;
        private long deliveryArg;
        private boolean swallow;
        private String respond;
        private long floodBytes;
        private boolean floodRandom;
        private final AtomicInteger fired = new AtomicInteger();

        private Rule(Kind kind, String regex) {
            this.kind = kind;
            this.pattern = regex == null ? null : Pattern.compile(regex, Pattern.DOTALL);
        }

        /** A server response (the whole unit, literals included, CRLF at the end) in which {@code regex} is found. */
        public static Rule response(String regex) {
            return new Rule(Kind.RESPONSE, regex);
        }

        /** The first thing a server sends on a connection. */
        public static Rule greeting() {
            return new Rule(Kind.GREETING, null);
        }

        /** A client command whose first line (tag included, no CRLF) contains {@code regex}. */
        public static Rule command(String regex) {
            return new Rule(Kind.COMMAND, regex);
        }

        /** Only while the client's current command (its first line) contains {@code regex}. */
        public Rule after(String commandRegex) {
            this.afterCommand = Pattern.compile(commandRegex, Pattern.DOTALL);
            return this;
        }

        /** Only while {@code name} is the mailbox the client last selected (SELECT or EXAMINE, as sent). */
        public Rule inMailbox(String name) {
            this.mailbox = name;
            return this;
        }

        /** Only on the Nth connection the proxy accepts (1 is the first). */
        public Rule onConnection(int n) {
            this.connection = n;
            return this;
        }

        /** At most {@code n} times. */
        public Rule times(int n) {
            this.times = n;
            return this;
        }

        /** Rewrites the response (or command line) text: {@code regex} replaced everywhere, with $1 group references. */
        public Rule rewrite(String regex, String replacement) {
            Pattern p = Pattern.compile(regex, Pattern.DOTALL | Pattern.MULTILINE);
            transforms.add(ctx -> p.matcher(ctx.text).replaceAll(replacement.replace("<TAG>", Matcher.quoteReplacement(ctx.tag))));
            return this;
        }

        /** Any rewrite computed from the text. */
        public Rule map(Function<String, String> f) {
            transforms.add(ctx -> f.apply(ctx.text));
            return this;
        }

        /** Sends {@code raw} before the response. */
        public Rule prepend(String raw) {
            transforms.add(ctx -> raw.replace("<TAG>", ctx.tag) + ctx.text);
            return this;
        }

        /** Sends {@code raw} after the response. */
        public Rule append(String raw) {
            transforms.add(ctx -> ctx.text + raw.replace("<TAG>", ctx.tag));
            return this;
        }

        /** Sends {@code raw} instead of the response. */
        public Rule replaceWith(String raw) {
            transforms.add(ctx -> raw.replace("<TAG>", ctx.tag));
            return this;
        }

        /** Does not forward the response. */
        public Rule drop() {
            return replaceWith("");
        }

        /** Sends the first {@code bytes} bytes of the (rewritten) response, then closes both sockets. */
        public Rule closeAfter(long bytes) {
            delivery = Delivery.CLOSE_AFTER;
            deliveryArg = bytes;
            return this;
        }

        /** Sends the first half of the (rewritten) response, then closes both sockets. */
        public Rule closeMidway() {
            delivery = Delivery.CLOSE_MIDWAY;
            return this;
        }

        /** Sends the response up to the middle of its first literal, then closes both sockets. */
        public Rule closeInLiteral() {
            delivery = Delivery.CLOSE_IN_LITERAL;
            return this;
        }

        /** Sends the (rewritten) response one byte every {@code millis} ms (slow-loris). */
        public Rule dribble(long millis) {
            delivery = Delivery.DRIBBLE;
            deliveryArg = millis;
            return this;
        }

        /**
         * Sends the (rewritten) response (use {@link #drop} to send nothing), then stops forwarding in
         * both directions; the sockets stay open.
         */
        public Rule thenSilence() {
            delivery = Delivery.SILENCE_AFTER;
            return this;
        }

        /** Drops the response and goes silent: nothing more reaches the client, nothing more the server. */
        public Rule silence() {
            return drop().thenSilence();
        }

        /**
         * After the (rewritten) response, sends {@code bytes} bytes without any CR or LF ('A's, or
         * random bytes), then goes silent.
         */
        public Rule flood(long bytes, boolean random) {
            floodBytes = bytes;
            floodRandom = random;
            delivery = Delivery.SILENCE_AFTER;
            return this;
        }

        /** For a command: stops reading from the client after its first line (its later writes block). */
        public Rule stopReading() {
            delivery = Delivery.STOP_READING;
            return this;
        }

        /** For a command: does not forward it (nor its literals) to the server. */
        public Rule swallow() {
            swallow = true;
            return this;
        }

        /** For a command: does not forward it, and answers {@code raw} to the client instead. */
        public Rule respond(String raw) {
            swallow = true;
            respond = raw;
            return this;
        }

        /** For a command: closes both sockets instead of forwarding it. */
        public Rule close() {
            swallow = true;
            delivery = Delivery.CLOSE_AFTER;
            deliveryArg = 0;
            return this;
        }

        /** How many times the rule took effect. */
        public int fired() {
            return fired.get();
        }

        boolean matches(Kind k, int conn, String text, String current, String selected, boolean first) {
            if (fired.get() >= times || (connection != 0 && connection != conn)) {
                return false;
            }
            if (mailbox != null && !mailbox.equals(selected)) {
                return false;
            }
            if (kind == Kind.GREETING) {
                if (!(k == Kind.RESPONSE && first)) {
                    return false;
                }
            } else if (kind != k) {
                return false;
            } else if (!pattern.matcher(text).find()) {
                return false;
            }
            return afterCommand == null || (current != null && afterCommand.matcher(current).find());
        }

        @Override
        public String toString() {
            return kind + (pattern != null ? " /" + pattern + "/" : "") + (afterCommand != null ? " after /" + afterCommand + "/" : "")
                    + (mailbox != null ? " in " + mailbox : "");
        }
    }

    private record Ctx(String text, String tag) {
    }

    /** One proxied connection: a client socket, its upstream socket, a pump each way. */
    private final class Conn {
        final int number;
        final Socket client;
        final Socket upstream;
        final ByteArrayOutputStream record = new ByteArrayOutputStream();
        final List<String> commands = new ArrayList<>();
        final List<String> lines = new ArrayList<>();
        final Object clientOut = new Object();
        final CountDownLatch stopped = new CountDownLatch(1);
        volatile String currentCommand;
        volatile String currentTag = "*";
        volatile String selected;
        volatile boolean silent;
        volatile boolean dead;
        boolean firstResponse = true;

        Conn(int number, Socket client) throws IOException {
            this.number = number;
            this.client = client;
            this.upstream = new Socket();
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 10_000);
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
        }

        void start() {
            Thread up = new Thread(this::clientToServer, "hostile-proxy-c2s-" + number);
            Thread down = new Thread(this::serverToClient, "hostile-proxy-s2c-" + number);
            up.setDaemon(true);
            down.setDaemon(true);
            up.start();
            down.start();
        }

        void shutdown() {
            dead = true;
            stopped.countDown();
            closeQuietly(client);
            closeQuietly(upstream);
        }

        private void record(byte[] b, int off, int len) {
            synchronized (record) {
                record.write(b, off, len);
            }
        }

        // ---- client -> server ----

        private void clientToServer() {
            try {
                InputStream in = new BufferedInputStream(client.getInputStream());
                OutputStream up = upstream.getOutputStream();
                boolean commandStart = true;
                boolean swallowing = false;
                while (!dead) {
                    byte[] line = readLine(in, Long.MAX_VALUE);
                    if (line == null) {
                        break;
                    }
                    record(line, 0, line.length);
                    String text = new String(line, StandardCharsets.ISO_8859_1);
                    String bare = text.endsWith("\r\n") ? text.substring(0, text.length() - 2) : text;
                    boolean stopReading = false;
                    synchronized (lines) {
                        lines.add(bare);
                    }
                    if (commandStart) {
                        synchronized (commands) {
                            commands.add(bare);
                        }
                        currentCommand = bare;
                        int sp = bare.indexOf(' ');
                        currentTag = sp > 0 ? bare.substring(0, sp) : bare;
                        Matcher sel = SELECT.matcher(bare);
                        if (sel.find()) {
                            selected = sel.group(1).startsWith("\"") ? sel.group(1).substring(1, sel.group(1).length() - 1) : sel.group(1);
                        }
                        swallowing = false;
                        for (Rule r : rules) {
                            if (!r.matches(Rule.Kind.COMMAND, number, bare, bare, selected, false)) {
                                continue;
                            }
                            r.fired.incrementAndGet();
                            Ctx ctx = new Ctx(text, currentTag);
                            for (Function<Ctx, String> t : r.transforms) {
                                ctx = new Ctx(t.apply(ctx), currentTag);
                            }
                            line = ctx.text.getBytes(StandardCharsets.ISO_8859_1);
                            swallowing |= r.swallow;
                            if (r.respond != null) {
                                toClient(r.respond.replace("<TAG>", currentTag).getBytes(StandardCharsets.ISO_8859_1));
                            }
                            if (r.delivery == Delivery.CLOSE_AFTER) {
                                shutdown();
                                return;
                            }
                            if (r.delivery == Delivery.SILENCE_AFTER) {
                                silent = true;
                            }
                            if (r.delivery == Delivery.STOP_READING) {
                                stopReading = true;
                            }
                        }
                    }
                    if (!silent && !swallowing) {
                        up.write(line);
                        up.flush();
                    }
                    if (stopReading) {
                        stopped.await();
                        return;
                    }
                    Matcher m = LITERAL.matcher(bare);
                    if (m.find()) {
                        long size = Long.parseLong(m.group(1));
                        copyLiteral(in, silent || swallowing ? null : up, size);
                        commandStart = false;
                    } else {
                        commandStart = true;
                    }
                }
            } catch (IOException | InterruptedException e) {
                // connection gone
            }
            shutdown(); // the client left (or the server did): nothing more to keep open
        }

        private void copyLiteral(InputStream in, OutputStream up, long size) throws IOException {
            byte[] buf = new byte[64 * 1024];
            long left = size;
            long recorded = 0;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new EOFException();
                }
                if (recorded < RECORDED_LITERAL) {
                    int keep = (int) Math.min(n, RECORDED_LITERAL - recorded);
                    record(buf, 0, keep);
                    recorded += keep;
                }
                if (up != null && !silent) {
                    up.write(buf, 0, n);
                }
                left -= n;
            }
            if (up != null && !silent) {
                up.flush();
            }
        }

        // ---- server -> client ----

        private void serverToClient() {
            try {
                InputStream in = new BufferedInputStream(upstream.getInputStream());
                while (!dead) {
                    byte[] unit = readResponse(in);
                    if (unit == null) {
                        break;
                    }
                    if (silent) {
                        continue;
                    }
                    boolean first = firstResponse;
                    firstResponse = false;
                    String text = new String(unit, StandardCharsets.ISO_8859_1);
                    String current = currentCommand;
                    Delivery delivery = Delivery.FORWARD;
                    long arg = 0;
                    long flood = 0;
                    boolean floodRandom = false;
                    for (Rule r : rules) {
                        if (!r.matches(Rule.Kind.RESPONSE, number, text, current, selected, first)) {
                            continue;
                        }
                        r.fired.incrementAndGet();
                        Ctx ctx = new Ctx(text, currentTag);
                        for (Function<Ctx, String> t : r.transforms) {
                            ctx = new Ctx(t.apply(ctx), currentTag);
                        }
                        text = ctx.text;
                        if (r.delivery != Delivery.FORWARD) {
                            delivery = r.delivery;
                            arg = r.deliveryArg;
                        }
                        if (r.floodBytes > 0) {
                            flood = r.floodBytes;
                            floodRandom = r.floodRandom;
                        }
                    }
                    byte[] out = text.getBytes(StandardCharsets.ISO_8859_1);
                    switch (delivery) {
                        case FORWARD -> toClient(out);
                        case CLOSE_AFTER -> {
                            toClient(java.util.Arrays.copyOf(out, (int) Math.min(out.length, arg)));
                            shutdown();
                            return;
                        }
                        case CLOSE_MIDWAY -> {
                            toClient(java.util.Arrays.copyOf(out, out.length / 2));
                            shutdown();
                            return;
                        }
                        case CLOSE_IN_LITERAL -> {
                            int header = text.indexOf("}\r\n");
                            int cut = header < 0 ? out.length / 2 : header + 3 + (out.length - header - 3) / 2;
                            toClient(java.util.Arrays.copyOf(out, cut));
                            shutdown();
                            return;
                        }
                        case DRIBBLE -> {
                            for (byte b : out) {
                                toClient(new byte[] {b});
                                Thread.sleep(arg);
                            }
                        }
                        case SILENCE_AFTER -> {
                            toClient(out);
                            silent = true;
                            if (flood > 0) {
                                flood(flood, floodRandom);
                            }
                        }
                        default -> toClient(out);
                    }
                }
            } catch (IOException | InterruptedException e) {
                // connection gone
            }
            if (!silent) {
                shutdown();
            } else {
                // keep the client's socket open; drain the server until it goes away
                closeQuietly(upstream);
            }
        }

        private void flood(long bytes, boolean random) throws IOException {
            byte[] chunk = new byte[64 * 1024];
            Random rnd = new Random(42);
            long left = bytes;
            while (left > 0 && !dead) {
                if (random) {
                    rnd.nextBytes(chunk);
                    for (int i = 0; i < chunk.length; i++) {
                        if (chunk[i] == '\r' || chunk[i] == '\n') {
                            chunk[i] = 'x';
                        }
                    }
                } else {
                    java.util.Arrays.fill(chunk, (byte) 'A');
                }
                int n = (int) Math.min(chunk.length, left);
                toClient(java.util.Arrays.copyOf(chunk, n));
                left -= n;
            }
        }

        private void toClient(byte[] b) throws IOException {
            if (b.length == 0) {
                return;
            }
            synchronized (clientOut) {
                OutputStream out = client.getOutputStream();
                out.write(b);
                out.flush();
            }
        }

        /** A whole response: lines up to CRLF, each followed by its literal when it announces one. */
        private byte[] readResponse(InputStream in) throws IOException {
            ByteArrayOutputStream unit = new ByteArrayOutputStream();
            while (true) {
                byte[] line = readLine(in, Long.MAX_VALUE);
                if (line == null) {
                    return unit.size() == 0 ? null : unit.toByteArray();
                }
                unit.write(line);
                String text = new String(line, StandardCharsets.ISO_8859_1);
                Matcher m = LITERAL.matcher(text.endsWith("\r\n") ? text.substring(0, text.length() - 2) : text);
                if (!m.find()) {
                    return unit.toByteArray();
                }
                long size = Long.parseLong(m.group(1));
                byte[] lit = in.readNBytes((int) size);
                unit.write(lit);
                if (lit.length < size) {
                    return unit.toByteArray();
                }
            }
        }
    }

    /** Reads up to and including CRLF (a bare LF does not end a line); null at end of stream with nothing read. */
    private static byte[] readLine(InputStream in, long max) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int prev = -1;
        while (line.size() < max) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toByteArray();
            }
            line.write(b);
            if (b == '\n' && prev == '\r') {
                return line.toByteArray();
            }
            prev = b;
        }
        return line.toByteArray();
    }
}
