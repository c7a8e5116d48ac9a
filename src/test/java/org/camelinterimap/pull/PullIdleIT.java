package org.camelinterimap.pull;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** --idle: stays connected and delivers a message appended meanwhile; never creates the statefile. */
@ExtendWith(DovecotRig.class)
class PullIdleIT {
    @TempDir
    Path dir;

    @Test
    void deliversAMessageAppendedWhileIdling() throws Exception {
        PullFixture f = new PullFixture(dir);
        f.put(1, "before");
        assertEquals(0, f.run().exit(), "a one-shot run creates the statefile");
        f.put(1, "queued");
        Process p = f.start(Map.of(), "--idle");
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> f.delivered().size() == 2);
            f.put(1, "meanwhile");
            await().atMost(Duration.ofSeconds(60)).until(() -> f.delivered().size() == 3);
            f.put(2, "burst");
            await().atMost(Duration.ofSeconds(60)).until(() -> f.delivered().size() == 5);
            assertTrue(p.isAlive(), "still idling");
            assertEquals(6, f.state()[1]);
        } finally {
            p.destroy();
            Cli.finish(p);
        }
    }

    @Test
    void reconnectsWhenTheServerDropsTheConnection() throws Exception {
        PullFixture f = new PullFixture(dir);
        f.put(1, "before");
        assertEquals(0, f.run().exit(), "a one-shot run creates the statefile");
        Process p = f.start(Map.of(), "--idle");
        try {
            f.put(1, "first");
            await().atMost(Duration.ofSeconds(60)).until(() -> f.delivered().size() == 2);
            DovecotRig.kick(DovecotRig.local(), f.user);
            f.put(1, "after the drop");
            await().atMost(Duration.ofSeconds(60)).until(() -> f.delivered().size() == 3);
            assertTrue(p.isAlive(), "still idling after the reconnection");
        } finally {
            p.destroy();
        }
        Cli.Result r = Cli.finish(p);
        assertTrue(r.stderr().contains("reconnecting in 1s"), r.stderr());
        assertEquals(4, f.state()[1], "UIDNEXT after the three deliveries");
    }

    @Test
    void doesNotCreateTheStatefile() throws Exception {
        PullFixture f = new PullFixture(dir);
        Cli.Result r = f.run("--idle");
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.stderr().contains("cannot open statefile " + f.statefile + ": no such file"), r.stderr());
        assertTrue(Files.notExists(f.statefile));
    }
}
