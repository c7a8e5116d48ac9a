package org.camelinterimap.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Several sections run as separate routes in one JVM, each with its own statefile. */
@ExtendWith(DovecotRig.class)
class PullMultiSectionIT {
    @TempDir
    Path dir;

    @Test
    void twoSectionsInOneRun() throws Exception {
        PullFixture a = new PullFixture(Files.createDirectories(dir.resolve("a")));
        PullFixture b = new PullFixture(Files.createDirectories(dir.resolve("b")));
        String lmtp = "lmtp:[127.0.0.1]:" + DovecotRig.remote().lmtpPort();
        Path config = dir.resolve("multi.conf");
        Files.writeString(config, "[sec-a]\n" + PullFixture.section(a.user, lmtp, a.rcpt, a.statefile)
                + "\n[sec-b]\n" + PullFixture.section(b.user, lmtp, b.rcpt, b.statefile));
        a.put(2, "a");
        b.put(3, "b");
        Cli.Result r = Cli.run("pullimap", "--config=" + config, "sec-a", "sec-b");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.stderr().contains("sec-a(INBOX): UID 2") && r.stderr().contains("sec-b(INBOX): UID 3"), r.stderr());
        assertEquals(2, a.delivered().size());
        assertEquals(3, b.delivered().size());
        assertEquals(3, a.state()[1]);
        assertEquals(4, b.state()[1]);
    }
}
