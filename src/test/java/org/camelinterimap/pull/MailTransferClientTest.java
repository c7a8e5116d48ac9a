package org.camelinterimap.pull;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The SMTP/LMTP client against the scripted server: dot-stuffing, LMTP per-recipient replies, refusals. */
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
            MailTransferClient.DeliveryException e = assertThrows(MailTransferClient.DeliveryException.class,
                    () -> c.deliver("a@example.org", List.of("one@example.org", "gone@example.org"), MESSAGE));
            assertEquals(550, e.reply().code());
            assertTrue(e.sessionUsable());
            // the session is still in step: the next transaction goes through
            c.deliver("a@example.org", List.of("two@example.org"), MESSAGE);
            assertEquals(3, server.received.size());
            assertEquals(List.of("one@example.org", "two@example.org"), server.received.get(0).recipients());
            assertEquals(1, server.count("LHLO"));
        }
    }

    @Test
    void refusedConnectionIsOneLine() {
        MailTransferClient.DeliveryException e = assertThrows(MailTransferClient.DeliveryException.class,
                () -> MailTransferClient.connect(false, "127.0.0.1", 1, "me"));
        assertTrue(e.getMessage().startsWith("cannot connect to smtp:[127.0.0.1]:1: "), e.getMessage());
    }
}
