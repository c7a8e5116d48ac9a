package org.camelinterimap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
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

/**
 * A one-shot run whose listing gives no mailbox a task runs its pass without starting the routes
 * (Camel's start is most of such a run), and that pass still does what a pass with nothing to
 * copy does: subscription changes mirrored, a mailbox gone on one side reported, the exit status.
 * A run with something to copy, or one that serves the management endpoints, starts the routes.
 */
@ExtendWith(DovecotRig.class)
class NothingToCopyIT {
    private static final String SHORTCUT = "nothing to copy: the pass runs without the routes";

    private static SyncFixture synced(Path dir, String user) throws Exception {
        SyncFixture f = new SyncFixture(dir, user);
        try (TestImap l = f.imap(SyncFixture.local())) {
            l.create("Kept", true);
            l.create("Other", true);
            l.append("Kept", "k1");
            l.append("Other", "o1");
        }
        f.syncOk();
        return f;
    }

    @Test
    void subscriptionChangeIsMirroredWithoutTheRoutes(@TempDir Path dir) throws Exception {
        SyncFixture f = synced(dir, "quiet-subscription");
        try (TestImap r = f.imap(SyncFixture.remote())) {
            r.create("Kept", false); // unsubscribed on remote only
        }
        Cli.Result run = f.syncOk("--debug");
        assertTrue(run.output().contains(SHORTCUT), run.output());
        assertTrue(run.output().contains("local: Unsubscribe from Kept"), run.output());
        try (TestImap l = f.imap(SyncFixture.local())) {
            assertFalse(l.subscribed("Kept"));
            assertTrue(l.subscribed("Other"));
        }
        // and the next run, with nothing at all to do, prints what the reference prints and writes nothing
        f.assertSilentRun();
    }

    @Test
    void newMailGoesThroughTheRoutes(@TempDir Path dir) throws Exception {
        SyncFixture f = synced(dir, "quiet-newmail");
        try (TestImap r = f.imap(SyncFixture.remote())) {
            r.append("Other", "o2");
        }
        Cli.Result run = f.syncOk("--debug");
        assertFalse(run.output().contains(SHORTCUT), run.output());
        assertTrue(run.output().contains("local(Other): Added 1 UID(s)"), run.output());
        assertEquals(Map.of("o1", 1, "o2", 1), f.subjectCounts(SyncFixture.local()).get("Other"));
    }

    @Test
    void mailboxGoneOnOneSideIsStillAnError(@TempDir Path dir) throws Exception {
        SyncFixture f = synced(dir, "quiet-vanished");
        try (var c = f.raw(SyncFixture.local())) {
            c.delete("Other");
        }
        Cli.Result run = f.sync("--debug");
        assertEquals(1, run.exit(), run.output());
        assertTrue(run.output().contains(SHORTCUT), run.output());
        assertEquals(1, run.output().lines().filter(l -> l.contains("Mailbox vanished")).count(), run.output());
        assertFalse(run.output().contains("Exception"), run.output());
    }

    @Test
    void theRunRecordingTheArchiveClassesStartsTheRoutes(@TempDir Path dir) throws Exception {
        SyncFixture f = synced(dir, "quiet-recording");
        // as bin/interimap records the classes of its archive: the runs with something to copy need
        // Camel's start in it, so the recording run starts the routes, with nothing to copy too
        Path list = dir.resolve("classes.list");
        Cli.Result run = Cli.finish(Cli.start("interimap", List.of("-XX:DumpLoadedClassList=" + list,
                "-Dcamelinterimap.recording-classes=true"), Map.of(), "--config=" + f.config, "--debug"));
        assertEquals(0, run.exit(), run.output());
        assertFalse(run.output().contains(SHORTCUT), run.output());
        assertTrue(Files.readAllLines(list).contains("org/camelinterimap/component/InterimapConsumer"));
    }

    @Test
    void managementEndpointsStartTheRoutes(@TempDir Path dir) throws Exception {
        SyncFixture f = synced(dir, "quiet-management");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Cli.Result run = f.syncEnv(Map.of("CAMEL_MANAGEMENT_ENABLED", "true", "CAMEL_MANAGEMENT_HOST", "127.0.0.1",
                "CAMEL_MANAGEMENT_PORT", String.valueOf(port)), "--debug");
        assertEquals(0, run.exit(), run.output());
        assertFalse(run.output().contains(SHORTCUT), run.output());
    }
}
