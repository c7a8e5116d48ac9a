package org.camelinterimap.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.camelinterimap.config.ConnectionConfig;
import org.camelinterimap.imap.ImapConnection;
import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.camelinterimap.rig.TestImap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** purge-after: 0 deletes right after delivery; N deletes delivered messages older than N days. */
@ExtendWith(DovecotRig.class)
class PullPurgeIT {
    @TempDir
    Path dir;

    @Test
    void zeroDeletesRightAfterDelivery() throws Exception {
        PullFixture f = new PullFixture(dir, "lmtp:[127.0.0.1]:" + DovecotRig.remote().lmtpPort(), "purge-after = 0\n");
        f.put(2, "purge0");
        Cli.Result r = f.run();
        assertEquals(0, r.exit(), r.output());
        assertEquals(2, f.delivered().size());
        assertEquals(0, f.source().size());
    }

    @Test
    void daysDeleteOnlyOldMessages() throws Exception {
        PullFixture f = new PullFixture(dir, "lmtp:[127.0.0.1]:" + DovecotRig.remote().lmtpPort(), "purge-after = 7\n");
        ConnectionConfig cfg = new ConnectionConfig("local", ConnectionConfig.Type.IMAP, "127.0.0.1",
                DovecotRig.local().imapPort(), null, false, false, List.of("PLAIN"), f.user, DovecotRig.PASSWORD, false,
                true, null, null, List.of(), null, null, null);
        try (ImapConnection imap = ImapConnection.open(cfg, null, false)) {
            imap.append("INBOX", List.of(
                    new ImapConnection.AppendItem(List.of(), "01-Jan-2020 10:00:00 +0000", TestImap.message("old 1", "x")),
                    new ImapConnection.AppendItem(List.of(), "02-Jan-2020 10:00:00 +0000", TestImap.message("old 2", "x"))));
        }
        f.put(1, "recent");
        Cli.Result r = f.run();
        assertEquals(0, r.exit(), r.output());
        assertEquals(3, f.delivered().size());
        assertEquals(List.of("recent 0"), f.source().stream().map(TestImap.Msg::subject).toList());
    }
}
