package org.camelinterimap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.camelinterimap.imap.ImapConnection;
import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any size of message in bounded memory: the tool runs with a 64 MiB heap (and dies at once if it
 * ever runs out, instead of limping), and copies a 100 MiB message both ways, then 300 messages of
 * 1 MiB, byte for byte.
 */
@ExtendWith(DovecotRig.class)
class LargeMessageIT {
    private static final Map<String, String> SMALL_HEAP = Map.of("JAVA_TOOL_OPTIONS", "-Xmx64m -XX:+ExitOnOutOfMemoryError");

    private static Cli.Result syncSmallHeap(SyncFixture f) throws Exception {
        Cli.Result r = Cli.finish(Cli.start("interimap", SMALL_HEAP, "--config=" + f.config));
        assertEquals(0, r.exit(), () -> "interimap with a 64 MiB heap failed:\n" + r.output());
        assertFalse(r.output().contains("java.lang.OutOfMemoryError"), r::output);
        return r;
    }

    @Test
    void aHundredMebibyteMessageBothWaysUnder64MebibytesOfHeap(@TempDir Path dir) throws Exception {
        SyncFixture f = new SyncFixture(dir, "large", "max-connections = 2");
        try (ImapConnection l = f.raw(SyncFixture.local()); ImapConnection r = f.raw(SyncFixture.remote())) {
            l.append("INBOX", List.of(
                    new ImapConnection.AppendItem(List.of("\\Seen"), null, SyncFixture.message("small before", 3000)),
                    new ImapConnection.AppendItem(List.of(), null, SyncFixture.message("big local", 100 << 20)),
                    new ImapConnection.AppendItem(List.of(), null, SyncFixture.message("small after", 5000))));
            r.append("INBOX", List.of(new ImapConnection.AppendItem(List.of("\\Flagged"), null,
                    SyncFixture.message("big remote", (100 << 20) + 12345))));
        }
        syncSmallHeap(f);
        assertEquals(f.snapshot(SyncFixture.local()), f.snapshot(SyncFixture.remote()));
        f.assertSilentRun();
    }

    @Test
    void threeHundredMessagesOfOneMebibyteUnder64MebibytesOfHeap(@TempDir Path dir) throws Exception {
        SyncFixture f = new SyncFixture(dir, "many1m", "");
        try (ImapConnection l = f.raw(SyncFixture.local())) {
            for (int batch = 0; batch < 30; batch++) {
                List<ImapConnection.AppendItem> items = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    items.add(new ImapConnection.AppendItem(List.of(), null,
                            SyncFixture.message("m" + (batch * 10 + i), (1 << 20) + i * 17)));
                }
                l.append("INBOX", items);
            }
        }
        syncSmallHeap(f);
        assertEquals(f.snapshot(SyncFixture.local()), f.snapshot(SyncFixture.remote()));
    }
}
