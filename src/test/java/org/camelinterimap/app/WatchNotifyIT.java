package org.camelinterimap.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.camelinterimap.rig.TestImap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Long-running modes: --watch polls, --notify is woken by the servers' NOTIFY events. */
@ExtendWith(DovecotRig.class)
class WatchNotifyIT {

    private static int count(DovecotRig.Server server, String user) throws Exception {
        try (TestImap imap = TestImap.connect(server, user)) {
            return imap.messages("INBOX").size();
        }
    }

    private void keepsSyncing(Path dir, String user, String... args) throws Exception {
        Path config = DovecotRig.writeInterimapConfig(dir, user, "");
        String[] all = new String[args.length + 1];
        all[0] = "--config=" + config;
        System.arraycopy(args, 0, all, 1, args.length);
        Process p = Cli.start("interimap", Map.of(), all);
        try {
            try (TestImap local = TestImap.connect(DovecotRig.local(), user)) {
                local.append("INBOX", "first while running");
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> count(DovecotRig.remote(), user) == 1);
            try (TestImap remote = TestImap.connect(DovecotRig.remote(), user)) {
                remote.append("INBOX", "second while running");
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> count(DovecotRig.local(), user) == 2);
            assertEquals(2, count(DovecotRig.remote(), user));
        } finally {
            p.destroy();
            Cli.finish(p);
        }
    }

    @Test
    void aSecondRunOnTheSameDatabaseIsRefusedWhileTheFirstWatches(@TempDir Path dir) throws Exception {
        String user = DovecotRig.user("lock");
        Path config = DovecotRig.writeInterimapConfig(dir, user, "");
        Process watching = Cli.start("interimap", Map.of(), "--config=" + config, "--watch=1");
        try {
            try (TestImap local = TestImap.connect(DovecotRig.local(), user)) {
                local.append("INBOX", "proof the first one runs");
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> count(DovecotRig.remote(), user) == 1);
            Cli.Result second = Cli.run("interimap", "--config=" + config);
            assertEquals(1, second.exit());
            assertEquals("interimap: database: " + dir.resolve("interimap.db")
                    + " is in use by another process (is interimap already running?)\n", second.output());
        } finally {
            watching.destroy();
            Cli.finish(watching);
        }
    }

    @Test
    void watchCopiesMailArrivingWhileItRuns(@TempDir Path dir) throws Exception {
        keepsSyncing(dir, DovecotRig.user("watch"), "--watch=1");
    }

    @Test
    void notifyCopiesMailAsTheServersReportIt(@TempDir Path dir) throws Exception {
        // the fallback interval is an hour: only the servers' notifications can explain a prompt copy
        keepsSyncing(dir, DovecotRig.user("notify"), "--notify", "--watch=3600");
    }
}
