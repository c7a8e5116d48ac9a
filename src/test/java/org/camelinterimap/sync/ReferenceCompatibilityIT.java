package org.camelinterimap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.camelinterimap.rig.TestImap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drop-in replacement: the Debian interimap 0.5.7 and ours take turns on the same database, and
 * neither copies anything the other already copied.
 */
@ExtendWith(DovecotRig.class)
class ReferenceCompatibilityIT {

    @BeforeAll
    static void referenceTools() throws Exception {
        DovecotRig.ensureReferenceTools();
    }

    private static Cli.Result perl(SyncFixture f) throws Exception {
        Cli.Result r = Cli.runReference("interimap", "--config=" + f.config);
        assertEquals(0, r.exit(), () -> "reference interimap failed:\n" + r.output());
        return r;
    }

    private static void seed(SyncFixture f) throws Exception {
        try (TestImap l = f.imap(SyncFixture.local()); TestImap r = f.imap(SyncFixture.remote())) {
            l.append("INBOX", "l1", "\\Seen");
            l.append("INBOX", "l2");
            l.create("Folder/Sub", true);
            l.append("Folder/Sub", "ls1", "$Label1");
            r.append("INBOX", "r1", "\\Flagged");
            r.create("Remote Only", false);
            r.append("Remote Only", "ro1");
        }
    }

    /** New mail on both sides and a flag change, after the first tool ran. */
    private static void change(SyncFixture f) throws Exception {
        try (TestImap l = f.imap(SyncFixture.local()); TestImap r = f.imap(SyncFixture.remote())) {
            l.append("INBOX", "l3");
            r.append("Folder.Sub", "rs2");
            long uid = l.messages("INBOX").stream().filter(m -> "r1".equals(m.subject())).findFirst().orElseThrow().uid();
            l.flag("INBOX", uid, true, "\\Seen");
        }
    }

    private static Map<String, Map<String, Integer>> expected() {
        Map<String, Map<String, Integer>> m = new TreeMap<>();
        m.put("INBOX", new TreeMap<>(Map.of("l1", 1, "l2", 1, "l3", 1, "r1", 1)));
        m.put("Folder/Sub", new TreeMap<>(Map.of("ls1", 1, "rs2", 1)));
        m.put("Remote Only", new TreeMap<>(Map.of("ro1", 1)));
        return m;
    }

    private static long count(String out, String needle) {
        return out.lines().filter(l -> l.contains(needle)).count();
    }

    @Test
    void referenceFirstThenOursContinues(@TempDir Path dir) throws Exception {
        SyncFixture f = new SyncFixture(dir, "perlfirst");
        seed(f);
        perl(f);
        change(f);
        Cli.Result ours = f.syncOk();
        assertEquals(2, count(ours.output(), "Added 1 UID(s)"), "only the two new messages are copied:\n" + ours.output());
        assertFalse(ours.output().contains("Created mailbox"), ours.output());
        assertTrue(ours.output().contains("Updated flags"), ours.output());
        assertEquals(expected(), f.subjectCounts(SyncFixture.local()));
        assertEquals(expected(), f.subjectCounts(SyncFixture.remote()));
        assertEquals(f.snapshot(SyncFixture.local()), f.snapshot(SyncFixture.remote()));
        f.assertSilentRun();
        Cli.Result back = perl(f);
        assertFalse(back.output().contains("Added"), "the reference tool finds nothing to copy:\n" + back.output());
        assertEquals(expected(), f.subjectCounts(SyncFixture.remote()));
    }

    @Test
    void oursFirstThenReferenceContinues(@TempDir Path dir) throws Exception {
        SyncFixture f = new SyncFixture(dir, "oursfirst");
        seed(f);
        f.syncOk();
        change(f);
        Cli.Result perl = perl(f);
        assertEquals(2, count(perl.output(), "Added 1 UID"), "the reference tool copies only the new messages:\n"
                + perl.output());
        assertFalse(perl.output().contains("Created mailbox"), perl.output());
        assertEquals(expected(), f.subjectCounts(SyncFixture.local()));
        assertEquals(expected(), f.subjectCounts(SyncFixture.remote()));
        assertEquals(f.snapshot(SyncFixture.local()), f.snapshot(SyncFixture.remote()));
        // and back to ours: nothing left to do
        f.assertSilentRun();
    }

    @Test
    void schemaAndUserVersionAreThoseOfTheReference(@TempDir Path dir) throws Exception {
        SyncFixture perlSide = new SyncFixture(java.nio.file.Files.createDirectories(dir.resolve("perl")), "schemaperl");
        SyncFixture oursSide = new SyncFixture(java.nio.file.Files.createDirectories(dir.resolve("ours")), "schemaours");
        perl(perlSide);
        oursSide.syncOk();
        assertEquals(1, userVersion(perlSide.database()));
        assertEquals(1, userVersion(oursSide.database()));
        Map<String, String> theirs = schema(perlSide.database());
        Map<String, String> mine = schema(oursSide.database());
        mine.keySet().removeIf(name -> name.contains("camel_interimap_"));
        assertEquals(theirs, mine);
    }

    private static int userVersion(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            return rs.getInt(1);
        }
    }

    /** name → normalized CREATE statement of every table, index and trigger. */
    private static Map<String, String> schema(Path db) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT type, name, sql FROM sqlite_master ORDER BY name")) {
            while (rs.next()) {
                String sql = rs.getString(3);
                out.put(rs.getString(1) + " " + rs.getString(2), sql == null ? "" : sql.replaceAll("\\s+", " ").trim());
            }
        }
        return out;
    }
}
