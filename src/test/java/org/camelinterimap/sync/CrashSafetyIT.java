package org.camelinterimap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.camelinterimap.imap.ImapConnection;
import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.camelinterimap.rig.TestImap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The headline feature: a run killed at any instant, followed by a normal run, leaves every
 * message on both sides exactly once, with the right flags, and a further run has nothing to do.
 */
@ExtendWith(DovecotRig.class)
class CrashSafetyIT {

    /** Every step of {@link org.camelinterimap.support.CrashPoints#SYNC}, first and (where the scenario reaches it twice) second time. */
    @ParameterizedTest
    @ValueSource(strings = {"before-append", "before-append:2", "after-append", "after-append:2", "after-append:3",
            "after-record", "after-record:2", "after-expunge", "after-expunge:2", "after-flags", "after-flags:2",
            "before-save", "before-save:2", "after-create"})
    void crashAtEveryStepThenRunNormally(String step, @TempDir Path dir) throws Exception {
        SyncFixture f = new SyncFixture(dir, "crash", "max-connections = 1");
        try (TestImap l = f.imap(SyncFixture.local()); TestImap r = f.imap(SyncFixture.remote())) {
            for (int i = 1; i <= 6; i++) {
                l.append("INBOX", "m" + i);
            }
            r.append("INBOX", "r1", "\\Seen");
            r.create("Box", true);
            r.append("Box", "b1");
            r.append("Box", "b2");
        }
        f.syncOk();

        try (TestImap l = f.imap(SyncFixture.local()); TestImap r = f.imap(SyncFixture.remote())) {
            Map<String, Long> lu = uids(l, "INBOX");
            Map<String, Long> ru = uids(r, "INBOX");
            Map<String, Long> rb = uids(r, "Box");
            Map<String, Long> lb = uids(l, "Box");
            l.expunge("INBOX", lu.get("m1"));
            r.expunge("INBOX", ru.get("m2"));
            r.expunge("Box", rb.get("b1"));
            l.flag("INBOX", lu.get("m3"), true, "\\Seen");
            r.flag("INBOX", ru.get("m4"), true, "\\Flagged");
            l.flag("Box", lb.get("b2"), true, "\\Answered");
            l.flag("INBOX", lu.get("r1"), false, "\\Seen");
            for (int i = 1; i <= 3; i++) {
                l.append("INBOX", "nl" + i, "\\Seen");
                r.append("INBOX", "nr" + i);
                r.append("Box", "nb" + i, "$Label1");
            }
            l.create("Fresh", true);
            l.append("Fresh", "f1");
        }

        Cli.Result crashed = f.syncEnv(Map.of("CAMEL_INTERIMAP_CRASH_AT", step));
        assertEquals(137, crashed.exit(), () -> "the run must reach " + step + " and halt there:\n" + crashed.output());

        Cli.Result recovery = f.syncOk();
        assertTrue(!recovery.output().contains("ERROR"), recovery.output());

        Map<String, Map<String, Integer>> expected = new TreeMap<>();
        expected.put("INBOX", counts("m3", "m4", "m5", "m6", "r1", "nl1", "nl2", "nl3", "nr1", "nr2", "nr3"));
        expected.put("Box", counts("b2", "nb1", "nb2", "nb3"));
        expected.put("Fresh", counts("f1"));
        assertEquals(expected, f.subjectCounts(SyncFixture.local()), "local: every message exactly once");
        assertEquals(expected, f.subjectCounts(SyncFixture.remote()), "remote: every message exactly once");

        SyncFixture.Snapshot ls = f.snapshot(SyncFixture.local());
        assertEquals(ls, f.snapshot(SyncFixture.remote()), "same messages, bytes and flags on both sides");
        Map<String, String> flags = new HashMap<>();
        for (SyncFixture.Item i : ls.mailboxes().get("INBOX")) {
            flags.put(i.subject(), i.flags());
        }
        for (SyncFixture.Item i : ls.mailboxes().get("Box")) {
            flags.put(i.subject(), i.flags());
        }
        assertEquals("\\Seen", flags.get("m3"));
        assertEquals("\\Flagged", flags.get("m4"));
        assertEquals("", flags.get("r1"));
        assertEquals("\\Seen", flags.get("nl1"));
        assertEquals("\\Answered", flags.get("b2"));
        assertEquals("$Label1", flags.get("nb3"));

        f.assertSilentRun();
    }

    /**
     * A real {@code kill -9} at several moments of an initial sync of some hundreds of messages in
     * several mailboxes (each killed run getting further), then a normal run: nothing lost, nothing twice.
     */
    @Test
    void killDashNineDuringAnInitialSync(@TempDir Path dir) throws Exception {
        SyncFixture f = new SyncFixture(dir, "kill9");
        Map<String, Map<String, Integer>> expected = new TreeMap<>();
        populate(f, SyncFixture.local(), List.of("INBOX", "Lists/dev", "Lists/users"), 90, "l", expected);
        populate(f, SyncFixture.remote(), List.of("INBOX", "Archive", "Sent"), 70, "r", expected);

        int killed = 0;
        for (long delay : new long[] {400, 900, 1400, 1900, 2600, 3500}) {
            Process p = Cli.start("interimap", Map.of(), "--config=" + f.config);
            Thread.sleep(delay);
            if (p.isAlive()) {
                p.destroyForcibly();
                killed++;
            }
            Cli.finish(p);
        }
        assertTrue(killed > 0, "at least one run was killed in flight");
        Cli.Result last = f.syncOk();
        assertTrue(!last.output().contains("ERROR"), last.output());

        assertEquals(expected, f.subjectCounts(SyncFixture.local()));
        assertEquals(expected, f.subjectCounts(SyncFixture.remote()));
        assertEquals(f.snapshot(SyncFixture.local()), f.snapshot(SyncFixture.remote()));
        f.assertSilentRun();
    }

    private static void populate(SyncFixture f, DovecotRig.Server server, List<String> mailboxes, int perMailbox,
                                 String prefix, Map<String, Map<String, Integer>> expected) throws Exception {
        try (TestImap t = f.imap(server)) {
            char sep = t.separator();
            for (String mb : mailboxes) {
                if (!mb.equals("INBOX")) {
                    t.create(mb.replace('/', sep), true);
                }
            }
        }
        try (ImapConnection c = f.raw(server)) {
            char sep = server.name().equals("local") ? '/' : '.';
            for (String mb : mailboxes) {
                List<ImapConnection.AppendItem> items = new ArrayList<>();
                for (int i = 0; i < perMailbox; i++) {
                    String subject = prefix + "-" + mb.replace('/', '-') + "-" + i;
                    items.add(new ImapConnection.AppendItem(i % 3 == 0 ? List.of("\\Seen") : List.of(), null,
                            SyncFixture.message(subject, 2_000 + 997 * (i % 20))));
                    expected.computeIfAbsent(mb, k -> new TreeMap<>()).put(subject, 1);
                }
                c.append(mb.replace('/', sep), items);
            }
        }
    }

    private static Map<String, Long> uids(TestImap t, String mailbox) throws Exception {
        Map<String, Long> m = new HashMap<>();
        for (TestImap.Msg msg : t.messages(mailbox)) {
            m.put(msg.subject(), msg.uid());
        }
        return m;
    }

    private static Map<String, Integer> counts(String... subjects) {
        Map<String, Integer> m = new TreeMap<>();
        for (String s : subjects) {
            m.merge(s, 1, Integer::sum);
        }
        return m;
    }
}
