package org.camelinterimap.pull;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A scripted in-JVM SMTP/LMTP server for tests of the delivery dialogue: it records every command
 * and every message (dot-unstuffed), refuses the recipients it is told to, and, when it offers
 * PIPELINING, reads MAIL, RCPT and DATA before answering any of them, so that a client that
 * waits for each reply instead of pipelining hangs (and the test's timeout catches it). Tests
 * script its replies to MAIL ({@link #mailReply}) and to the data ({@link #dataReply}).
 */
final class FakeSmtpServer implements AutoCloseable {
    /** A message as received: its envelope and its bytes as the client meant them. */
    record Received(String from, List<String> recipients, byte[] data) {
    }

    private final ServerSocket server;
    private final boolean lmtp;
    private final boolean pipelining;
    private final Set<String> refused;
    final List<String> commands = new CopyOnWriteArrayList<>();
    /** The messages the server took (its reply to the data was 2xx). */
    final List<Received> received = new CopyOnWriteArrayList<>();
    /** Every message whose data reached the final dot, taken or not. */
    final List<Received> attempts = new CopyOnWriteArrayList<>();
    /** The reply to MAIL FROM, given the reverse-path. */
    volatile Function<String, String> mailReply = from -> "250 2.1.0 ok";
    /**
     * The reply to the data (with LMTP, the reply for each recipient), given the message; null
     * drops the connection instead.
     */
    volatile Function<Received, String> dataReply = m -> "250 2.0.0 queued";
    private final Thread thread;

    FakeSmtpServer(boolean lmtp, boolean pipelining, Set<String> refused) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.lmtp = lmtp;
        this.pipelining = pipelining;
        this.refused = Collections.unmodifiableSet(refused);
        this.thread = new Thread(this::serve, "fake-smtp");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(60_000);
                session(new BufferedInputStream(s.getInputStream()), s.getOutputStream());
            } catch (IOException e) {
                // closed, or the client went away: next session
            }
        }
    }

    /** Drops the connection (as a crashed or restarting server would). */
    private static final class Dropped extends IOException {
    }

    private void session(InputStream in, OutputStream out) throws IOException {
        reply(out, "220 fake ESMTP");
        while (true) {
            String line = readLine(in);
            if (line == null) {
                return;
            }
            commands.add(line);
            String verb = line.split("[ :]")[0].toUpperCase();
            switch (verb) {
                case "EHLO", "LHLO" -> reply(out, "250-fake\r\n" + (pipelining ? "250-PIPELINING\r\n" : "") + "250 8BITMIME");
                case "MAIL" -> transaction(line, in, out);
                case "QUIT" -> {
                    reply(out, "221 bye");
                    return;
                }
                default -> reply(out, "250 ok");
            }
        }
    }

    private void transaction(String mail, InputStream in, OutputStream out) throws IOException {
        List<String> rcpts = new ArrayList<>();
        List<String> replies = new ArrayList<>();
        String from = mail.substring(mail.indexOf('<') + 1, mail.lastIndexOf('>'));
        String mailReply = this.mailReply.apply(from);
        boolean mailOk = mailReply.startsWith("2");
        replies.add(mailReply);
        if (!pipelining) {
            reply(out, replies.remove(0));
        }
        String line;
        while ((line = readLine(in)) != null && line.toUpperCase().startsWith("RCPT")) {
            commands.add(line);
            String rcpt = line.substring(line.indexOf('<') + 1, line.lastIndexOf('>'));
            if (!mailOk) {
                replies.add("503 5.5.1 bad sequence of commands");
            } else if (refused.contains(rcpt)) {
                replies.add("550 5.1.1 <" + rcpt + ">: no such user");
            } else {
                rcpts.add(rcpt);
                replies.add("250 2.1.5 ok");
            }
            if (!pipelining) {
                reply(out, replies.remove(0));
            }
        }
        if (line == null) {
            return;
        }
        commands.add(line);
        if (!line.toUpperCase().startsWith("DATA")) {
            // a client that stopped after a refusal: RSET (or QUIT) instead of DATA
            for (String r : replies) {
                reply(out, r);
            }
            if (line.toUpperCase().startsWith("QUIT")) {
                reply(out, "221 bye");
                throw new Dropped();
            }
            reply(out, "250 2.0.0 ok");
            return;
        }
        replies.add(!mailOk ? "503 5.5.1 bad sequence of commands" : rcpts.isEmpty() ? "554 5.5.1 no valid recipients" : "354 go ahead");
        for (String r : replies) {
            reply(out, r);
        }
        if (!mailOk || rcpts.isEmpty()) {
            return;
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        while (true) {
            String l = readLine(in);
            if (l == null) {
                return; // the client went away before the end of the data: nothing to deliver
            }
            if (l.equals(".")) {
                break;
            }
            data.writeBytes((l.startsWith(".") ? l.substring(1) : l).getBytes(StandardCharsets.ISO_8859_1));
            data.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        Received m = new Received(from, rcpts, data.toByteArray());
        attempts.add(m);
        String answer = dataReply.apply(m);
        if (answer == null) {
            throw new Dropped();
        }
        if (answer.startsWith("2")) {
            received.add(m);
        }
        for (int i = 0; i < (lmtp ? rcpts.size() : 1); i++) {
            reply(out, answer);
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** A line without its CRLF, bytes kept as ISO-8859-1 chars; null at end of stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
        return null;
    }

    long count(String verb) {
        return commands.stream().filter(c -> c.toUpperCase().startsWith(verb.toUpperCase())).count();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
