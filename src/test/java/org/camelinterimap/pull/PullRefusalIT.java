package org.camelinterimap.pull;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.camelinterimap.config.ConnectionConfig;
import org.camelinterimap.imap.ImapConnection;
import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.camelinterimap.rig.TestImap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No poison message: a message the delivery server refuses for good (5xx) is reported once, left
 * unseen on the IMAP server (never purged), and does not hold back the others; a temporary
 * refusal (4xx, a dropped connection) is tried again, nothing lost, nothing delivered twice.
 */
@ExtendWith(DovecotRig.class)
class PullRefusalIT {
    private static final String REFUSAL = "550 5.7.1 content refused";

    @TempDir
    Path dir;

    /** A server that refuses, after the data, every message whose subject starts with "poison". */
    private static FakeSmtpServer poisonRefusingServer(boolean lmtp) throws Exception {
        FakeSmtpServer server = new FakeSmtpServer(lmtp, true, Set.of());
        server.dataReply = m -> subject(m).startsWith("poison") ? REFUSAL : "250 2.0.0 queued";
        return server;
    }

    static String subject(FakeSmtpServer.Received m) {
        String text = new String(m.data(), StandardCharsets.ISO_8859_1);
        int at = text.indexOf("\r\nSubject: ");
        return text.substring(at + 11, text.indexOf("\r\n", at + 11));
    }

    private static List<String> subjects(List<FakeSmtpServer.Received> messages) {
        return messages.stream().map(PullRefusalIT::subject).toList();
    }

    /** Appends one message per subject; returns their sizes. */
    private static List<Integer> put(PullFixture f, String... subjects) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        try (TestImap imap = TestImap.connect(DovecotRig.local(), f.user)) {
            for (String s : subjects) {
                byte[] raw = TestImap.message(s, "text of " + s);
                imap.append("INBOX", raw, null);
                sizes.add(raw.length);
            }
        }
        return sizes;
    }

    /** Appends messages in one MULTIAPPEND, so that a batch under --idle sees them all. */
    private static void putAtOnce(PullFixture f, String... subjects) throws Exception {
        try (ImapConnection imap = ImapConnection.open(connection(f), null, false)) {
            List<ImapConnection.AppendItem> items = new ArrayList<>();
            for (String s : subjects) {
                items.add(new ImapConnection.AppendItem(List.of(), null, TestImap.message(s, "text of " + s)));
            }
            imap.append("INBOX", items);
        }
    }

    private static ConnectionConfig connection(PullFixture f) {
        return new ConnectionConfig("local", ConnectionConfig.Type.IMAP, "127.0.0.1", DovecotRig.local().imapPort(), null, false,
                false, List.of("PLAIN"), f.user, DovecotRig.PASSWORD, false, true, null, null, List.of(), null, null, null);
    }

    private static Map<String, Set<String>> flags(PullFixture f) throws Exception {
        return f.source().stream().collect(Collectors.toMap(TestImap.Msg::subject, TestImap.Msg::flags));
    }

    @ParameterizedTest(name = "lmtp={0}")
    @ValueSource(booleans = {false, true})
    void aRefusedMessageIsReportedKeptAndSkippedTheOthersDelivered(boolean lmtp) throws Exception {
        try (FakeSmtpServer server = poisonRefusingServer(lmtp)) {
            String method = (lmtp ? "lmtp" : "smtp") + ":[127.0.0.1]:" + server.port();
            PullFixture f = new PullFixture(dir, method, "");
            List<Integer> sizes = put(f, "ok 1", "ok 2", "poison 3", "ok 4", "ok 5");
            Cli.Result r = f.run();
            assertNotEquals(0, r.exit(), "the exit status says something was refused\n" + r.output());
            String words = method + ": " + (lmtp ? "DATA for <" + f.rcpt + ">" : "DATA") + ": " + REFUSAL;
            assertTrue(r.stderr().contains("acc(INBOX): ERROR: UID 3 (" + sizes.get(2) + " bytes) refused: " + words + "\n"),
                    r.output());
            assertEquals(1, r.stderr().split("UID 3 \\(", -1).length - 1, "reported once\n" + r.output());
            assertTrue(r.stderr().contains("acc(INBOX): ERROR: 1 message refused (UID 3): left unseen on the IMAP server,"
                    + " not tried again"), r.output());
            assertFalse(r.output().contains("\tat "), "no stack trace");
            assertEquals(List.of("ok 1", "ok 2", "ok 4", "ok 5"), subjects(server.received));
            assertEquals(5, server.attempts.size());
            long[] state = f.state();
            assertEquals(2, state.length, "statefile truncated");
            assertEquals(6, state[1], "UIDNEXT past the refused message");
            Map<String, Set<String>> flags = flags(f);
            assertFalse(flags.get("poison 3").contains("\\Seen"), "the refused message stays unseen");
            flags.forEach((s, fl) -> assertTrue(s.startsWith("poison") || fl.contains("\\Seen"), s + " " + fl));

            // the next run: the refused message is not tried again, later mail flows
            put(f, "ok 6");
            Cli.Result next = f.run();
            assertEquals(0, next.exit(), next.output());
            assertFalse(next.output().contains("refused"), next.output());
            assertEquals(List.of("ok 1", "ok 2", "ok 4", "ok 5", "ok 6"), subjects(server.received));
            assertEquals(6, server.attempts.size());
            assertEquals(7, f.state()[1]);
            assertFalse(flags(f).get("poison 3").contains("\\Seen"));
        }
    }

    @Test
    void refusedMessagesAreNeverPurged() throws Exception {
        try (FakeSmtpServer server = poisonRefusingServer(false)) {
            PullFixture now = new PullFixture(Files.createDirectories(dir.resolve("now")), "smtp:[127.0.0.1]:" + server.port(),
                    "purge-after = 0\n");
            put(now, "ok 1", "poison 2", "ok 3");
            assertNotEquals(0, now.run().exit());
            assertEquals(List.of("poison 2"), now.source().stream().map(TestImap.Msg::subject).toList());
            assertEquals(0, now.run().exit());
            assertEquals(List.of("poison 2"), now.source().stream().map(TestImap.Msg::subject).toList());

            PullFixture old = new PullFixture(Files.createDirectories(dir.resolve("old")), "smtp:[127.0.0.1]:" + server.port(),
                    "purge-after = 7\n");
            try (ImapConnection imap = ImapConnection.open(connection(old), null, false)) {
                imap.append("INBOX", List.of(
                        new ImapConnection.AppendItem(List.of(), "01-Jan-2020 10:00:00 +0000", TestImap.message("old 1", "x")),
                        new ImapConnection.AppendItem(List.of(), "02-Jan-2020 10:00:00 +0000", TestImap.message("poison old", "x")),
                        new ImapConnection.AppendItem(List.of(), "03-Jan-2020 10:00:00 +0000", TestImap.message("old 3", "x"))));
            }
            Cli.Result r = old.run();
            assertNotEquals(0, r.exit(), r.output());
            assertTrue(r.stderr().contains("Removing 2 UID(s) 1,3"), r.output());
            assertEquals(List.of("poison old"), old.source().stream().map(TestImap.Msg::subject).toList());
        }
    }

    @Test
    void whenEveryMessageIsRefusedNothingIsSkippedUntilAnotherGoesThrough() throws Exception {
        try (FakeSmtpServer server = poisonRefusingServer(false)) {
            PullFixture f = new PullFixture(dir, "smtp:[127.0.0.1]:" + server.port(), "");
            put(f, "poison 1", "poison 2");
            Cli.Result first = f.run();
            assertNotEquals(0, first.exit(), first.output());
            assertTrue(first.stderr().contains("2 messages refused (UID 1:2) and none delivered: none skipped"), first.output());
            assertEquals(1, f.state()[1], "a server that refuses everything may be the set-up's fault: nothing skipped");
            assertEquals(2, f.state().length);

            Cli.Result again = f.run();
            assertNotEquals(0, again.exit(), again.output());
            assertEquals(4, server.attempts.size(), "tried again");
            assertEquals(1, f.state()[1]);

            put(f, "ok 3");
            Cli.Result third = f.run();
            assertNotEquals(0, third.exit(), third.output());
            assertTrue(third.stderr().contains("2 messages refused (UID 1:2): left unseen on the IMAP server"), third.output());
            assertEquals(List.of("ok 3"), subjects(server.received));
            assertEquals(4, f.state()[1]);

            Cli.Result fourth = f.run();
            assertEquals(0, fourth.exit(), fourth.output());
            assertEquals(7, server.attempts.size(), "the skipped ones are not tried again");
            assertTrue(f.source().stream().filter(m -> m.subject().startsWith("poison")).noneMatch(m -> m.flags().contains("\\Seen")));
        }
    }

    /** A server that answers the data of the message "ok 2" with {@code first} the first time, then takes it. */
    private static FakeSmtpServer onceTemporarily(Function<FakeSmtpServer.Received, String> first) throws Exception {
        FakeSmtpServer server = new FakeSmtpServer(false, true, Set.of());
        AtomicInteger tries = new AtomicInteger();
        server.dataReply = m -> subject(m).equals("ok 2") && tries.getAndIncrement() == 0 ? first.apply(m) : "250 2.0.0 queued";
        return server;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"451", "drop"})
    void aTemporaryRefusalIsTriedAgainByTheNextRun(String how) throws Exception {
        try (FakeSmtpServer server = onceTemporarily(m -> how.equals("drop") ? null : "451 4.3.0 try again later")) {
            PullFixture f = new PullFixture(dir, "smtp:[127.0.0.1]:" + server.port(), "");
            put(f, "ok 1", "ok 2", "ok 3");
            Cli.Result r = f.run();
            assertNotEquals(0, r.exit(), r.output());
            assertTrue(r.stderr().contains("UID 2 not delivered, will be retried: smtp:[127.0.0.1]:" + server.port() + ": "
                    + (how.equals("drop") ? "connection lost" : "DATA: 451 4.3.0 try again later")), r.output());
            assertFalse(r.stderr().contains("refused"), r.output());
            assertEquals(List.of("ok 1"), subjects(server.received));
            assertEquals(2, f.state()[1]);
            assertFalse(flags(f).get("ok 2").contains("\\Seen"));

            Cli.Result next = f.run();
            assertEquals(0, next.exit(), next.output());
            assertEquals(List.of("ok 1", "ok 2", "ok 3"), subjects(server.received), "nothing lost, nothing twice");
            assertEquals(4, f.state()[1]);
            assertTrue(f.source().stream().allMatch(m -> m.flags().contains("\\Seen")));
        }
    }

    @Test
    void underIdleATemporaryRefusalIsTriedAgainAfterABackoffAndARefusalSkipped() throws Exception {
        try (FakeSmtpServer server = onceTemporarily(m -> "451 4.3.0 try again later")) {
            Function<FakeSmtpServer.Received, String> once = server.dataReply;
            server.dataReply = m -> subject(m).startsWith("poison") ? REFUSAL : once.apply(m);
            PullFixture f = new PullFixture(dir, "smtp:[127.0.0.1]:" + server.port(), "");
            assertEquals(0, f.run().exit(), "a one-shot run creates the statefile");
            Process p = f.start(Map.of(), "--idle");
            try {
                putAtOnce(f, "ok 1", "ok 2", "poison 3", "ok 4");
                await().atMost(Duration.ofSeconds(60)).until(() -> server.received.size() == 3);
                assertTrue(p.isAlive(), "still idling");
                put(f, "ok 5");
                await().atMost(Duration.ofSeconds(60)).until(() -> server.received.size() == 4);
                await().atMost(Duration.ofSeconds(30)).until(() -> f.state()[1] == 6);
            } finally {
                p.destroy();
            }
            Cli.Result r = Cli.finish(p);
            assertEquals(List.of("ok 1", "ok 2", "ok 4", "ok 5"), subjects(server.received), "nothing lost, nothing twice");
            assertTrue(r.stderr().contains("retrying delivery in 1s"), r.stderr());
            assertEquals(1, r.stderr().split("UID 3 \\(", -1).length - 1, "reported once\n" + r.stderr());
            assertTrue(r.stderr().contains("1 message refused since the start, left unseen on the IMAP server"), r.stderr());
            assertFalse(flags(f).get("poison 3").contains("\\Seen"));
        }
    }
}
