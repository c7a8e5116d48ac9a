package org.camelinterimap.pull;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SMTP/LMTP client against the scripted server: dot-stuffing, LMTP per-recipient replies, refusals and what they mean. */
class MailTransferClientTest {
    private static final byte[] MESSAGE = ("From: a@example.org\r\nSubject: dots\r\n\r\n.starts with a dot\r\n..two\r\n"
            + "middle . dot\r\n.\r\nend").getBytes(StandardCharsets.US_ASCII);

    @Test
    void smtpDotStuffsAndEndsWithCrlf() throws Exception {
        try (FakeSmtpServer server = new FakeSmtpServer(false, true, Set.of());
             MailTransferClient c = MailTransferClient.connect(false, "127.0.0.1", server.port(), "me.example")) {
            assertTrue(c.pipelining());
            c.deliver("a@example.org", List.of("rcpt@example.org"), MESSAGE);
            c.deliver("", List.of("rcpt@example.org"), MESSAGE);
            assertEquals(2, server.received.size());
            byte[] expected = (new String(MESSAGE, StandardCharsets.US_ASCII) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            assertArrayEquals(expected, server.received.get(0).data());
            assertEquals("", server.received.get(1).from());
            assertEquals(1, server.count("EHLO me.example"));
        }
    }

    @Test
    void lmtpReadsOneReplyPerAcceptedRecipient() throws Exception {
        try (FakeSmtpServer server = new FakeSmtpServer(true, false, Set.of("gone@example.org"));
             MailTransferClient c = MailTransferClient.connect(true, "127.0.0.1", server.port(), "me.example")) {
            c.deliver("a@example.org", List.of("one@example.org", "two@example.org"), MESSAGE);
            c.deliver("a@example.org", List.of("two@example.org"), MESSAGE);
            assertEquals(2, server.received.size());
            assertEquals(List.of("one@example.org", "two@example.org"), server.received.get(0).recipients());
            assertEquals(1, server.count("LHLO"));
        }
    }

    @Test
    void oneRecipientRefusedAfterDataWasOpenedDeliversNothingToTheOthers() throws Exception {
        try (FakeSmtpServer server = new FakeSmtpServer(true, false, Set.of("gone@example.org"))) {
            try (MailTransferClient c = MailTransferClient.connect(true, "127.0.0.1", server.port(), "me.example")) {
                MailTransferClient.DeliveryException e = assertThrows(MailTransferClient.DeliveryException.class,
                        () -> c.deliver("a@example.org", List.of("one@example.org", "gone@example.org"), MESSAGE));
                assertEquals(550, e.reply().code());
                assertTrue(e.permanent());
                // the server said 354 to DATA: ending the data, even empty, would deliver to one@; the
                // connection is dropped instead, which aborts the transaction
                assertFalse(e.sessionUsable());
            }
            try (MailTransferClient c = MailTransferClient.connect(true, "127.0.0.1", server.port(), "me.example")) {
                c.deliver("a@example.org", List.of("two@example.org"), MESSAGE);
            }
            assertEquals(1, server.received.size());
            assertEquals(List.of("two@example.org"), server.received.get(0).recipients());
        }
    }

    @ParameterizedTest(name = "lmtp={0} pipelining={1}")
    @CsvSource({"false, true", "false, false", "true, false"})
    void permanentRefusalsAreTheFiveHundredsOfTheTransaction(boolean lmtp, boolean pipelining) throws Exception {
        try (FakeSmtpServer server = new FakeSmtpServer(lmtp, pipelining, Set.of("gone@example.org"));
             MailTransferClient c = MailTransferClient.connect(lmtp, "127.0.0.1", server.port(), "me.example")) {
            String v = lmtp ? "DATA for <r@example.org>" : "DATA";
            server.mailReply = from -> from.equals("bad@example.org") ? "553 5.1.8 sender refused"
                    : from.equals("busy@example.org") ? "451 4.3.0 try later" : "250 ok";
            server.dataReply = m -> new String(m.data(), StandardCharsets.ISO_8859_1).contains("poison")
                    ? "550 5.7.1 content refused" : new String(m.data(), StandardCharsets.ISO_8859_1).contains("full")
                    ? "452 4.2.2 mailbox full" : "250 2.0.0 ok";
            byte[] poison = "Subject: poison\r\n\r\nx".getBytes(StandardCharsets.US_ASCII);
            byte[] full = "Subject: full\r\n\r\nx".getBytes(StandardCharsets.US_ASCII);

            assertRefusal(c, "bad@example.org", "r@example.org", MESSAGE, true, "MAIL FROM:<bad@example.org>: 553 5.1.8 sender refused");
            assertRefusal(c, "busy@example.org", "r@example.org", MESSAGE, false, "MAIL FROM:<busy@example.org>: 451 4.3.0 try later");
            assertRefusal(c, "a@example.org", "gone@example.org", MESSAGE, true, "RCPT TO:<gone@example.org>: 550 5.1.1");
            assertRefusal(c, "a@example.org", "r@example.org", poison, true, v + ": 550 5.7.1 content refused");
            assertRefusal(c, "a@example.org", "r@example.org", full, false, v + ": 452 4.2.2 mailbox full");
            // every refusal left the session in step
            c.deliver("a@example.org", List.of("r@example.org"), MESSAGE);
            assertEquals(1, server.received.size());
            assertEquals(1, server.count(lmtp ? "LHLO" : "EHLO"));
        }
    }

    private static void assertRefusal(MailTransferClient c, String from, String rcpt, byte[] message, boolean permanent,
                                      String words) {
        MailTransferClient.DeliveryException e = assertThrows(MailTransferClient.DeliveryException.class,
                () -> c.deliver(from, List.of(rcpt), message));
        assertEquals(permanent, e.permanent(), e.getMessage());
        assertTrue(e.sessionUsable(), e.getMessage());
        assertTrue(e.getMessage().startsWith(c.server() + ": " + words), e.getMessage());
    }

    @Test
    void aDroppedConnectionIsNotARefusal() throws Exception {
        try (FakeSmtpServer server = new FakeSmtpServer(false, true, Set.of());
             MailTransferClient c = MailTransferClient.connect(false, "127.0.0.1", server.port(), "me.example")) {
            server.dataReply = m -> null;
            MailTransferClient.DeliveryException e = assertThrows(MailTransferClient.DeliveryException.class,
                    () -> c.deliver("a@example.org", List.of("r@example.org"), MESSAGE));
            assertFalse(e.permanent());
            assertFalse(e.sessionUsable());
            assertTrue(e.getMessage().contains("connection lost"), e.getMessage());
        }
    }

    @Test
    void aRefusedSessionIsNotARefusalOfTheMessage() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket c = s.accept()) {
                    c.getOutputStream().write("554 5.7.1 no service for you\r\n".getBytes(StandardCharsets.US_ASCII));
                    c.getInputStream().read();
                } catch (IOException ignored) {
                    // the client went away
                }
            });
            t.start();
            MailTransferClient.DeliveryException e = assertThrows(MailTransferClient.DeliveryException.class,
                    () -> MailTransferClient.connect(false, "127.0.0.1", s.getLocalPort(), "me"));
            assertFalse(e.permanent(), "not this message's fault: retried");
            assertEquals(554, e.reply().code());
            t.join(10_000);
        }
    }

    @Test
    void theServersWordsAreReportedPrintableAndShort() {
        String brief = MailTransferClient.brief(new MailTransferClient.Reply(550,
                "5.7.1 first line\u001b[31m\nsecond\u202eline\n" + "x".repeat(1000)));
        assertTrue(brief.startsWith("550 5.7.1 first line?[31m / second?line / xxx"), brief);
        assertTrue(brief.length() <= MailTransferClient.BRIEF_REPLY + 3, brief);
        assertTrue(brief.endsWith("..."), brief);
        assertTrue(brief.chars().noneMatch(Character::isISOControl), brief);
    }

    @Test
    void aControlCharacterInAnAddressIsNeverSent() throws Exception {
        try (FakeSmtpServer server = new FakeSmtpServer(false, true, Set.of());
             MailTransferClient c = MailTransferClient.connect(false, "127.0.0.1", server.port(), "me.example")) {
            MailTransferClient.DeliveryException e = assertThrows(MailTransferClient.DeliveryException.class,
                    () -> c.deliver("a@example.org", List.of("r@example.org>\r\nRCPT TO:<x@y"), MESSAGE));
            assertFalse(e.permanent());
            c.deliver("a@example.org", List.of("r@example.org"), MESSAGE);
            assertEquals(0, server.count("RCPT TO:<x@y"));
            assertEquals(1, server.count("MAIL"));
        }
    }

    @Test
    void refusedConnectionIsOneLine() {
        MailTransferClient.DeliveryException e = assertThrows(MailTransferClient.DeliveryException.class,
                () -> MailTransferClient.connect(false, "127.0.0.1", 1, "me"));
        assertTrue(e.getMessage().startsWith("cannot connect to smtp:[127.0.0.1]:1: "), e.getMessage());
    }
}
