package org.camelinterimap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.camelinterimap.imap.ImapConnection;
import org.camelinterimap.rig.DovecotRig;
import org.camelinterimap.rig.TestImap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Mailboxes synced over one connection pair or over four in parallel end the same. */
@ExtendWith(DovecotRig.class)
class ParallelSyncIT {
    private static final int MAILBOXES = 8;

    @Test
    void oneConnectionAndFourConnectionsGiveIdenticalContents(@TempDir Path dir) throws Exception {
        SyncFixture serial = new SyncFixture(Files.createDirectories(dir.resolve("one")), "serial", "max-connections = 1");
        SyncFixture parallel = new SyncFixture(Files.createDirectories(dir.resolve("four")), "parallel",
                "max-connections = 4");
        for (SyncFixture f : List.of(serial, parallel)) {
            scenarioFirst(f);
            f.syncOk();
            scenarioThen(f);
            f.syncOk();
        }
        SyncFixture.Snapshot l1 = serial.snapshot(SyncFixture.local());
        SyncFixture.Snapshot r1 = serial.snapshot(SyncFixture.remote());
        assertEquals(l1, r1);
        assertEquals(MAILBOXES * 2 + 1, l1.mailboxes().size());
        assertEquals(l1, parallel.snapshot(SyncFixture.local()));
        assertEquals(r1, parallel.snapshot(SyncFixture.remote()));
        serial.assertSilentRun();
        parallel.assertSilentRun();
    }

    private static String date(int i) {
        return String.format("%02d-Jan-2021 10:%02d:%02d +0100", 1 + i % 28, i % 60, (i * 7) % 60);
    }

    /** Deterministic mail (same bytes, flags and dates for both users) in many mailboxes on both sides. */
    private static void scenarioFirst(SyncFixture f) throws Exception {
        try (TestImap l = f.imap(SyncFixture.local()); TestImap r = f.imap(SyncFixture.remote())) {
            for (int m = 0; m < MAILBOXES; m++) {
                l.create("L" + m, m % 2 == 0);
                r.create("R" + m, m % 3 == 0);
            }
        }
        fill(f, SyncFixture.local(), "L", 0);
        fill(f, SyncFixture.remote(), "R", 0);
        fill(f, SyncFixture.remote(), "INBOX", 0);
    }

    private static void scenarioThen(SyncFixture f) throws Exception {
        fill(f, SyncFixture.local(), "R", 100);
        fill(f, SyncFixture.remote(), "L", 100);
        fill(f, SyncFixture.local(), "INBOX", 100);
        try (TestImap l = f.imap(SyncFixture.local())) {
            for (int m = 0; m < MAILBOXES; m += 2) {
                List<TestImap.Msg> msgs = l.messages("L" + m);
                l.flag("L" + m, msgs.get(0).uid(), true, "\\Flagged");
                l.expunge("L" + m, msgs.get(1).uid());
            }
        }
    }

    private static void fill(SyncFixture f, DovecotRig.Server server, String prefix, int base) throws Exception {
        try (ImapConnection c = f.raw(server)) {
            for (int m = 0; m < (prefix.equals("INBOX") ? 1 : MAILBOXES); m++) {
                String mailbox = prefix.equals("INBOX") ? "INBOX" : prefix + m;
                List<ImapConnection.AppendItem> items = new ArrayList<>();
                for (int i = base; i < base + 12; i++) {
                    items.add(new ImapConnection.AppendItem(i % 4 == 0 ? List.of("\\Seen") : List.of(), date(i),
                            SyncFixture.message(mailbox + "-" + i, 500 + 101 * i)));
                }
                c.append(mailbox, items);
            }
        }
    }
}
