package org.camelinterimap.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Failures: messages all refused are reported, left unrecorded and retried; bad set-ups fail at once in one line. */
@ExtendWith(DovecotRig.class)
class PullFailureIT {
    @TempDir
    Path dir;

    @Test
    void refusedRecipientIsReportedLeftUnrecordedAndRetriedNextRun() throws Exception {
        try (FakeSmtpServer smtp = new FakeSmtpServer(false, true, Set.of("nobody"))) {
            PullFixture f = new PullFixture(dir, "smtp:[127.0.0.1]:" + smtp.port(), "");
            f.put(2, "refused");
            long[] before;
            Files.writeString(f.config, Files.readString(f.config).replace("deliver-rcpt = " + f.rcpt, "deliver-rcpt = nobody"));
            Cli.Result r = f.run();
            assertNotEquals(0, r.exit(), r.output());
            assertTrue(r.stderr().matches("(?s).*UID 1 \\(\\d+ bytes\\) refused: smtp:\\[127\\.0\\.0\\.1]:" + smtp.port()
                    + ": RCPT TO:<nobody>: 550 5\\.1\\.1.*"), r.output());
            // the server refused every message: most likely the set-up, so none is skipped
            assertTrue(r.stderr().contains("2 messages refused (UID 1:2) and none delivered: none skipped"), r.output());
            assertFalse(r.output().contains("\tat "), "no stack trace");
            before = f.state();
            assertEquals(1, before[1], "nothing recorded as delivered");
            assertEquals(2, before.length);
            assertTrue(f.source().stream().noneMatch(m -> m.flags().contains("\\Seen")));
            assertEquals(0, smtp.received.size());

            Files.writeString(f.config, Files.readString(f.config).replace("deliver-rcpt = nobody", "deliver-rcpt = " + f.rcpt));
            Cli.Result retry = f.run();
            assertEquals(0, retry.exit(), retry.output());
            assertEquals(2, smtp.received.size());
            assertEquals(3, f.state()[1]);
        }
    }

    @Test
    void unreachableServerIsAClearErrorWithNothingRecorded() throws Exception {
        PullFixture f = new PullFixture(dir, "lmtp:[127.0.0.1]:1", "");
        f.put(1, "unreachable");
        Cli.Result r = f.run();
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.stderr().contains("cannot connect to lmtp:[127.0.0.1]:1"), r.output());
        assertFalse(r.output().contains("\tat "), "no stack trace");
        assertEquals(1, f.state()[1]);
    }

    @Test
    void secondProcessOnTheSameStatefileFailsAtOnce() throws Exception {
        PullFixture f = new PullFixture(dir);
        try (FileChannel ch = FileChannel.open(f.statefile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = ch.lock()) {
            Cli.Result r = f.run();
            assertEquals(1, r.exit(), r.output());
            assertEquals("pullimap: cannot lock statefile " + f.statefile + ": another pullimap is running on it",
                    r.stderr().strip());
        }
    }

    @Test
    void badConfigurationIsOneLine() throws Exception {
        PullFixture f = new PullFixture(dir, "pop3:[127.0.0.1]:110", "");
        Cli.Result r = f.run();
        assertEquals(1, r.exit());
        assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
        assertTrue(r.stderr().contains("deliver-method must be smtp:[ADDRESS]:PORT or lmtp:[ADDRESS]:PORT"), r.stderr());
        Cli.Result missing = f.run("nosuchsection");
        assertEquals(1, missing.exit());
        assertTrue(missing.stderr().contains("no such section [nosuchsection]"), missing.stderr());
    }
}
