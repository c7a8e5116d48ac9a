package org.camelinterimap.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import org.camelinterimap.config.ConnectionConfig;
import org.camelinterimap.imap.FetchedMessage;
import org.camelinterimap.imap.ImapConnection;
import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.camelinterimap.rig.TestImap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages whose From gives no valid address go out with MAIL FROM:&lt;&gt; (the null
 * reverse-path), the messages after them too: a strict SMTP server refuses a malformed
 * reverse-path, and nothing read from a header ever adds a command to the dialogue.
 */
@ExtendWith(DovecotRig.class)
class PullEnvelopeSenderIT {
    /** The odd headers, in UID order after a normal first message; what MAIL FROM each one gives. */
    private static final List<String[]> ODD = List.of(
            new String[] {"From: undisclosed-recipients:;", ""},
            new String[] {"From: a@b>\r\nRCPT TO:<x@y>", ""},
            new String[] {"From: <a@b>\r\n RCPT TO:<x@y>", ""},
            new String[] {"From: \"Doe, John\" <john@example.org>", "john@example.org"},
            new String[] {"From: foo", ""});

    @TempDir
    Path dir;

    private static byte[] message(String from, String subject) {
        return (from + "\r\nTo: user@example.org\r\nSubject: " + subject + "\r\nMessage-ID: <" + System.nanoTime()
                + "@test>\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Appends a normal message, the odd ones, then another normal one. */
    private static void putAll(PullFixture f) throws Exception {
        try (TestImap imap = TestImap.connect(DovecotRig.local(), f.user)) {
            imap.append("INBOX", message("From: first@example.org", "first"), null);
            for (int i = 0; i < ODD.size(); i++) {
                imap.append("INBOX", message(ODD.get(i)[0], "odd " + i), null);
            }
            imap.append("INBOX", message("From: last@example.org", "last"), null);
        }
    }

    @Test
    void aStrictSmtpServerTakesEveryMessage() throws Exception {
        try (FakeSmtpServer smtp = new FakeSmtpServer(false, true, Set.of())) {
            // as Postfix: a reverse-path that is not an address is a syntax error
            smtp.mailReply = from -> from.isEmpty() || from.matches("[^\\s<>@]+@[A-Za-z0-9.-]+") ? "250 2.1.0 ok"
                    : "501 5.1.7 Bad sender address syntax";
            PullFixture f = new PullFixture(dir, "smtp:[127.0.0.1]:" + smtp.port(), "");
            putAll(f);
            Cli.Result r = f.run();
            assertEquals(0, r.exit(), r.output());
            assertEquals(ODD.size() + 2, smtp.received.size(), r.output());
            assertEquals("first@example.org", smtp.received.get(0).from());
            for (int i = 0; i < ODD.size(); i++) {
                assertEquals(ODD.get(i)[1], smtp.received.get(i + 1).from(), ODD.get(i)[0]);
            }
            assertEquals("last@example.org", smtp.received.get(ODD.size() + 1).from());
            assertTrue(r.stderr().contains("acc(INBOX): UID 2 from <> ("), r.output());
            assertEquals(0, smtp.count("RCPT TO:<x@y"), "no command from a header");
            assertEquals(ODD.size() + 2, smtp.count("RCPT TO:<" + f.rcpt + ">"));
            assertEquals(ODD.size() + 3, f.state()[1]);
            assertTrue(fetch(DovecotRig.local(), f.user, "UID FLAGS").stream().allMatch(m -> m.flags().contains("\\Seen")));
        }
    }

    @Test
    void dovecotLmtpRecordsTheNullReversePath() throws Exception {
        PullFixture f = new PullFixture(dir);
        putAll(f);
        Cli.Result r = f.run();
        assertEquals(0, r.exit(), r.output());
        List<FetchedMessage> got = fetch(DovecotRig.remote(), f.rcpt, "UID BODY.PEEK[]");
        assertEquals(ODD.size() + 2, got.size());
        assertTrue(returnPath(got.get(0)).equals("<first@example.org>"), returnPath(got.get(0)));
        for (int i = 0; i < ODD.size(); i++) {
            assertEquals("<" + ODD.get(i)[1] + ">", returnPath(got.get(i + 1)), ODD.get(i)[0]);
        }
        assertEquals(ODD.size() + 3, f.state()[1]);
    }

    /**
     * The messages of a user's INBOX in UID order, through our own IMAP client: Angus Mail's, under
     * TestImap, fails on the ENVELOPE Dovecot gives for these headers.
     */
    private static List<FetchedMessage> fetch(DovecotRig.Server server, String user, String items) throws Exception {
        ConnectionConfig cfg = new ConnectionConfig("test", ConnectionConfig.Type.IMAP, "127.0.0.1", server.imapPort(), null,
                false, false, List.of("PLAIN"), user, DovecotRig.PASSWORD, false, true, null, null, List.of(), null, null, null);
        try (ImapConnection imap = ImapConnection.open(cfg, null, false)) {
            imap.selectPlain("INBOX");
            List<FetchedMessage> out = new ArrayList<>(imap.uidFetch("1:*", items, 0, null));
            out.sort(Comparator.comparingLong(FetchedMessage::uid));
            return out;
        }
    }

    private static String returnPath(FetchedMessage m) {
        String head = new String(m.body(), StandardCharsets.ISO_8859_1);
        int at = head.indexOf("Return-Path: ");
        return at < 0 ? "(none)" : head.substring(at + "Return-Path: ".length(), head.indexOf("\r\n", at));
    }
}
