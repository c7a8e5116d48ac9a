package org.camelinterimap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.camelinterimap.rig.TestImap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Runs after the first: only what changed crosses, in the fewest commands; nothing changed, nothing written. */
@ExtendWith(DovecotRig.class)
class IncrementalSyncIT {

    /** Subject → UID in a mailbox of one server. */
    private static Map<String, Long> uids(TestImap t, String mailbox) throws Exception {
        Map<String, Long> m = new HashMap<>();
        for (TestImap.Msg msg : t.messages(mailbox)) {
            m.put(msg.subject(), msg.uid());
        }
        return m;
    }

    @Test
    void expungesFlagsConflictsAndNewMailPropagate(@TempDir Path dir) throws Exception {
        SyncFixture f = new SyncFixture(dir, "incr");
        try (TestImap l = f.imap(SyncFixture.local()); TestImap r = f.imap(SyncFixture.remote())) {
            for (int i = 1; i <= 8; i++) {
                l.append("INBOX", "m" + i);
            }
            r.append("INBOX", "r1");
            r.append("INBOX", "r2", "\\Seen");
            l.create("Other", true);
            l.append("Other", "o1");
        }
        f.syncOk();

        try (TestImap l = f.imap(SyncFixture.local()); TestImap r = f.imap(SyncFixture.remote())) {
            Map<String, Long> lu = uids(l, "INBOX");
            Map<String, Long> ru = uids(r, "INBOX");
            l.expunge("INBOX", lu.get("m1"), lu.get("m2"));
            r.expunge("INBOX", ru.get("r1"));
            // two messages get the same new flag list: one STORE for both
            l.flag("INBOX", lu.get("m3"), true, "\\Seen");
            l.flag("INBOX", lu.get("m4"), true, "\\Seen");
            l.flag("INBOX", lu.get("m5"), true, "\\Flagged");
            r.flag("INBOX", ru.get("r2"), false, "\\Seen");
            r.flag("INBOX", ru.get("m7"), true, "$Label2");
            // changed on both sides: both get the union, with a warning
            l.flag("INBOX", lu.get("m6"), true, "\\Seen");
            r.flag("INBOX", ru.get("m6"), true, "\\Flagged", "$Work");
            l.append("INBOX", "new-local");
            r.append("INBOX", "new-remote", "\\Answered");
            r.append("Other", "o2");
        }
        Cli.Result run = f.syncOk();
        String out = run.output();

        assertTrue(out.contains("remote(INBOX): Removed 2 UID(s)"), out);
        assertTrue(out.contains("local(INBOX): Removed 1 UID(s)"), out);
        assertEquals(1, count(out, "remote(INBOX): Updated flags (\\Seen) for UID"), "one STORE per flag list:\n" + out);
        assertTrue(out.contains("remote(INBOX): Updated flags (\\Flagged) for UID"), out);
        assertTrue(out.contains("local(INBOX): Updated flags () for UID"), out);
        assertTrue(out.contains("local(INBOX): Updated flags ($Label2) for UID"), out);
        long m6 = -1;
        try (TestImap l = f.imap(SyncFixture.local())) {
            m6 = uids(l, "INBOX").get("m6");
        }
        assertTrue(out.matches("(?s).*WARNING: .*[Cc]onflict.*UID " + m6 + "\\b.*"), "warning naming the UID:\n" + out);
        assertTrue(out.contains("remote(INBOX): Added 1 UID(s)"), out);
        assertTrue(out.contains("local(INBOX): Added 1 UID(s)"), out);
        assertTrue(out.contains("local(Other): Added 1 UID(s)"), out);

        SyncFixture.Snapshot ls = f.snapshot(SyncFixture.local());
        SyncFixture.Snapshot rs = f.snapshot(SyncFixture.remote());
        assertEquals(ls, rs);
        Map<String, String> flags = new HashMap<>();
        for (SyncFixture.Item i : ls.mailboxes().get("INBOX")) {
            flags.put(i.subject(), i.flags());
        }
        assertEquals(Map.of("m3", "\\Seen", "m4", "\\Seen", "m5", "\\Flagged", "m6", "$Work \\Flagged \\Seen",
                "m7", "$Label2", "m8", "", "r2", "", "new-local", "", "new-remote", "\\Answered"), flags);

        f.assertSilentRun();
    }

    @Test
    void aRunWithNothingToDoWritesNothingAndSaysNothing(@TempDir Path dir) throws Exception {
        SyncFixture f = new SyncFixture(dir, "idle");
        try (TestImap l = f.imap(SyncFixture.local()); TestImap r = f.imap(SyncFixture.remote())) {
            l.append("INBOX", "a", "\\Seen");
            r.create("Sub.Folder", true);
            r.append("Sub.Folder", "b");
        }
        f.syncOk();
        f.assertSilentRun();
        f.assertSilentRun();
        assertEquals(f.snapshot(SyncFixture.local()), f.snapshot(SyncFixture.remote()));
    }

    @Test
    void mailboxNamedOnTheCommandLineWithTheLocalDelimiter(@TempDir Path dir) throws Exception {
        SyncFixture f = new SyncFixture(dir, "cmdline");
        try (TestImap l = f.imap(SyncFixture.local())) {
            l.create("Folder/Sub", true);
            l.append("Folder/Sub", "s1");
            l.append("INBOX", "i1");
        }
        f.syncOk();
        try (TestImap l = f.imap(SyncFixture.local())) {
            l.append("Folder/Sub", "s2");
            l.append("INBOX", "i2");
        }
        Cli.Result r = f.syncOk("Folder/Sub");
        assertTrue(r.output().contains("Added 1 UID(s)"), r.output());
        assertEquals(Map.of("s1", 1, "s2", 1), f.subjectCounts(SyncFixture.remote()).get("Folder/Sub"));
        assertEquals(Map.of("i1", 1), f.subjectCounts(SyncFixture.remote()).get("INBOX"), "only the named mailbox");
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
