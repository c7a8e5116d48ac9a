package org.camelinterimap.sync;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.camelinterimap.support.CrashPoints;
import org.camelinterimap.support.DaemonThreads;
import org.camelinterimap.sync.MailServer.Message;
import org.camelinterimap.sync.MailServer.MessageInfo;
import org.camelinterimap.sync.StateStore.Intent;
import org.camelinterimap.sync.StateStore.MailboxRecord;
import org.camelinterimap.sync.StateStore.SideState;

/**
 * Synchronizes one mailbox between the two sides, QRESYNC style: expunges, then flag changes,
 * then new messages, repeated while either server reports more changes; then the new
 * UIDNEXT/HIGHESTMODSEQ are stored.
 *
 * <p>Crash safety, the order that matters:
 * <ul>
 *   <li>An APPEND is preceded by a durable intent (source UID, SHA-256 of the bytes) and followed
 *       by one transaction recording the UID pairs and dropping the intents. A run that finds
 *       intents matches them against the target's unmapped new messages by digest, so a copy
 *       interrupted between APPEND and record is recorded, not made twice.</li>
 *   <li>Expunges and flag stores are idempotent and done before the state that hides them
 *       (the mapping row, UIDNEXT/HIGHESTMODSEQ) is updated: a rerun redoes them harmlessly.</li>
 *   <li>UIDNEXT/HIGHESTMODSEQ are stored last, once a check found nothing left to propagate.</li>
 *   <li>A mailbox just created on a side is recorded once both SELECTs gave its UIDVALIDITY,
 *       before anything else about it is stored (see {@link #recordOnceSelected}).</li>
 * </ul>
 */
public final class MailboxSync {
    /**
     * Bound on the bytes of messages held in memory for one APPEND: a 48th of the heap, between
     * 512 KiB and 8 MiB. A worker holds at most about four batches (the one being appended, the
     * next one being fetched, and the protocol layer's copies), so a sync needs about
     * max-connections x 4 x BATCH_BYTES beyond its fixed needs, whatever the size of the messages:
     * a message larger than a batch is copied alone, spooled (see {@link MessageBody}).
     */
    static final long BATCH_BYTES = Math.max(512L << 10, Math.min(8L << 20, Runtime.getRuntime().maxMemory() / 48));
    static final int BATCH_COUNT = 200;
    private static final int MAX_ROUNDS = 50;

    private final String name;
    /** The mailbox in the database; until {@link #recorder} has run, a provisional one (idx -1). */
    private MailboxRecord record;
    /** Records the mailbox once both sides are selected, or null when the database knows it already. */
    private Recorder recorder;
    private final StateStore store;
    private final SyncLog log;
    private final EnumMap<Side, SideRun> sides = new EnumMap<>(Side.class);
    /** local UID → remote UID and back; both always hold the same pairs. */
    private final Map<Long, Long> l2r = new HashMap<>();
    private final Map<Long, Long> r2l = new HashMap<>();
    private final SyncStats stats;
    private final SyncProgress progress;
    private final boolean repair;
    private final Appender appender;

    /** What the engine tracks of one side during the run. */
    private static final class SideRun {
        final Side side;
        final MailServer server;
        final String mailbox;
        final SideState stored;
        long uidValidity;
        long uidNextAtSelect;
        /** Every change with MODSEQ ≤ watermark has been seen by this run. */
        long watermark;
        long maxUid;
        /**
         * Every UID up to this one has been listed (seen to exist or not) by this run. Our own
         * APPENDs do not count: a message another client delivered between two of them must
         * still be listed, since the server announces it with EXISTS only.
         */
        long listed;
        /** Flags as this run last saw or set them, by UID: a change to exactly these is our own echo. */
        final Map<Long, Set<String>> known = new HashMap<>();
        final Map<Long, Set<String>> changed = new TreeMap<>();
        final Set<Long> vanished = new TreeSet<>();
        final Map<Long, MessageInfo> fresh = new TreeMap<>();

        SideRun(Side side, MailServer server, String mailbox, SideState stored) {
            this.side = side;
            this.server = server;
            this.mailbox = mailbox;
            this.stored = stored;
        }

        boolean pending() {
            return !changed.isEmpty() || !vanished.isEmpty() || !fresh.isEmpty();
        }
    }

    /**
     * @param name     the mailbox name with NUL as hierarchy delimiter (for log lines it is shown with
     *                 each side's delimiter)
     * @param mailboxes the mailbox name on each side's wire
     * @param repair   full synchronization (interimap --repair): compare every UID and flag list
     */
    public MailboxSync(String name, MailboxRecord record, Map<Side, MailServer> servers, Map<Side, String> mailboxes,
                       StateStore store, SyncLog log, SyncStats stats, boolean repair) {
        this(name, record, servers, mailboxes, store, log, stats, repair, Appender.DIRECT, SyncProgress.NONE);
    }

    /**
     * @param appender performs each batch's APPEND (see {@link Appender} for its contract)
     * @param progress told what there is to copy and what is copied
     */
    public MailboxSync(String name, MailboxRecord record, Map<Side, MailServer> servers, Map<Side, String> mailboxes,
                       StateStore store, SyncLog log, SyncStats stats, boolean repair, Appender appender,
                       SyncProgress progress) {
        this.name = name;
        this.progress = progress;
        this.appender = appender;
        this.repair = repair;
        this.record = record;
        this.store = store;
        this.log = log;
        this.stats = stats;
        for (Side s : Side.values()) {
            sides.put(s, new SideRun(s, servers.get(s), mailboxes.get(s), record.side(s)));
        }
    }

    /** Records a mailbox new to the database, given both sides' UIDVALIDITY. */
    @FunctionalInterface
    public interface Recorder {
        MailboxRecord record(long localUidValidity, long remoteUidValidity) throws SyncException;
    }

    /**
     * Makes the record given to the constructor a provisional one (idx -1, UIDVALIDITY 0 on a
     * side where the mailbox was just created): the mailbox is recorded by {@code recorder} once
     * both SELECTs have given their UIDVALIDITY, before anything else of it is stored. This
     * spares a STATUS on every mailbox that a pass creates; a crash before the recording leaves
     * the mailbox on the servers and not in the database, which the next pass adopts.
     */
    public MailboxSync recordOnceSelected(Recorder recorder) {
        this.recorder = recorder;
        return this;
    }

    private SideRun side(Side s) {
        return sides.get(s);
    }

    private Map<Long, Long> map(Side from) {
        return from == Side.LOCAL ? l2r : r2l;
    }

    public void run() throws SyncException {
        if (recorder == null) {
            for (Map.Entry<Long, Long> e : store.mapping(record.idx()).entrySet()) {
                l2r.put(e.getKey(), e.getValue());
                r2l.put(e.getValue(), e.getKey());
            }
        }
        boolean broken = false;
        try {
            // both SELECTs (and listings of new UIDs) at once: each side has its own connection
            BothSides.each(side -> () -> open(side(side)));
            if (recorder != null) {
                record = recorder.record(side(Side.LOCAL).uidValidity, side(Side.REMOTE).uidValidity);
                recorder = null;
            }
            if (repair) {
                store.clearRefused(record.idx()); // refused messages are tried again
                repair();
            }
            for (Side target : Side.values()) {
                reconcileIntents(target);
            }
            announceWork();
            int round = 0;
            while (side(Side.LOCAL).pending() || side(Side.REMOTE).pending()) {
                if (++round > MAX_ROUNDS) {
                    throw new SyncException(name.replace('\0', '/') + ": still changing after " + MAX_ROUNDS + " rounds; try again later");
                }
                propagateExpunges();
                propagateFlags();
                copyNew(Side.LOCAL);
                copyNew(Side.REMOTE);
                BothSides.each(side -> () -> check(side(side)));
            }
            SideRun l = side(Side.LOCAL);
            SideRun r = side(Side.REMOTE);
            CrashPoints.SYNC.reached("before-save");
            store.saveProgress(record.idx(), progress(l), progress(r));
        } catch (SyncException e) {
            broken = e.brokenConnection();
            throw e;
        } catch (RuntimeException | Error e) {
            broken = true;
            throw e;
        } finally {
            // a connection in an unknown state gets no more commands: it is closed, not unselected
            if (!broken) {
                BothSides.each(side -> () -> {
                    try {
                        side(side).server.unselect();
                    } catch (SyncException e) {
                        if (e.fatal()) {
                            throw e;
                        }
                    }
                });
            }
        }
    }

    /** Tells the progress display how many messages, of how many bytes, this mailbox has to copy. */
    private void announceWork() {
        long messages = 0;
        long bytes = 0;
        for (SideRun s : sides.values()) {
            messages += s.fresh.size();
            for (MessageInfo m : s.fresh.values()) {
                bytes += Math.max(0, m.size());
            }
        }
        progress.mailboxStarted(name, messages, bytes);
    }

    private static SideState progress(SideRun s) {
        return new SideState(s.uidValidity, Math.max(s.uidNextAtSelect, s.maxUid + 1), s.watermark);
    }

    private void open(SideRun s) throws SyncException {
        SideState st = s.stored;
        boolean resync = st.uidValidity() > 0 && st.highestModSeq() > 0;
        MailServer.Selection sel = s.server.select(s.mailbox, st.uidValidity(), st.highestModSeq());
        if (st.uidValidity() > 0 && sel.uidValidity() != st.uidValidity()) {
            throw new SyncException(s.side.label() + "(" + s.mailbox + "): UIDVALIDITY changed (" + st.uidValidity()
                    + " != " + sel.uidValidity() + "); the mailbox was recreated: not syncing it");
        }
        s.uidValidity = sel.uidValidity();
        s.uidNextAtSelect = sel.uidNext();
        s.watermark = sel.highestModSeq();
        s.maxUid = 0;
        Map<Long, Long> mapped = map(s.side);
        if (resync) {
            s.vanished.addAll(sel.vanished().within(mapped.keySet()));
            for (MessageInfo m : sel.changed()) {
                if (m.flags() == null) {
                    continue; // QRESYNC always sends FLAGS; nothing to learn without them
                }
                s.known.put(m.uid(), m.flags());
                if (mapped.containsKey(m.uid()) && !s.vanished.contains(m.uid())) {
                    s.changed.put(m.uid(), m.flags());
                }
            }
        }
        // UID pairs but no stored progress: a first run died after recording them. QRESYNC cannot
        // tell what happened to those messages since, so compare everything: a pair missing here
        // was expunged, and every pair's flags are checked (a difference gets the union).
        boolean fullScan = !resync && st.uidNext() == 0 && !mapped.isEmpty();
        if (st.uidNext() == 0 || sel.uidNext() > st.uidNext()) {
            Set<Long> present = new HashSet<>();
            // an empty mailbox (a new one, say) has nothing to list
            List<MessageInfo> listed = sel.exists() == 0 ? List.of() : s.server.listFrom(Math.max(st.uidNext(), 1));
            for (MessageInfo m : listed) {
                s.maxUid = Math.max(s.maxUid, m.uid());
                s.known.put(m.uid(), m.flags());
                present.add(m.uid());
                if (!mapped.containsKey(m.uid())) {
                    s.fresh.put(m.uid(), m);
                } else if (fullScan) {
                    s.changed.put(m.uid(), m.flags());
                }
            }
            if (fullScan) {
                for (long uid : mapped.keySet()) {
                    if (!present.contains(uid)) {
                        s.vanished.add(uid);
                    }
                }
            }
        }
        s.listed = Math.max(sel.uidNext() - 1, s.maxUid);
    }

    /**
     * interimap --repair: the full UID and flag lists of both sides against the mapping. A pair whose
     * message is gone from one side without the server reporting it expunged loses its mapping and
     * the surviving message is copied again (nothing is deleted on a guess); differing flag lists
     * get the union; messages found in no pair are copied.
     */
    private void repair() throws SyncException {
        EnumMap<Side, Map<Long, MessageInfo>> all = new EnumMap<>(Side.class);
        for (SideRun s : sides.values()) {
            Map<Long, MessageInfo> byUid = new HashMap<>();
            for (MessageInfo m : s.server.listFrom(1)) {
                byUid.put(m.uid(), m);
                s.known.put(m.uid(), m.flags());
                s.maxUid = Math.max(s.maxUid, m.uid());
            }
            s.listed = Math.max(s.listed, s.maxUid);
            all.put(s.side, byUid);
            s.changed.clear();
        }
        SideRun l = side(Side.LOCAL);
        SideRun r = side(Side.REMOTE);
        List<Long> broken = new ArrayList<>();
        for (Map.Entry<Long, Long> e : l2r.entrySet()) {
            MessageInfo li = all.get(Side.LOCAL).get(e.getKey());
            MessageInfo ri = all.get(Side.REMOTE).get(e.getValue());
            if (li != null && ri != null) {
                if (!li.flags().equals(ri.flags())) {
                    l.changed.put(li.uid(), li.flags());
                    r.changed.put(ri.uid(), ri.flags());
                }
            } else if (!l.vanished.contains(e.getKey()) && !r.vanished.contains(e.getValue())) {
                broken.add(e.getKey());
                SideRun survivor = li != null ? l : r;
                MessageInfo m = li != null ? li : ri;
                if (m != null) {
                    survivor.fresh.put(m.uid(), m);
                    log.warn(survivor.side.other().label(), side(survivor.side.other()).mailbox,
                            "Missing message (pair " + e.getKey() + " <-> " + e.getValue() + "); copying it again from "
                            + survivor.side.label() + " UID " + m.uid());
                }
            }
        }
        if (!broken.isEmpty()) {
            store.removeMappings(record.idx(), broken);
            for (long lu : broken) {
                r2l.remove(l2r.remove(lu));
            }
        }
        for (SideRun s : sides.values()) {
            for (MessageInfo m : all.get(s.side).values()) {
                if (!map(s.side).containsKey(m.uid())) {
                    s.fresh.put(m.uid(), m);
                }
            }
        }
    }

    /** Records the appends of an interrupted run found on {@code target}, matched by digest. */
    private void reconcileIntents(Side target) throws SyncException {
        List<Intent> intents = store.intents(record.idx(), target);
        if (intents.isEmpty()) {
            return;
        }
        SideRun t = side(target);
        SideRun src = side(target.other());
        // only the target's new messages of a size some intent recorded are downloaded (all of them
        // for intents of earlier versions, which recorded no size), in batches of bounded bytes
        Set<Long> sizes = new HashSet<>();
        boolean sizeUnknown = false;
        for (Intent i : intents) {
            sizeUnknown |= i.size() < 0;
            sizes.add(i.size());
        }
        List<MessageInfo> wanted = new ArrayList<>();
        for (MessageInfo m : t.fresh.values()) {
            if (sizeUnknown || m.size() < 0 || sizes.contains(m.size())) {
                wanted.add(m);
            }
        }
        Map<String, List<Long>> candidates = new HashMap<>();
        for (List<Long> chunk : batches(wanted)) {
            for (Message m : t.server.fetch(chunk)) {
                candidates.computeIfAbsent(m.body().digest(), k -> new ArrayList<>()).add(m.uid());
                m.body().discard();
            }
        }
        List<long[]> pairs = new ArrayList<>();
        for (Intent i : intents) {
            List<Long> uids = candidates.get(i.digest());
            if (uids == null || uids.isEmpty() || map(src.side).containsKey(i.sourceUid())) {
                continue;
            }
            long targetUid = uids.remove(0);
            pairs.add(target == Side.REMOTE ? new long[] {i.sourceUid(), targetUid} : new long[] {targetUid, i.sourceUid()});
        }
        if (!pairs.isEmpty()) {
            store.commitAppend(record.idx(), target, pairs);
            List<Long> notFresh = new ArrayList<>();
            for (long[] p : pairs) {
                long srcUid = target == Side.REMOTE ? p[0] : p[1];
                if (!src.fresh.containsKey(srcUid)) {
                    notFresh.add(srcUid);
                }
            }
            // a source message outside this run's listing (below the stored UIDNEXT, e.g. copied by
            // an interrupted --repair) is asked for; only one that is really gone loses its copy
            Set<Long> stillThere = new HashSet<>();
            for (MessageInfo m : src.server.info(notFresh)) {
                stillThere.add(m.uid());
            }
            for (long[] p : pairs) {
                l2r.put(p[0], p[1]);
                r2l.put(p[1], p[0]);
                long srcUid = target == Side.REMOTE ? p[0] : p[1];
                long tUid = target == Side.REMOTE ? p[1] : p[0];
                if (src.fresh.remove(srcUid) == null && !stillThere.contains(srcUid)) {
                    // the source message is gone since the interrupted run: remove its copy instead
                    // of keeping an orphan that would be copied back
                    src.vanished.add(srcUid);
                }
                t.fresh.remove(tUid);
            }
            log.info(target.label(), t.mailbox, "Recovered " + pairs.size()
                    + " message(s) appended by an interrupted run; not copying them again");
        }
        store.clearIntents(record.idx(), target);
    }

    private void propagateExpunges() throws SyncException {
        SideRun l = side(Side.LOCAL);
        SideRun r = side(Side.REMOTE);
        Set<Long> forgetLocal = new TreeSet<>();
        EnumMap<Side, Set<Long>> toExpunge = new EnumMap<>(Side.class);
        toExpunge.put(Side.LOCAL, new TreeSet<>());
        toExpunge.put(Side.REMOTE, new TreeSet<>());
        for (long uid : l.vanished) {
            Long other = l2r.get(uid);
            if (other != null) {
                forgetLocal.add(uid);
                if (!r.vanished.contains(other)) {
                    toExpunge.get(Side.REMOTE).add(other);
                }
            }
        }
        for (long uid : r.vanished) {
            Long other = r2l.get(uid);
            if (other != null) {
                forgetLocal.add(other);
                if (!l.vanished.contains(other)) {
                    toExpunge.get(Side.LOCAL).add(other);
                }
            }
        }
        // both sides at once; the mapping rows go only once both are done
        BothSides.each(s -> {
            Set<Long> uids = toExpunge.get(s);
            if (uids.isEmpty()) {
                return null;
            }
            return () -> {
                SideRun run = side(s);
                run.server.expunge(uids);
                CrashPoints.SYNC.reached("after-expunge");
                // the watermark stays: the HIGHESTMODSEQ after our EXPUNGE may cover changes of other
                // clients made since SELECT, which the next check must still report
                log.info(s.label(), run.mailbox, "Removed " + uids.size() + " UID(s) " + UidRanges.format(uids));
                stats.expunged(uids.size());
            };
        });
        if (!forgetLocal.isEmpty()) {
            store.removeMappings(record.idx(), forgetLocal);
            for (long lu : forgetLocal) {
                Long ru = l2r.remove(lu);
                if (ru != null) {
                    r2l.remove(ru);
                    r.changed.remove(ru);
                }
                l.changed.remove(lu);
            }
        }
        l.vanished.clear();
        r.vanished.clear();
    }

    private void propagateFlags() throws SyncException {
        SideRun l = side(Side.LOCAL);
        SideRun r = side(Side.REMOTE);
        // target side → flag set → target UIDs; plus the source UIDs to mark as known on success
        EnumMap<Side, Map<Set<String>, List<long[]>>> stores = new EnumMap<>(Side.class);
        stores.put(Side.LOCAL, new LinkedHashMap<>());
        stores.put(Side.REMOTE, new LinkedHashMap<>());
        for (Map.Entry<Long, Set<String>> e : l.changed.entrySet()) {
            long lu = e.getKey();
            Long ru = l2r.get(lu);
            if (ru == null) {
                continue;
            }
            Set<String> lf = e.getValue();
            Set<String> rf = r.changed.remove(ru);
            if (rf == null) {
                if (!lf.equals(r.known.get(ru))) {
                    stores.get(Side.REMOTE).computeIfAbsent(lf, k -> new ArrayList<>()).add(new long[] {ru, lu});
                }
            } else if (!lf.equals(rf)) {
                Set<String> union = new TreeSet<>(lf);
                union.addAll(rf);
                stats.conflict();
                log.warn(Side.LOCAL.label(), l.mailbox, "Conflicting flag update for UID " + lu + " (" + String.join(" ", lf)
                        + ") and remote UID " + ru + " (" + String.join(" ", rf) + "); setting both to the union");
                if (!union.equals(lf)) {
                    stores.get(Side.LOCAL).computeIfAbsent(union, k -> new ArrayList<>()).add(new long[] {lu, ru});
                }
                if (!union.equals(rf)) {
                    stores.get(Side.REMOTE).computeIfAbsent(union, k -> new ArrayList<>()).add(new long[] {ru, lu});
                }
            }
        }
        for (Map.Entry<Long, Set<String>> e : r.changed.entrySet()) {
            long ru = e.getKey();
            Long lu = r2l.get(ru);
            if (lu != null && !e.getValue().equals(l.known.get(lu))) {
                stores.get(Side.LOCAL).computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(new long[] {lu, ru});
            }
        }
        Map<Long, Set<String>> carryLocal = new TreeMap<>();
        Map<Long, Set<String>> carryRemote = new TreeMap<>();
        // the STOREs of both sides at once (each side's in order); what they did is noted afterwards
        EnumMap<Side, List<UidRanges>> results = new EnumMap<>(Side.class);
        BothSides.each(target -> {
            if (stores.get(target).isEmpty()) {
                return null;
            }
            List<UidRanges> modified = new ArrayList<>();
            results.put(target, modified);
            return () -> {
                SideRun t = side(target);
                for (Map.Entry<Set<String>, List<long[]>> e : stores.get(target).entrySet()) {
                    List<Long> uids = new ArrayList<>();
                    for (long[] p : e.getValue()) {
                        uids.add(p[0]);
                    }
                    modified.add(t.server.storeFlags(uids, e.getKey(), t.watermark));
                    CrashPoints.SYNC.reached("after-flags");
                }
            };
        });
        for (Side target : Side.values()) {
            SideRun t = side(target);
            SideRun src = side(target.other());
            int k = 0;
            for (Map.Entry<Set<String>, List<long[]>> e : stores.get(target).entrySet()) {
                Set<String> flags = e.getKey();
                UidRanges modified = results.get(target).get(k++);
                List<Long> done = new ArrayList<>();
                for (long[] p : e.getValue()) {
                    if (modified.contains(p[0])) {
                        // changed on the target meanwhile: keep the source change for the next round,
                        // where it meets the target's change and both get the union
                        (target == Side.REMOTE ? carryLocal : carryRemote).put(p[1], flags);
                    } else {
                        t.known.put(p[0], flags);
                        src.known.put(p[1], flags);
                        done.add(p[0]);
                    }
                }
                if (!done.isEmpty()) {
                    log.info(target.label(), t.mailbox, "Updated flags (" + String.join(" ", flags) + ") for UID " + UidRanges.format(done));
                    stats.flagUpdates(done.size());
                }
            }
        }
        l.changed.clear();
        r.changed.clear();
        l.changed.putAll(carryLocal);
        r.changed.putAll(carryRemote);
    }

    /** Copies the unmapped new messages of {@code from} to the other side, batch by batch. */
    private void copyNew(Side from) throws SyncException {
        SideRun src = side(from);
        SideRun dst = side(from.other());
        if (src.fresh.isEmpty()) {
            return;
        }
        // messages the target refused in an earlier pass are not tried again (--repair forgets them)
        src.fresh.keySet().removeAll(store.refused(record.idx(), dst.side));
        if (src.fresh.isEmpty()) {
            return;
        }
        List<List<Long>> batches = batches(src.fresh.values());
        src.fresh.clear();
        // Pipeline: the source server sends batch k+1 while the target stores batch k (two
        // connections, two servers). Only the prefetch thread touches the source meanwhile.
        CompletableFuture<List<Message>> next = fetchAsync(src, batches.get(0));
        for (int b = 0; b < batches.size(); b++) {
            List<Message> messages = await(next);
            next = b + 1 < batches.size() ? fetchAsync(src, batches.get(b + 1)) : null;
            try {
                appendBatch(src, dst, from, messages);
            } catch (Throwable e) {
                if (next != null) {
                    // let the source connection fall idle first, and drop what it spooled
                    next.handle((m, x) -> {
                        if (m != null) {
                            m.forEach(msg -> msg.body().discard());
                        }
                        return null;
                    }).join();
                }
                throw e;
            } finally {
                messages.forEach(m -> m.body().discard());
            }
        }
    }

    /**
     * UIDs in batches of at most BATCH_COUNT messages and BATCH_BYTES bytes (a larger message alone;
     * a size not known is taken for a whole batch, so that it goes alone too).
     */
    private static List<List<Long>> batches(java.util.Collection<MessageInfo> messages) {
        List<List<Long>> batches = new ArrayList<>();
        List<Long> batch = new ArrayList<>();
        long bytes = 0;
        for (MessageInfo m : messages) {
            long size = m.size() < 0 ? BATCH_BYTES : m.size();
            if (!batch.isEmpty() && (bytes + size > BATCH_BYTES || batch.size() >= BATCH_COUNT)) {
                batches.add(batch);
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.add(m.uid());
            bytes += size;
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }

    private static final ExecutorService PREFETCH = Executors.newCachedThreadPool(DaemonThreads.named("interimap-prefetch"));

    private static CompletableFuture<List<Message>> fetchAsync(SideRun src, List<Long> uids) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return src.server.fetch(uids);
            } catch (SyncException e) {
                throw new CompletionException(e);
            }
        }, PREFETCH);
    }

    private static List<Message> await(CompletableFuture<List<Message>> f) throws SyncException {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SyncException se) {
                throw se;
            }
            throw e;
        }
    }

    /**
     * Appends one fetched batch to the target: intents first, then APPEND, then the UID pairs. When
     * the target refuses the batch (a MULTIAPPEND stores all or none), its intents are dropped and
     * the halves are tried, down to the single messages it refuses: those are reported and recorded
     * as refused, and every other message is copied.
     */
    private void appendBatch(SideRun src, SideRun dst, Side from, List<Message> messages) throws SyncException {
        if (messages.isEmpty()) {
            return; // expunged meanwhile: the next check reports it
        }
        List<Intent> intents = new ArrayList<>(messages.size());
        for (Message m : messages) {
            intents.add(new Intent(m.uid(), m.body().digest(), m.body().size()));
        }
        store.recordIntents(record.idx(), dst.side, intents);
        CrashPoints.SYNC.reached("before-append");
        List<Long> newUids;
        try {
            newUids = appender.append(dst.side, dst.server, dst.mailbox, messages);
        } catch (SyncException e) {
            if (!e.refused()) {
                throw e;
            }
            // nothing was stored: the intents of this batch (the only ones not yet committed) go
            store.clearIntents(record.idx(), dst.side);
            if (messages.size() == 1) {
                refused(src, dst, messages.get(0), e);
                return;
            }
            int half = messages.size() / 2;
            appendBatch(src, dst, from, messages.subList(0, half));
            appendBatch(src, dst, from, messages.subList(half, messages.size()));
            return;
        }
        if (newUids.size() != messages.size()) {
            throw new SyncException(dst.side.label() + "(" + dst.mailbox + "): APPEND returned " + newUids.size()
                    + " UID(s) for " + messages.size() + " message(s)", true, null);
        }
        CrashPoints.SYNC.reached("after-append");
        List<long[]> pairs = new ArrayList<>(messages.size());
        List<Long> srcUids = new ArrayList<>(messages.size());
        long copiedBytes = 0;
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            long su = m.uid();
            long du = newUids.get(i);
            pairs.add(from == Side.LOCAL ? new long[] {su, du} : new long[] {du, su});
            srcUids.add(su);
            src.known.put(su, m.flags());
            dst.known.put(du, m.flags());
            dst.maxUid = Math.max(dst.maxUid, du);
            src.maxUid = Math.max(src.maxUid, su);
            copiedBytes += m.body().size();
        }
        store.commitAppend(record.idx(), dst.side, pairs);
        CrashPoints.SYNC.reached("after-record");
        for (long[] p : pairs) {
            l2r.put(p[0], p[1]);
            r2l.put(p[1], p[0]);
        }
        stats.copied(messages.size(), copiedBytes);
        progress.copied(name, messages.size(), copiedBytes);
        log.info(dst.side.label(), dst.mailbox, "Added " + messages.size() + " UID(s) " + UidRanges.format(srcUids) + " -> " + UidRanges.format(newUids));
    }

    /** A message the target refuses on its own: reported with the server's words, recorded, not tried again. */
    private void refused(SideRun src, SideRun dst, Message m, SyncException why) throws SyncException {
        store.recordRefused(record.idx(), dst.side, m.uid(), m.body().size(), why.getMessage());
        stats.refused(1);
        log.error(dst.side.label(), dst.mailbox, "refused " + src.side.label() + " UID " + m.uid() + " (" + m.body().size()
                + " bytes): " + why.getMessage() + "; not copying it again until --repair");
    }

    /**
     * Asks the server what changed since the watermark: our own stores and appends come back as
     * echoes (flags equal to what we know) and are dropped; anything else is queued for the next round.
     */
    private void check(SideRun s) throws SyncException {
        MailServer.Changes ch = s.server.changedSince(s.watermark);
        Map<Long, Long> mapped = map(s.side);
        long watermark = s.watermark;
        s.vanished.addAll(ch.vanished().within(mapped.keySet()));
        List<MessageInfo> changed = new ArrayList<>();
        List<Long> flagsUnknown = new ArrayList<>();
        for (MessageInfo m : ch.changed()) {
            watermark = Math.max(watermark, m.modseq());
            if (m.flags() != null) {
                changed.add(m);
            } else if (mapped.containsKey(m.uid())) {
                flagsUnknown.add(m.uid()); // a FETCH with only a new MODSEQ: ask for the flags
            }
        }
        changed.addAll(s.server.info(flagsUnknown));
        for (MessageInfo m : changed) {
            if (s.vanished.contains(m.uid())) {
                continue;
            }
            if (mapped.containsKey(m.uid())) {
                if (!m.flags().equals(s.known.get(m.uid()))) {
                    s.changed.put(m.uid(), m.flags());
                    s.known.put(m.uid(), m.flags());
                }
            } else if (m.uid() >= Math.max(s.stored.uidNext(), 1)) {
                s.fresh.put(m.uid(), m);
                s.maxUid = Math.max(s.maxUid, m.uid());
            }
        }
        // Messages delivered by others while a command ran are announced by EXISTS alone, and the
        // watermark may already be past their MODSEQ: list every UID not listed yet (our own
        // appends come back mapped and are skipped).
        for (MessageInfo m : s.server.listFrom(s.listed + 1)) {
            s.listed = Math.max(s.listed, m.uid());
            s.maxUid = Math.max(s.maxUid, m.uid());
            if (!mapped.containsKey(m.uid()) && !s.vanished.contains(m.uid()) && !s.fresh.containsKey(m.uid())) {
                s.fresh.put(m.uid(), m);
                s.known.put(m.uid(), m.flags());
            }
        }
        s.watermark = watermark;
    }
}
