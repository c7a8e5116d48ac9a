package org.camelinterimap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.camelinterimap.state.SqliteStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --rename} and the pending renames it journals, against two in-memory name spaces (local
 * delimiter '/', remote '.') and a real state database: a server that refuses, a rollback that
 * fails, a lost connection, a conflict that holds the mailboxes until resolved.
 */
class RenameRecoveryTest {
    @TempDir
    Path dir;
    SqliteStateStore store;
    final Names local = new Names("local", '/');
    final Names remote = new Names("remote", '.');
    final List<String> log = new ArrayList<>();
    final SyncLog syncLog = new SyncLog() {
        @Override
        public void info(String component, String mailbox, String message) {
            log.add((component == null ? "" : component + ": ") + message);
        }

        @Override
        public void warn(String component, String mailbox, String message) {
            log.add("WARNING " + message);
        }

        @Override
        public void error(String component, String mailbox, String message) {
            log.add("ERROR " + message);
        }
    };

    @BeforeEach
    void open() throws Exception {
        store = SqliteStateStore.open(dir.resolve("db"), null);
        for (String n : List.of("Old", "Old/Kid", "Other")) {
            local.boxes.add(n);
            remote.boxes.add(n.replace('/', '.'));
            store.addMailbox(n.replace('/', '\0'), true, 1, 2);
        }
    }

    @AfterEach
    void close() {
        store.close();
    }

    private ServerPair pair() {
        return new ServerPair(local, remote, () -> { });
    }

    private MailboxCommands commands() throws SyncException {
        return new MailboxCommands(pair(), store, syncLog, Set.of());
    }

    private Set<String> database() throws SyncException {
        Set<String> out = new TreeSet<>();
        store.mailboxes().keySet().forEach(n -> out.add(n.replace('\0', '/')));
        return out;
    }

    private void assertRenamed() throws SyncException {
        assertEquals(Set.of("New", "New/Kid", "Other"), local.boxes);
        assertEquals(Set.of("New", "New.Kid", "Other"), remote.boxes);
        assertEquals(Set.of("New", "New/Kid", "Other"), database());
        assertEquals(List.of(), store.renames());
    }

    private void assertUnchanged() throws SyncException {
        assertEquals(Set.of("Old", "Old/Kid", "Other"), local.boxes);
        assertEquals(Set.of("Old", "Old.Kid", "Other"), remote.boxes);
        assertEquals(Set.of("Old", "Old/Kid", "Other"), database());
    }

    @Test
    void renameMovesChildrenEverywhereAndLeavesNoIntent() throws Exception {
        long idx = store.mailboxes().get("Old\0Kid").idx();
        assertTrue(commands().rename("Old", "New"));
        assertRenamed();
        assertEquals(idx, store.mailboxes().get("New\0Kid").idx(), "the same rows, renamed: the mapping stays");
        assertTrue(log.contains("database: Renamed mailbox Old to New"), log.toString());
    }

    @Test
    void refusedByTheRemoteIsUndoneOnTheLocal() throws Exception {
        remote.refuse = "remote: RENAME failed: [SERVERBUG] Internal error";
        SyncException e = assertThrows(SyncException.class, () -> commands().rename("Old", "New"));
        assertEquals("remote: cannot rename mailbox Old to New: RENAME failed: [SERVERBUG] Internal error;"
                + " renamed back on local: nothing renamed", e.getMessage());
        assertUnchanged();
        assertEquals(List.of(), store.renames(), "nothing left pending");
        remote.refuse = null;
        assertTrue(commands().rename("Old", "New"));
        assertRenamed();
    }

    @Test
    void refusedByTheLocalChangesNothing() throws Exception {
        local.refuse = "local: RENAME failed: no";
        SyncException e = assertThrows(SyncException.class, () -> commands().rename("Old", "New"));
        assertEquals("local: cannot rename mailbox Old to New: RENAME failed: no: nothing renamed", e.getMessage());
        assertUnchanged();
        assertEquals(List.of(), store.renames());
    }

    @Test
    void failedUndoKeepsTheIntentAndTheNextRunFinishes() throws Exception {
        remote.refuse = "remote: RENAME failed: busy";
        local.refuseAfter = 1; // the rename goes through, renaming it back does not
        local.refuse = "local: RENAME failed: busy too";
        SyncException e = assertThrows(SyncException.class, () -> commands().rename("Old", "New"));
        assertTrue(e.getMessage().contains("renaming it back on local failed too (RENAME failed: busy too)"), e.getMessage());
        assertEquals(1, store.renames().size(), "the intent stays");
        assertEquals(Set.of("Old", "Old/Kid", "Other"), database());

        // the next pass: the remote still refuses: one error, both names held, the rest syncs
        local.refuse = null;
        SyncStats stats = new SyncStats();
        Predicate<String> held = new PendingRenames(store, syncLog).beforePass(pair(), stats);
        assertEquals(1, stats.mailboxesFailed());
        assertTrue(held.test("Old") && held.test("Old\0Kid") && held.test("New") && held.test("New\0Kid"));
        assertFalse(held.test("Other") || held.test("Older"));
        assertEquals(1, log.stream().filter(l -> l.startsWith("ERROR remote: cannot finish renaming mailbox Old to New")).count(), log.toString());

        remote.refuse = null;
        stats = new SyncStats();
        held = new PendingRenames(store, syncLog).beforePass(pair(), stats);
        assertTrue(stats.ok());
        assertFalse(held.test("New"));
        assertRenamed();
    }

    @Test
    void lostConnectionKeepsTheIntentWithoutUndoing() throws Exception {
        remote.lose = true; // the RENAME reached the server, the reply did not come back
        SyncException e = assertThrows(SyncException.class, () -> commands().rename("Old", "New"));
        assertTrue(e.brokenConnection());
        assertTrue(e.getMessage().contains("stays pending"), e.getMessage());
        assertEquals(Set.of("New", "New/Kid", "Other"), local.boxes, "not undone: the remote may have renamed");
        assertEquals(1, store.renames().size());
        remote.lose = false;
        assertEquals(List.of(), new PendingRenames(store, syncLog).finish(pair()));
        assertRenamed();
    }

    @Test
    void bothNamesOnOneServerHoldTheRenameUntilResolved() throws Exception {
        store.recordRename("Old", "New", Set.of(MailboxCommands.Target.values()));
        local.rename("Old", "New"); // interrupted after the local rename
        remote.boxes.add("New"); // and someone created New on the remote meanwhile
        List<PendingRenames.Blocked> blocked = new PendingRenames(store, syncLog).finish(pair());
        assertEquals(1, blocked.size());
        assertTrue(blocked.get(0).message().startsWith("remote: cannot finish renaming mailbox Old to New (an interrupted"
                + " --rename): both exist on this server; rename or delete one of them there"), blocked.get(0).message());
        assertEquals(Set.of("New", "Old", "Old.Kid", "Other"), remote.boxes, "nothing moved");

        // a --rename that touches them waits; one that does not goes ahead
        SyncException refused = assertThrows(SyncException.class, () -> commands().rename("New/Kid", "Elsewhere"));
        assertTrue(refused.getMessage().endsWith("not renaming New/Kid to Elsewhere meanwhile"), refused.getMessage());
        log.clear();
        assertFalse(commands().rename("Other", "Another"), "done, but the pending one is reported");
        assertTrue(log.get(0).startsWith("ERROR remote: cannot finish renaming"), log.toString());
        assertTrue(local.boxes.contains("Another") && remote.boxes.contains("Another"));

        // --delete of the intruder resolves it, and the same run finishes the rename
        assertTrue(new MailboxCommands(pair(), store, syncLog, Set.of(MailboxCommands.Target.REMOTE)).delete(List.of("New")));
        assertEquals(Set.of("New", "New.Kid", "Another"), remote.boxes);
        assertEquals(Set.of("New", "New/Kid", "Another"), database());
        assertEquals(List.of(), store.renames());
    }

    @Test
    void interruptedAtEveryStepTheServersTellWhatIsLeft() throws Exception {
        // after the intent, after the local rename, after both: each finishes to the same end
        for (int step = 0; step < 3; step++) {
            open(step);
            store.recordRename("Old", "New", Set.of(MailboxCommands.Target.values()));
            if (step >= 1) {
                local.rename("Old", "New");
            }
            if (step >= 2) {
                remote.rename("Old", "New");
            }
            assertEquals(List.of(), new PendingRenames(store, syncLog).finish(pair()));
            assertRenamed();
        }
    }

    private void open(int run) throws Exception {
        store.close();
        store = SqliteStateStore.open(dir.resolve("db" + run), null);
        local.boxes.clear();
        remote.boxes.clear();
        for (String n : List.of("Old", "Old/Kid", "Other")) {
            local.boxes.add(n);
            remote.boxes.add(n.replace('/', '.'));
            store.addMailbox(n.replace('/', '\0'), true, 1, 2);
        }
    }

    @Test
    void refusesTakenNamesAndMovesUnderItself() throws Exception {
        remote.boxes.add("New");
        SyncException e = assertThrows(SyncException.class, () -> commands().rename("Old", "New"));
        assertTrue(e.getMessage().startsWith("remote: Mailbox New exists; not renaming Old"), e.getMessage());
        remote.boxes.remove("New");
        store.addMailbox("New\0Kid", false, 3, 4);
        e = assertThrows(SyncException.class, () -> commands().rename("Old", "New"));
        assertTrue(e.getMessage().startsWith("database: Mailbox New/Kid exists; not renaming Old"), e.getMessage());
        e = assertThrows(SyncException.class, () -> commands().rename("Old", "Old/Kid/Deeper"));
        assertTrue(e.getMessage().contains("itself"), e.getMessage());
        assertEquals(List.of(), store.renames());
    }

    @Test
    void targetsLimitTheRenameAndItsRecovery() throws Exception {
        MailboxCommands onlyLocal = new MailboxCommands(pair(), store, syncLog, Set.of(MailboxCommands.Target.LOCAL));
        assertTrue(onlyLocal.rename("Other", "Moved"));
        assertTrue(local.boxes.contains("Moved"));
        assertTrue(remote.boxes.contains("Other"));
        assertTrue(database().contains("Other"));
        assertEquals(List.of(), store.renames());
    }

    /** A server's name space only: LIST of exact names, RENAME with children, DELETE. */
    static final class Names implements MailServer {
        final String label;
        final char delimiter;
        final Set<String> boxes = new TreeSet<>();
        String refuse;
        int refuseAfter;
        boolean lose;

        Names(String label, char delimiter) {
            this.label = label;
            this.delimiter = delimiter;
        }

        @Override
        public Character delimiter() {
            return delimiter;
        }

        @Override
        public List<MailboxStatus> list(List<String> patterns, List<String> selectOpts) {
            List<MailboxStatus> out = new ArrayList<>();
            for (String p : patterns) {
                if (boxes.contains(p)) {
                    out.add(new MailboxStatus(p, true, false, 1, 1, 1));
                }
            }
            return out;
        }

        @Override
        public void rename(String from, String to) throws SyncException {
            if (refuse != null && refuseAfter-- <= 0) {
                throw new SyncException(refuse);
            }
            if (boxes.contains(to)) {
                throw new SyncException(label + ": RENAME failed: Mailbox exists");
            }
            Set<String> moved = new TreeSet<>();
            for (String b : boxes) {
                if (b.equals(from) || b.startsWith(from + delimiter)) {
                    moved.add(b);
                }
            }
            boxes.removeAll(moved);
            moved.forEach(b -> boxes.add(to + b.substring(from.length())));
            if (lose) {
                throw SyncException.connectionLost(label + ": connection lost during RENAME: reset", null);
            }
        }

        @Override
        public void delete(String mailbox) {
            boxes.remove(mailbox);
        }

        @Override
        public void create(String mailbox) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MailboxStatus status(String mailbox) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void subscribe(String mailbox, boolean subscribe) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Selection select(String mailbox, long knownUidValidity, long knownModSeq) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Changes changedSince(long modseq) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<MessageInfo> listFrom(long fromUid) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<MessageInfo> info(java.util.Collection<Long> uids) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Message> fetch(java.util.Collection<Long> uids) {
            throw new UnsupportedOperationException();
        }

        @Override
        public UidRanges storeFlags(java.util.Collection<Long> uids, Set<String> flags, long unchangedSince) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long expunge(java.util.Collection<Long> uids) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Long> append(String mailbox, List<Message> messages) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void unselect() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void noop() {
        }
    }
}
