package org.camelinterimap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.camelinterimap.rig.TestImap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first run when both servers already hold mail: every mailbox is created where it is missing
 * (delimiter translated, awkward names kept), subscriptions are mirrored, and every message is
 * copied byte for byte with its flags and INTERNALDATE.
 */
@ExtendWith(DovecotRig.class)
class InitialSyncIT {
    /** Names with a space, a double quote, a backslash, '&' and non-ASCII characters (modified UTF-7 on the wire). */
    static final List<String> LOCAL_ONLY = List.of("Work/Projects/Q1 plan", "say \"hi\"", "back\\slash",
            "Caf\u00e9 & Cr\u00e8me", "\u65e5\u672c\u8a9e/sub");
    static final List<String> REMOTE_ONLY = List.of("Archive/2024", "R\u00e9sum\u00e9s & more", "tabs and  spaces");

    @Test
    void bothSidesHoldMailAndMailboxesThenEverythingIsOnBothSides(@TempDir Path dir) throws Exception {
        SyncFixture f = new SyncFixture(dir, "initial");
        try (TestImap l = f.imap(SyncFixture.local()); TestImap r = f.imap(SyncFixture.remote())) {
            for (String name : LOCAL_ONLY) {
                l.create(name, !name.startsWith("back"));
            }
            for (String name : REMOTE_ONLY) {
                r.create(name.replace('/', '.'), !name.startsWith("tabs"));
            }
            l.create("Shared", false);
            r.create("Shared", true); // subscribed on one side only: subscribed on both afterwards
        }
        // INTERNALDATEs in several time zones, seconds that matter, system flags and keywords
        f.append(SyncFixture.local(), "INBOX", SyncFixture.message("l-inbox-1"), "01-Feb-2020 10:11:12 +0530", "\\Seen");
        f.append(SyncFixture.local(), "INBOX", SyncFixture.message("l-inbox-2"), "29-Feb-2024 23:59:59 -0800",
                "\\Flagged", "\\Answered", "$Label1");
        f.append(SyncFixture.local(), "INBOX", SyncFixture.message("l-inbox-3", 300_000), " 3-Mar-2003 03:03:03 +0000");
        f.append(SyncFixture.local(), "INBOX", "Subject: l-8bit\r\nX-Note: caf\u00e9 \u00fcber\r\n\r\n\u00e9\u00e9 8bit body\r\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), "04-Apr-2004 04:04:04 +0100", "\\Draft");
        f.append(SyncFixture.local(), SyncFixture.encode("Work/Projects/Q1 plan"), SyncFixture.message("l-q1"),
                "05-May-2015 05:05:05 +1200", "\\Seen", "Junk");
        f.append(SyncFixture.local(), SyncFixture.encode("Caf\u00e9 & Cr\u00e8me"), SyncFixture.message("l-cafe"),
                null, "$Important");
        f.append(SyncFixture.local(), "say \"hi\"", SyncFixture.message("l-quote"), null);
        f.append(SyncFixture.remote(), "INBOX", SyncFixture.message("r-inbox-1"), "06-Jun-2016 06:06:06 -0330", "\\Seen",
                "\\Deleted");
        f.append(SyncFixture.remote(), "INBOX", SyncFixture.message("r-inbox-2"), "07-Jul-2017 07:07:07 +0000");
        f.append(SyncFixture.remote(), "Archive.2024", SyncFixture.message("r-archive"), "08-Aug-2018 08:08:08 +0200",
                "\\Answered");
        f.append(SyncFixture.remote(), SyncFixture.encode("R\u00e9sum\u00e9s & more"), SyncFixture.message("r-resume"),
                null, "\\Flagged");
        f.append(SyncFixture.remote(), "Shared", SyncFixture.message("r-shared"), null);
        f.append(SyncFixture.local(), "Shared", SyncFixture.message("l-shared"), null);

        Cli.Result first = f.syncOk();
        for (String name : LOCAL_ONLY) {
            assertTrue(first.output().contains("remote: Created mailbox " + name.replace('/', '.'))
                    || first.output().contains("Created mailbox " + SyncFixture.encode(name).replace('/', '.')),
                    () -> "creation of " + name + " reported:\n" + first.output());
        }

        SyncFixture.Snapshot local = f.snapshot(SyncFixture.local());
        SyncFixture.Snapshot remote = f.snapshot(SyncFixture.remote());
        assertEquals(local.mailboxes().keySet(), remote.mailboxes().keySet(), "same mailboxes on both sides");
        for (String name : LOCAL_ONLY) {
            assertTrue(remote.mailboxes().containsKey(name), name + " created on remote: " + remote.mailboxes().keySet());
        }
        for (String name : REMOTE_ONLY) {
            assertTrue(local.mailboxes().containsKey(name), name + " created on local: " + local.mailboxes().keySet());
        }
        assertEquals(local.mailboxes(), remote.mailboxes(), "every message, byte-exact, with flags and INTERNALDATE");
        assertEquals(local.subscribed(), remote.subscribed(), "subscriptions mirrored");
        assertEquals(Boolean.TRUE, local.subscribed().get("Shared"));
        assertEquals(Boolean.TRUE, local.subscribed().get("R\u00e9sum\u00e9s & more"));
        assertEquals(Boolean.FALSE, remote.subscribed().get("back\\slash"));
        assertEquals(Boolean.TRUE, remote.subscribed().get("Caf\u00e9 & Cr\u00e8me"));

        Map<String, Integer> inbox = counts(local.mailboxes().get("INBOX"));
        assertEquals(Map.of("l-inbox-1", 1, "l-inbox-2", 1, "l-inbox-3", 1, "r-inbox-1", 1, "r-inbox-2", 1, "l-8bit", 1),
                inbox);
        assertEquals(2, local.mailboxes().get("Shared").size());
        SyncFixture.Item flagged = find(remote, "INBOX", "l-inbox-2");
        assertEquals("$Label1 \\Answered \\Flagged", flagged.flags());
        // 29-Feb-2024 23:59:59 -0800 is 2024-03-01T07:59:59Z
        assertEquals(java.time.Instant.parse("2024-03-01T07:59:59Z").toEpochMilli(), flagged.internalDate());
        assertEquals(java.time.Instant.parse("2016-06-06T09:36:06Z").toEpochMilli(),
                find(local, "INBOX", "r-inbox-1").internalDate());
        assertEquals("\\Deleted \\Seen", find(local, "INBOX", "r-inbox-1").flags(), "\\Deleted is a flag like others");

        f.assertSilentRun();
        Cli.Result quiet = f.sync("-q");
        assertEquals(0, quiet.exit(), quiet.output());
        assertEquals("", quiet.output(), "-q: not even the traffic lines");
    }

    private static Map<String, Integer> counts(List<SyncFixture.Item> items) {
        Map<String, Integer> m = new TreeMap<>();
        for (SyncFixture.Item i : items) {
            m.merge(i.subject() == null ? "<none>" : i.subject(), 1, Integer::sum);
        }
        return m;
    }

    private static SyncFixture.Item find(SyncFixture.Snapshot s, String mailbox, String subject) {
        return s.mailboxes().get(mailbox).stream().filter(i -> subject.equals(i.subject())).findFirst().orElseThrow();
    }
}
