package org.camelinterimap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.camelinterimap.state.SqliteStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-mailbox algorithm against two in-memory servers and a real state database. */
class MailboxSyncTest {
    @TempDir
    Path dir;
    SqliteStateStore store;
    FakeMailServer local = new FakeMailServer(111);
    FakeMailServer remote = new FakeMailServer(222);
    final List<String> log = new ArrayList<>();
    /** What the sync told its progress display. */
    final List<String> progress = new ArrayList<>();
    private final SyncProgress recordingProgress = new SyncProgress() {
        @Override
        public void mailboxStarted(String mailbox, long messages, long bytes) {
            progress.add("started " + mailbox + " " + messages + " " + bytes);
        }

        @Override
        public void copied(String mailbox, int messages, long bytes) {
            progress.add("copied " + mailbox + " " + messages + " " + bytes);
        }
    };

    @BeforeEach
    void open() throws Exception {
        store = SqliteStateStore.open(dir.resolve("db"), null);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private StateStore.MailboxRecord record() throws Exception {
        StateStore.MailboxRecord rec = store.mailboxes().get("INBOX");
        return rec != null ? rec : store.addMailbox("INBOX", true, local.uidValidity, remote.uidValidity);
    }

    private void sync() throws Exception {
        sync(false);
    }

    private void sync(boolean repair) throws Exception {
        sync(repair, Appender.DIRECT);
    }

    private void sync(boolean repair, Appender appender) throws Exception {
        mailboxSync(record(), repair, appender).run();
    }

    private MailboxSync mailboxSync(StateStore.MailboxRecord record, boolean repair, Appender appender) {
        EnumMap<Side, MailServer> servers = new EnumMap<>(Side.class);
        servers.put(Side.LOCAL, local);
        servers.put(Side.REMOTE, remote);
        EnumMap<Side, String> names = new EnumMap<>(Side.class);
        names.put(Side.LOCAL, "INBOX");
        names.put(Side.REMOTE, "INBOX");
        return new MailboxSync("INBOX", record, servers, names, store, new SyncLog() {
            @Override
            public void info(String c, String m, String msg) {
                log.add(c + ": " + msg);
            }

            @Override
            public void warn(String c, String m, String msg) {
                log.add(c + ": WARNING: " + msg);
            }

            @Override
            public void error(String c, String m, String msg) {
                log.add(c + ": ERROR: " + msg);
            }
        }, new SyncStats(), repair, appender, recordingProgress);
    }

    @Test
    void anEmptyMailboxIsNotListed() throws Exception {
        local.add("l1");
        List<String> ops = new ArrayList<>();
        remote.hook = ops::add;
        sync();
        assertSame();
        assertEquals(List.of("select", "append"), ops.subList(0, 2), "SELECT said EXISTS 0: " + ops);
    }

    @Test
    void aMailboxJustCreatedIsRecordedOnceSelectedBeforeAnyCopy() throws Exception {
        local.add("l1");
        local.add("l2");
        List<String> ops = new ArrayList<>();
        remote.hook = ops::add;
        // as a pass gives it: the local UIDVALIDITY from LIST-STATUS, none yet for the side just created
        StateStore.MailboxRecord provisional = new StateStore.MailboxRecord(-1, "INBOX", true,
                new StateStore.SideState(local.uidValidity, 0, 0), new StateStore.SideState(0, 0, 0));
        List<String> recorded = new ArrayList<>();
        mailboxSync(provisional, false, Appender.DIRECT).recordOnceSelected((l, r) -> {
            recorded.add(l + " " + r + " after " + ops);
            return store.addMailbox("INBOX", true, l, r);
        }).run();
        assertEquals(List.of(local.uidValidity + " " + remote.uidValidity + " after [select]"), recorded);
        assertSame();
        StateStore.MailboxRecord rec = store.mailboxes().get("INBOX");
        assertEquals(remote.uidValidity, rec.remote().uidValidity());
        assertEquals(2, store.mapping(rec.idx()).size());
        ops.clear();
        sync();
        assertEquals(List.of(), ops.stream().filter(op -> op.equals("append")).toList(), "nothing copied twice");
        assertSame();
    }

    @Test
    void aNewMailboxWhoseSelectFailsIsNotRecorded() throws Exception {
        local.add("l1");
        remote.hook = op -> {
            if (op.equals("select")) {
                throw new IllegalStateException("no such mailbox");
            }
        };
        StateStore.MailboxRecord provisional = new StateStore.MailboxRecord(-1, "INBOX", true,
                new StateStore.SideState(local.uidValidity, 0, 0), new StateStore.SideState(0, 0, 0));
        assertThrows(IllegalStateException.class, () -> mailboxSync(provisional, false, Appender.DIRECT)
                .recordOnceSelected((l, r) -> store.addMailbox("INBOX", true, l, r)).run());
        assertTrue(store.mailboxes().isEmpty(), "the next pass adopts it");
    }

    @Test
    void everyBatchGoesThroughTheAppenderAndAShortReplyIsRefused() throws Exception {
        local.add("l1");
        local.add("l2");
        remote.add("r1");
        List<String> batches = new ArrayList<>();
        sync(false, (side, target, mailbox, messages) -> {
            batches.add(side.label() + " " + mailbox + " " + messages.size());
            return target.append(mailbox, messages);
        });
        assertEquals(List.of("remote INBOX 2", "local INBOX 1"), batches);
        assertSame();

        local.add("l3");
        SyncException e = assertThrows(SyncException.class, () -> sync(false, (side, target, mailbox, messages) -> {
            target.append(mailbox, messages);
            return List.of();
        }));
        assertTrue(e.getMessage().contains("APPEND returned 0 UID(s) for 1 message(s)"), e.getMessage());
        log.clear();
        sync();
        assertSame();
        assertTrue(log.stream().noneMatch(l -> l.contains("Added")), "the unrecorded copy is recognised, not made twice: " + log);
    }

    private void assertSame() {
        assertEquals(local.contents(), remote.contents());
    }

    private static long uidOf(FakeMailServer s, String body) {
        return s.messages.entrySet().stream()
                .filter(e -> new String(e.getValue().body(), StandardCharsets.UTF_8).equals(body))
                .findFirst().orElseThrow().getKey();
    }

    @Test
    void copiesBothWaysThenHasNothingToDo() throws Exception {
        local.add("l1", "\\Seen");
        local.add("l2");
        remote.add("r1", "\\Flagged");
        sync();
        assertSame();
        assertEquals(Map.of("l1", Set.of("\\Seen"), "l2", Set.of(), "r1", Set.of("\\Flagged")), local.contents());
        assertEquals(List.of("started INBOX 3 6", "copied INBOX 2 4", "copied INBOX 1 2"), progress,
                "the progress display learns the work, then each batch");
        long lm = local.modseq;
        long rm = remote.modseq;
        log.clear();
        sync();
        assertEquals(List.of(), log);
        assertEquals(lm, local.modseq, "nothing written locally");
        assertEquals(rm, remote.modseq, "nothing written remotely");
    }

    @Test
    void conflictingFlagsGetTheUnionOnBothSidesWithAWarning() throws Exception {
        local.add("m");
        sync();
        long lu = uidOf(local, "m");
        local.setFlags(lu, "\\Seen");
        remote.setFlags(uidOf(remote, "m"), "\\Flagged");
        sync();
        assertEquals(Set.of("\\Seen", "\\Flagged"), local.contents().get("m"));
        assertSame();
        assertTrue(log.stream().anyMatch(l -> l.contains("WARNING") && l.contains("UID " + lu)), log.toString());
    }

    @Test
    void appendsOfAnInterruptedRunAreRecordedNotCopiedAgain() throws Exception {
        local.add("m1");
        sync();
        long l2 = local.add("m2", "\\Seen");
        local.add("m3");
        // the interrupted run: intents recorded, m2 appended on remote, then the process died
        StateStore.MailboxRecord rec = record();
        store.recordIntents(rec.idx(), Side.REMOTE, List.of(
                new StateStore.Intent(l2, MessageBody.of("m2".getBytes(StandardCharsets.UTF_8)).digest()),
                new StateStore.Intent(uidOf(local, "m3"), MessageBody.of("m3".getBytes(StandardCharsets.UTF_8)).digest())));
        remote.append("INBOX", List.of(new MailServer.Message(l2, Set.of("\\Seen"), "x", "m2".getBytes(StandardCharsets.UTF_8))));
        sync();
        assertEquals(Map.of("m1", Set.of(), "m2", Set.of("\\Seen"), "m3", Set.of()), remote.contents());
        assertSame();
        assertTrue(log.stream().anyMatch(l -> l.contains("Recovered 1 message")), log.toString());
        assertEquals(List.of(), store.intents(rec.idx(), Side.REMOTE), "intents cleared");
    }

    @Test
    void recoveryDownloadsOnlyTheTargetMessagesOfAnIntentsSize() throws Exception {
        // an initial sync into a mailbox that already holds mail of its own, interrupted after an APPEND
        for (int i = 0; i < 20; i++) {
            remote.add("pre-existing message of the target number " + i + "x".repeat(1000));
        }
        long l1 = local.add("copied before the crash");
        long l2 = local.add("not copied yet");
        StateStore.MailboxRecord rec = record();
        byte[] b1 = "copied before the crash".getBytes(StandardCharsets.UTF_8);
        store.recordIntents(rec.idx(), Side.REMOTE, List.of(new StateStore.Intent(l1, MessageBody.of(b1).digest(), b1.length)));
        long appended = remote.append("INBOX", List.of(new MailServer.Message(l1, Set.of(), "x", b1))).get(0);
        remote.fetched.clear();
        sync();
        assertEquals(appended, remote.fetched.get(0), "the one message of the intent's size is downloaded first");
        assertEquals(1, remote.fetched.stream().filter(u -> u == appended).count());
        assertEquals(1 + 20, remote.fetched.size(), "then only the target's own messages, to copy them to the other side");
        assertTrue(log.stream().anyMatch(l -> l.contains("Recovered 1 message")), log.toString());
        assertEquals(22, remote.messages.size(), "nothing copied twice");
        assertEquals(22, local.messages.size());
        assertTrue(local.fetched.contains(l2) && !local.fetched.contains(l1));
    }

    @Test
    void identicalMessagesAreEachReconciledOnce() throws Exception {
        sync();
        long a = local.add("same");
        long b = local.add("same");
        StateStore.MailboxRecord rec = record();
        String d = MessageBody.of("same".getBytes(StandardCharsets.UTF_8)).digest();
        store.recordIntents(rec.idx(), Side.REMOTE, List.of(new StateStore.Intent(a, d), new StateStore.Intent(b, d)));
        // only the first of the two made it before the crash
        remote.append("INBOX", List.of(new MailServer.Message(a, Set.of(), "x", "same".getBytes(StandardCharsets.UTF_8))));
        sync();
        assertEquals(2, remote.messages.size(), "one recovered, one copied");
        assertEquals(2, local.messages.size());
    }

    @Test
    void anInterruptedAppendWhoseSourceWasExpungedSinceIsNotResurrected() throws Exception {
        local.add("m1");
        sync();
        long l2 = local.add("m2");
        StateStore.MailboxRecord rec = record();
        store.recordIntents(rec.idx(), Side.REMOTE,
                List.of(new StateStore.Intent(l2, MessageBody.of("m2".getBytes(StandardCharsets.UTF_8)).digest())));
        remote.append("INBOX", List.of(new MailServer.Message(l2, Set.of(), "x", "m2".getBytes(StandardCharsets.UTF_8))));
        local.remove(l2); // the user deletes it before the next run
        sync();
        assertEquals(Map.of("m1", Set.of()), local.contents(), "not copied back");
        assertSame();
        sync();
        assertSame();
    }

    @Test
    void aChangeByAnotherClientDuringOurExpungeIsNotLost() throws Exception {
        local.add("m1");
        local.add("m2");
        sync();
        long r2 = uidOf(remote, "m2");
        local.remove(uidOf(local, "m1"));
        remote.hook = op -> {
            if (op.equals("expunge")) {
                remote.hook = o -> { };
                remote.setFlags(r2, "\\Answered"); // another client, just before our UID EXPUNGE
            }
        };
        sync();
        assertEquals(Map.of("m2", Set.of("\\Answered")), remote.contents());
        assertEquals(Map.of("m2", Set.of("\\Answered")), local.contents(), "the concurrent flag change reaches local");
    }

    @Test
    void anExpungeAfterAnInterruptedFirstRunIsPropagated() throws Exception {
        // a first run copied and recorded the messages, then died before storing UIDNEXT/HIGHESTMODSEQ
        long l1 = local.add("m1");
        long l2 = local.add("m2");
        StateStore.MailboxRecord rec = record();
        List<Long> r = remote.append("INBOX", List.of(
                new MailServer.Message(l1, Set.of(), "x", "m1".getBytes(StandardCharsets.UTF_8)),
                new MailServer.Message(l2, Set.of(), "x", "m2".getBytes(StandardCharsets.UTF_8))));
        store.commitAppend(rec.idx(), Side.REMOTE, List.of(new long[] {l1, r.get(0)}, new long[] {l2, r.get(1)}));
        // the user deletes one copy and flags the other before the next run
        remote.remove(r.get(0));
        local.setFlags(l2, "\\Seen");
        sync();
        assertEquals(Map.of("m2", Set.of("\\Seen")), local.contents());
        assertSame();
    }

    @Test
    void mailDeliveredDuringACheckBelowTheWatermarkIsStillCopied() throws Exception {
        long l1 = local.add("m1");
        sync();
        long r1 = uidOf(remote, "m1");
        local.setFlags(l1, "\\Seen"); // work for the next run
        local.hook = op -> {
            if (op.equals("changedSince")) {
                local.hook = o -> { };
                local.add("m2 local"); // makes a second round, whose append raises the remote UIDs
            }
        };
        remote.hook = op -> {
            if (op.equals("changedSince")) {
                remote.hook = o -> { };
                long r2 = remote.add("r2 delivered meanwhile");
                remote.announcedByExistsOnly.add(r2);
                remote.setFlags(r1, "\\Flagged"); // a later MODSEQ than r2's, reported as FETCH
            }
        };
        sync();
        assertTrue(local.contents().containsKey("r2 delivered meanwhile"), local.contents().toString());
        assertSame();
        sync();
        assertSame();
    }

    @Test
    void aCopyMadeByAnInterruptedRepairIsKeptByTheNextNormalRun() throws Exception {
        long l1 = local.add("m1");
        sync();
        StateStore.MailboxRecord rec = record();
        // the state lost the pair and the remote copy is gone: --repair copies m1 again, and dies
        // between its APPEND and recording the pair
        store.removeMappings(rec.idx(), List.of(l1));
        remote.remove(uidOf(remote, "m1"));
        store.recordIntents(rec.idx(), Side.REMOTE, List.of(new StateStore.Intent(l1, MessageBody.of("m1".getBytes(StandardCharsets.UTF_8)).digest())));
        remote.append("INBOX", List.of(new MailServer.Message(l1, Set.of(), "x", "m1".getBytes(StandardCharsets.UTF_8))));
        sync();
        assertEquals(Map.of("m1", Set.of()), remote.contents(), "the repaired copy stays");
        assertSame();
        assertEquals(Map.of(l1, uidOf(remote, "m1")), store.mapping(rec.idx()));
    }

    @Test
    void repairCopiesWhatTheStateLost() throws Exception {
        long l1 = local.add("m1");
        local.add("m2");
        sync();
        StateStore.MailboxRecord rec = record();
        store.removeMappings(rec.idx(), List.of(l1));
        remote.remove(uidOf(remote, "m1"));
        sync();
        assertEquals(1, remote.contents().size(), "a normal run cannot see it");
        sync(true);
        assertSame();
        assertEquals(2, remote.contents().size());
    }

    @Test
    void aRefusedMessageIsIsolatedRecordedAndTriedAgainOnlyByRepair() throws Exception {
        for (int i = 1; i <= 7; i++) {
            local.add(i == 4 ? "POISON" : "m" + i);
        }
        // a MULTIAPPEND stores all or none: a batch holding the poison is refused whole
        Appender refusing = (side, target, mailbox, messages) -> {
            if (messages.stream().anyMatch(m -> new String(m.body().bytes(), StandardCharsets.UTF_8).equals("POISON"))) {
                throw SyncException.refused("remote: APPEND in INBOX failed: [LIMIT] Message too large", null);
            }
            return target.append(mailbox, messages);
        };
        sync(false, refusing);
        assertEquals(6, remote.messages.size(), "every other message is copied");
        long idx = record().idx();
        assertEquals(Set.of(4L), store.refused(idx, Side.REMOTE));
        assertTrue(store.intents(idx, Side.REMOTE).isEmpty(), "the refused batches leave no intent");
        List<String> errors = log.stream().filter(l -> l.contains("ERROR")).toList();
        assertEquals(1, errors.size(), log::toString);
        assertTrue(errors.get(0).contains("refused local UID 4 (6 bytes)") && errors.get(0).contains("Message too large"),
                errors::toString);

        log.clear();
        sync(false, refusing);
        assertEquals(6, remote.messages.size());
        assertTrue(log.stream().noneMatch(l -> l.contains("ERROR")), log::toString);

        sync(true, Appender.DIRECT);
        assertEquals(7, remote.messages.size(), "--repair tries the refused message again");
        assertTrue(store.refused(idx, Side.REMOTE).isEmpty());
        assertEquals(local.contents(), remote.contents());
    }
}
