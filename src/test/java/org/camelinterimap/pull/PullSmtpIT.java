package org.camelinterimap.pull;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SMTP dialogue through camel-mail's smtp: producer and pullimap's raw sender: one session per
 * batch opened with deliver-ehlo, MAIL FROM the envelope sender, RCPT TO deliver-rcpt, pipelined
 * when offered, the bytes exactly as fetched.
 */
@ExtendWith(DovecotRig.class)
class PullSmtpIT {
    @TempDir
    Path dir;

    @Test
    void pipelinedSessionDeliversBytesUnchangedToTheEnvelopeRecipient() throws Exception {
        try (FakeSmtpServer smtp = new FakeSmtpServer(false, true, Set.of())) {
            dialogue(smtp);
        }
    }

    @Test
    void withoutPipeliningEachCommandWaitsForItsReply() throws Exception {
        try (FakeSmtpServer smtp = new FakeSmtpServer(false, false, Set.of())) {
            dialogue(smtp);
        }
    }

    private void dialogue(FakeSmtpServer smtp) throws Exception {
        PullFixture f = new PullFixture(dir, "smtp:[127.0.0.1]:" + smtp.port(), "deliver-ehlo = pull.example.net\n");
        List<byte[]> sent = f.put(3, "smtp");
        Cli.Result r = f.run();
        assertEquals(0, r.exit(), r.output());
        assertEquals(List.of("EHLO pull.example.net"), smtp.commands.stream().filter(c -> c.startsWith("EHLO")).toList());
        assertEquals(1, smtp.count("QUIT"), "one session for the batch");
        assertEquals(3, smtp.received.size());
        for (int i = 0; i < 3; i++) {
            FakeSmtpServer.Received m = smtp.received.get(i);
            assertEquals("test@example.org", m.from());
            assertEquals(List.of(f.rcpt), m.recipients());
            assertArrayEquals(sent.get(i), m.data(), "message " + i + " changed on the way");
        }
        assertTrue(f.source().stream().allMatch(m -> m.flags().contains("\\Seen")));
    }
}
