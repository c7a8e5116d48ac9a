package org.camelinterimap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.camelinterimap.rig.TestImap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What goes wrong is said in one line, without a stack trace, and the exit status is not 0. */
@ExtendWith(DovecotRig.class)
class ErrorsIT {

    private static void assertOneLineError(Cli.Result r, String expected) {
        assertNotEquals(0, r.exit(), () -> "exit status of a failed run:\n" + r.output());
        String out = r.output();
        assertFalse(out.contains("\tat ") || out.contains("Exception"), () -> "no stack trace:\n" + out);
        List<String> errors = out.lines().filter(l -> l.contains("ERROR") || l.startsWith("interimap:")).toList();
        assertEquals(1, errors.size(), () -> "exactly one error line:\n" + out);
        assertTrue(errors.get(0).contains(expected), () -> "error line mentions '" + expected + "':\n" + out);
    }

    private static void rewrite(Path config, String from, String to) throws Exception {
        String text = Files.readString(config);
        assertTrue(text.contains(from));
        Files.writeString(config, text.replace(from, to));
    }

    @Test
    void badCredentials(@TempDir Path dir) throws Exception {
        SyncFixture f = new SyncFixture(dir, "badpw");
        String text = Files.readString(f.config);
        int remote = text.indexOf("[remote]");
        Files.writeString(f.config, text.substring(0, remote) + text.substring(remote).replace("password = secret",
                "password = wrong"));
        assertOneLineError(f.sync(), "remote");
        assertOneLineError(f.sync(), "uthentication failed");
    }

    @Test
    void unreachableHost(@TempDir Path dir) throws Exception {
        SyncFixture f = new SyncFixture(dir, "closed");
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        rewrite(f.config, "port = " + SyncFixture.local().imapPort(), "port = " + closed);
        Cli.Result r = f.sync();
        assertOneLineError(r, "local");
        assertTrue(r.output().contains("refused"), r.output());
    }

    @Test
    void missingConfigFile(@TempDir Path dir) throws Exception {
        Cli.Result r = Cli.run("interimap", "--config=" + dir.resolve("nope.conf"));
        assertOneLineError(r, "nope.conf");
    }

    @Test
    void malformedConfigLine(@TempDir Path dir) throws Exception {
        SyncFixture f = new SyncFixture(dir, "malformed");
        Files.writeString(f.config, Files.readString(f.config) + "\nthis line has no equals sign\n");
        Cli.Result r = f.sync();
        assertOneLineError(r, "interimap.conf");
        assertFalse(Files.exists(f.database()) && Files.size(f.database()) > 0 && r.output().contains("Created"),
                "nothing done with a broken configuration");
    }

    @Test
    void mailboxDeletedOnOneSideOnlyIsSkippedOthersStillSync(@TempDir Path dir) throws Exception {
        SyncFixture f = new SyncFixture(dir, "vanished");
        try (TestImap l = f.imap(SyncFixture.local())) {
            l.create("Gone", true);
            l.create("Kept", true);
            l.append("Gone", "g1");
            l.append("Kept", "k1");
        }
        f.syncOk();
        try (TestImap l = f.imap(SyncFixture.local()); TestImap r = f.imap(SyncFixture.remote())) {
            r.append("Gone", "g2"); // still there on remote, and changed
            l.append("Kept", "k2");
        }
        try (var c = f.raw(SyncFixture.local())) {
            c.delete("Gone");
        }
        Cli.Result r = f.sync();
        assertOneLineError(r, "Gone");
        assertTrue(r.output().contains("local(Kept): Added 1 UID(s)") || r.output().contains("remote(Kept): Added 1 UID(s)"),
                r.output());
        assertEquals(Map.of("k1", 1, "k2", 1), f.subjectCounts(SyncFixture.remote()).get("Kept"));
        try (TestImap l = f.imap(SyncFixture.local())) {
            assertFalse(l.exists("Gone"), "not recreated: the user must say --delete or --rename");
        }
    }

    @Test
    void uidValidityChangeIsAnErrorForThatMailbox(@TempDir Path dir) throws Exception {
        SyncFixture f = new SyncFixture(dir, "uidvalidity");
        try (TestImap l = f.imap(SyncFixture.local())) {
            l.create("Box", true);
            l.append("Box", "b1");
            l.create("Other", true);
        }
        f.syncOk();
        try (var c = f.raw(SyncFixture.remote())) {
            c.delete("Box");
            // Dovecot hands out UIDVALIDITY from the clock: make sure the new one differs
            Thread.sleep(1100);
            c.create("Box");
        }
        try (TestImap l = f.imap(SyncFixture.local())) {
            l.append("Other", "o1");
        }
        Cli.Result r = f.sync();
        assertOneLineError(r, "UIDVALIDITY");
        assertTrue(r.output().contains("Box"), r.output());
        assertEquals(Map.of("o1", 1), f.subjectCounts(SyncFixture.remote()).get("Other"), "the other mailboxes still sync");
        assertEquals(Map.of(), f.subjectCounts(SyncFixture.remote()).get("Box"), "nothing copied into the new mailbox");
    }

    /**
     * A server without QRESYNC: Dovecot cannot hide it per user, so a scripted fake server on a loopback
     * port greets, logs in and advertises everything else.
     */
    @Test
    void missingRequiredExtension(@TempDir Path dir) throws Exception {
        SyncFixture f = new SyncFixture(dir, "noqresync");
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> fakeImap(server), "fake-imap");
            t.setDaemon(true);
            t.start();
            String text = Files.readString(f.config);
            int remote = text.indexOf("[remote]");
            String local = text.substring(0, remote).replace("port = " + SyncFixture.local().imapPort(),
                    "port = " + server.getLocalPort()).replace("STARTTLS = YES", "STARTTLS = NO");
            Files.writeString(f.config, local + text.substring(remote));
            Cli.Result r = f.sync();
            assertOneLineError(r, "QRESYNC");
            assertTrue(r.output().contains("local"), r.output());
        }
    }

    private static final String CAPS = "IMAP4rev1 LITERAL+ AUTH=PLAIN LIST-EXTENDED LIST-STATUS UIDPLUS ENABLE";

    private static void fakeImap(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = s.getOutputStream();
                send(out, "* OK [CAPABILITY " + CAPS + "] fake server ready");
                String line;
                while ((line = in.readLine()) != null) {
                    String[] parts = line.split(" ", 3);
                    String tag = parts[0];
                    String cmd = parts.length > 1 ? parts[1].toUpperCase() : "";
                    switch (cmd) {
                        case "CAPABILITY" -> send(out, "* CAPABILITY " + CAPS + "\r\n" + tag + " OK done");
                        case "AUTHENTICATE" -> {
                            if (!(parts.length > 2 && parts[2].contains(" "))) {
                                send(out, "+ ");
                                in.readLine();
                            }
                            send(out, tag + " OK [CAPABILITY " + CAPS + "] logged in");
                        }
                        case "LOGIN" -> send(out, tag + " OK [CAPABILITY " + CAPS + "] logged in");
                        case "LOGOUT" -> {
                            send(out, "* BYE bye\r\n" + tag + " OK done");
                            return;
                        }
                        case "NOOP" -> send(out, tag + " OK done");
                        default -> send(out, tag + " BAD not in this fake");
                    }
                }
            } catch (Exception e) {
                return;
            }
        }
    }

    private static void send(OutputStream out, String lines) throws Exception {
        out.write((lines + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
