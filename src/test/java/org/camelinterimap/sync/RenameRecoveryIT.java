package org.camelinterimap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.camelinterimap.rig.RigWatch;
import org.camelinterimap.rig.TestImap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --rename} stopped half-way, or refused by a server, leaves nothing for the next run to
 * copy: that run finishes (or the refused rename undid) the rename on both servers and in the
 * database, then syncs as usual, and a further run has nothing to do.
 */
@ExtendWith(DovecotRig.class)
class RenameRecoveryIT {

    /** Old (with a child) made on the local side, synced, then changed on the remote side and synced again. */
    private static SyncFixture renamable(Path dir, String prefix) throws Exception {
        SyncFixture f = new SyncFixture(dir, prefix);
        try (TestImap l = f.imap(SyncFixture.local()); TestImap r = f.imap(SyncFixture.remote())) {
            l.create("Old", true);
            l.create("Old/Kid", true);
            l.append("Old", "o1");
            l.append("Old", "o2", "\\Seen");
            l.append("Old/Kid", "k1", "\\Flagged");
            r.create("Other", true);
            r.append("Other", "x1");
            r.append("INBOX", "i1");
        }
        f.syncOk();
        try (TestImap r = f.imap(SyncFixture.remote())) {
            r.append("Old", "o3");
            r.append("Old.Kid", "k2");
        }
        f.syncOk();
        return f;
    }

    private static Cli.Result interimap(SyncFixture f, Map<String, String> env, String... args) throws Exception {
        List<String> all = new ArrayList<>();
        all.add("--config=" + f.config);
        all.addAll(List.of(args));
        return Cli.finish(Cli.start("interimap", env, all.toArray(String[]::new)));
    }

    /** Both servers' mailboxes and messages (bytes, flags, INTERNALDATE) as they should be once Old is New. */
    private static Map<String, Map<String, List<SyncFixture.Item>>> renamedContents(SyncFixture f) throws Exception {
        Map<String, Map<String, List<SyncFixture.Item>>> out = new TreeMap<>();
        for (DovecotRig.Server s : List.of(SyncFixture.local(), SyncFixture.remote())) {
            Map<String, List<SyncFixture.Item>> boxes = new TreeMap<>();
            f.snapshot(s).mailboxes().forEach((name, items) -> boxes.put(name.replaceFirst("^Old(?=/|$)", "New"), items));
            out.put(s.name(), boxes);
        }
        return out;
    }

    private static Map<String, Map<String, List<SyncFixture.Item>>> contents(SyncFixture f) throws Exception {
        Map<String, Map<String, List<SyncFixture.Item>>> out = new TreeMap<>();
        for (DovecotRig.Server s : List.of(SyncFixture.local(), SyncFixture.remote())) {
            out.put(s.name(), f.snapshot(s).mailboxes());
        }
        return out;
    }

    /** The database's mailboxes ('/' as delimiter), then "pending=N" for the rename intents left. */
    private static Set<String> database(SyncFixture f) throws Exception {
        Set<String> out = new TreeSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f.database()); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT mailbox FROM mailboxes")) {
                while (rs.next()) {
                    out.add(new String(rs.getBytes(1), StandardCharsets.UTF_8).replace('\0', '/'));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM camel_interimap_renames")) {
                out.add("pending=" + rs.getInt(1));
            }
        }
        return out;
    }

    private static void assertNothingCopied(Cli.Result r) {
        assertFalse(r.output().contains("Added"), () -> "no message copied:\n" + r.output());
        assertFalse(r.output().contains("ERROR"), () -> "no error:\n" + r.output());
    }

    private static void assertOneErrorLine(Cli.Result r, String... expected) {
        assertNotEquals(0, r.exit(), () -> "exit status:\n" + r.output());
        List<String> errors = r.output().lines().filter(l -> l.contains("ERROR")).toList();
        assertEquals(1, errors.size(), () -> "exactly one error line:\n" + r.output());
        for (String e : expected) {
            assertTrue(errors.get(0).contains(e), () -> "the error line says '" + e + "':\n" + r.output());
        }
        assertFalse(r.output().contains("\tat ") || r.output().contains("Exception"), () -> "no stack trace:\n" + r.output());
    }

    /** A test case in its own directory. */
    @FunctionalInterface
    private interface Case {
        void run(Path dir) throws Exception;
    }

    /**
     * Runs a case on a fresh account pair. The rig is shared: when its servers were restarted
     * meanwhile (by someone else), a failed attempt says nothing about the tool, and the case runs
     * again (three attempts at most).
     */
    private static void onStableRig(Path dir, Case body) throws Exception {
        for (int attempt = 1; ; attempt++) {
            Set<Long> rig = RigWatch.awaitServers();
            try {
                body.run(Files.createDirectories(dir.resolve("attempt-" + attempt)));
                return;
            } catch (Exception | AssertionError e) {
                if (attempt < 3 && !RigWatch.servers().equals(rig)) {
                    System.err.println("the rig's servers were restarted during the case; running it again");
                    continue;
                }
                throw e;
            }
        }
    }

    private static final Set<String> RENAMED_DB = Set.of("INBOX", "New", "New/Kid", "Other", "pending=0");
    private static final Set<String> UNRENAMED_DB = Set.of("INBOX", "Old", "Old/Kid", "Other", "pending=0");

    /** Every step of the rename, then a normal sync: renamed everywhere, nothing copied, then nothing to do. */
    @ParameterizedTest
    @ValueSource(strings = {"after-intent", "after-local-rename", "after-remote-rename", "before-db-rename"})
    void renameInterruptedAtEachStepIsFinishedByTheNextSync(String step, @TempDir Path dir) throws Exception {
        onStableRig(dir, d -> {
            SyncFixture f = renamable(d, "renamecrash");
            Map<String, Map<String, List<SyncFixture.Item>>> expected = renamedContents(f);

            Cli.Result crashed = interimap(f, Map.of("CAMEL_INTERIMAP_CRASH_AT", step), "--rename", "Old", "New");
            assertEquals(137, crashed.exit(), () -> "the rename must reach " + step + " and halt there:\n" + crashed.output());
            assertTrue(database(f).contains("pending=1"), "the intent outlives the run");

            Cli.Result next = f.syncOk();
            assertNothingCopied(next);
            assertTrue(next.output().contains("Finishing the interrupted rename of Old to New"), next.output());
            assertTrue(next.output().contains("database: Renamed mailbox Old to New"), next.output());
            assertEquals(expected, contents(f), "the same messages, under the new names, on both servers");
            assertEquals(RENAMED_DB, database(f));
            f.assertSilentRun();
        });
    }

    /** The next run may be a --rename of another mailbox: it finishes the pending one first. */
    @Test
    void theNextRenameFinishesThePendingOneFirst(@TempDir Path dir) throws Exception {
        onStableRig(dir, d -> {
            SyncFixture f = renamable(d, "renamenext");
            Map<String, Map<String, List<SyncFixture.Item>>> expected = renamedContents(f);
            expected.values().forEach(boxes -> boxes.put("Another", boxes.remove("Other")));

            Cli.Result crashed = interimap(f, Map.of("CAMEL_INTERIMAP_CRASH_AT", "after-local-rename"), "--rename", "Old", "New");
            assertEquals(137, crashed.exit(), crashed.output());
            Cli.Result next = interimap(f, Map.of(), "--rename", "Other", "Another");
            assertEquals(0, next.exit(), next.output());
            String out = next.output();
            assertTrue(out.indexOf("remote: Renamed mailbox Old to New") >= 0
                    && out.indexOf("remote: Renamed mailbox Old to New") < out.indexOf("local: Renamed mailbox Other to Another"), out);

            Cli.Result sync = f.syncOk();
            assertNothingCopied(sync);
            assertEquals(expected, contents(f));
            assertEquals(Set.of("INBOX", "New", "New/Kid", "Another", "pending=0"), database(f));
            f.assertSilentRun();
        });
    }

    /** The run that finishes a rename can be stopped too: the one after finishes it all the same. */
    @Test
    void aFinishingRunInterruptedInTurn(@TempDir Path dir) throws Exception {
        onStableRig(dir, d -> {
            SyncFixture f = renamable(d, "renametwice");
            Map<String, Map<String, List<SyncFixture.Item>>> expected = renamedContents(f);
            assertEquals(137, interimap(f, Map.of("CAMEL_INTERIMAP_CRASH_AT", "after-intent"), "--rename", "Old", "New").exit());
            Cli.Result second = f.syncEnv(Map.of("CAMEL_INTERIMAP_CRASH_AT", "after-remote-rename"));
            assertEquals(137, second.exit(), second.output());
            Cli.Result sync = f.syncOk();
            assertNothingCopied(sync);
            assertEquals(expected, contents(f));
            assertEquals(RENAMED_DB, database(f));
            f.assertSilentRun();
        });
    }

    /**
     * The remote server refuses the RENAME after the local one renamed (an internal error: its mail
     * directory made read-only): the local rename is undone, nothing is left pending, one error line.
     */
    @Test
    void aRenameTheRemoteRefusesIsUndoneOnTheLocal(@TempDir Path dir) throws Exception {
        onStableRig(dir, d -> {
            SyncFixture f = renamable(d, "renamerefused");
            Map<String, Map<String, List<SyncFixture.Item>>> before = contents(f);
            Map<String, Map<String, List<SyncFixture.Item>>> expected = renamedContents(f);
            Path maildir = DovecotRig.mailDir(SyncFixture.remote(), f.user).resolve("Maildir");
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(maildir);
            Cli.Result refused;
            try {
                try {
                    Files.setPosixFilePermissions(maildir, PosixFilePermissions.fromString("r-x------"));
                } catch (java.io.IOException e) {
                    assumeTrue(false, "cannot change the mode of the server's mail directory: " + e);
                }
                refused = interimap(f, Map.of(), "--rename", "Old", "New");
            } finally {
                Files.setPosixFilePermissions(maildir, perms);
            }
            assertOneErrorLine(refused, "remote: cannot rename mailbox Old to New", "renamed back on local: nothing renamed");
            assertTrue(refused.output().contains("local: Renamed mailbox Old to New")
                    && refused.output().contains("local: Renamed mailbox New back to Old"), refused.output());
            assertEquals(before, contents(f), "nothing renamed anywhere");
            assertEquals(UNRENAMED_DB, database(f), "nothing left pending");

            assertNothingCopied(f.syncOk());
            Cli.Result again = interimap(f, Map.of(), "--rename", "Old", "New");
            assertEquals(0, again.exit(), again.output());
            assertNothingCopied(f.syncOk());
            assertEquals(expected, contents(f));
            assertEquals(RENAMED_DB, database(f));
            f.assertSilentRun();
        });
    }

    /** New already on the remote only: refused before anything moves; once it is gone, the rename goes through. */
    @Test
    void aNameTakenOnTheRemoteIsRefusedUntilFreed(@TempDir Path dir) throws Exception {
        onStableRig(dir, d -> {
            SyncFixture f = renamable(d, "renametaken");
            Map<String, Map<String, List<SyncFixture.Item>>> expected = renamedContents(f);
            try (TestImap r = f.imap(SyncFixture.remote())) {
                r.create("New", false);
            }
            Cli.Result refused = interimap(f, Map.of(), "--rename", "Old", "New");
            assertOneErrorLine(refused, "remote: Mailbox New exists; not renaming Old", "--target=remote --delete New");
            assertEquals(UNRENAMED_DB, database(f));
            try (TestImap l = f.imap(SyncFixture.local())) {
                assertTrue(l.exists("Old") && !l.exists("New"), "nothing renamed on the local side");
            }

            Cli.Result freed = interimap(f, Map.of(), "--target=remote", "--delete", "New");
            assertEquals(0, freed.exit(), freed.output());
            Cli.Result renamed = interimap(f, Map.of(), "--rename", "Old", "New");
            assertEquals(0, renamed.exit(), renamed.output());
            assertNothingCopied(f.syncOk());
            assertEquals(expected, contents(f));
            assertEquals(RENAMED_DB, database(f));
            f.assertSilentRun();
        });
    }

    /**
     * New created on the remote between the local and the remote rename: the rename cannot be
     * finished; the sync says so in one line, leaves Old and New alone and syncs the rest; the
     * --delete the message suggests resolves it, and the same run finishes the rename.
     */
    @Test
    void aConflictCreatedMeanwhileHoldsTheMailboxesUntilResolved(@TempDir Path dir) throws Exception {
        onStableRig(dir, d -> {
            SyncFixture f = renamable(d, "renameconflict");
            Cli.Result crashed = interimap(f, Map.of("CAMEL_INTERIMAP_CRASH_AT", "after-local-rename"), "--rename", "Old", "New");
            assertEquals(137, crashed.exit(), crashed.output());
            try (TestImap l = f.imap(SyncFixture.local()); TestImap r = f.imap(SyncFixture.remote())) {
                r.create("New", false);
                l.append("Other", "x2");
                l.append("New", "o4"); // mail keeps arriving under the new name
            }
            Map<String, Map<String, List<SyncFixture.Item>>> heldBefore = contents(f);

            Cli.Result held = f.sync();
            assertOneErrorLine(held, "remote: cannot finish renaming mailbox Old to New", "both exist on this server");
            assertTrue(held.output().contains("remote(Other): Added 1 UID(s)"), () -> "the rest syncs:\n" + held.output());
            assertEquals(1, held.output().lines().filter(l -> l.contains("Added")).count(), held.output());
            Map<String, Map<String, List<SyncFixture.Item>>> heldAfter = contents(f);
            for (String side : List.of("local", "remote")) {
                for (String box : List.of("Old", "Old/Kid", "New", "New/Kid")) {
                    assertEquals(heldBefore.get(side).get(box), heldAfter.get(side).get(box), side + " " + box + " left alone");
                }
            }
            assertTrue(database(f).containsAll(Set.of("Old", "Old/Kid", "pending=1")), "the rename stays pending");

            Cli.Result resolved = interimap(f, Map.of(), "--target=remote", "--delete", "New");
            assertEquals(0, resolved.exit(), resolved.output());
            assertTrue(resolved.output().contains("remote: Deleted mailbox New")
                    && resolved.output().contains("remote: Renamed mailbox Old to New")
                    && resolved.output().contains("database: Renamed mailbox Old to New"), resolved.output());
            assertEquals(RENAMED_DB, database(f));

            Cli.Result sync = f.syncOk();
            assertFalse(sync.output().contains("ERROR"), sync.output());
            assertEquals(List.of("remote(New): Added 1"),
                    sync.output().lines().filter(l -> l.contains("Added")).map(l -> l.substring(0, l.indexOf(" UID(s)"))).toList(),
                    "only the message that arrived under the new name is copied");
            Map<String, Map<String, Integer>> local = f.subjectCounts(SyncFixture.local());
            assertEquals(local, f.subjectCounts(SyncFixture.remote()));
            assertEquals(Map.of("o1", 1, "o2", 1, "o3", 1, "o4", 1), local.get("New"));
            assertEquals(Map.of("k1", 1, "k2", 1), local.get("New/Kid"));
            assertEquals(Map.of("x1", 1, "x2", 1), local.get("Other"));
            f.assertSilentRun();
        });
    }
}
