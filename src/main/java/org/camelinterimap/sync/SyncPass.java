package org.camelinterimap.sync;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

import org.camelinterimap.support.CrashPoints;
import org.camelinterimap.support.Failures;
import org.camelinterimap.support.DaemonThreads;
import org.camelinterimap.sync.MailServer.MailboxStatus;
import org.camelinterimap.sync.StateStore.MailboxRecord;
import org.camelinterimap.sync.StateStore.SideState;

/**
 * One synchronization pass over every mailbox of an account pair: lists both sides with their
 * status (LIST-STATUS), mirrors mailbox creations and subscriptions, then syncs each mailbox whose
 * UIDNEXT or HIGHESTMODSEQ moved on either side, independent mailboxes in parallel over at most
 * {@code maxConnections} connection pairs. A failing mailbox is reported and skipped; a lost
 * connection or a database failure ends the pass.
 */
public final class SyncPass {
    private final Settings settings;
    private final StateStore store;
    private final SyncLog log;
    private final PairPool pool;
    private final PendingRenames renames;

    /**
     * @param patterns      LIST patterns with NUL standing for the hierarchy delimiter
     * @param explicit      whether the patterns came from the command line (then ignore-mailbox does not apply)
     * @param ignore        the ignore-mailbox expression, matched against names with NUL delimiters, or null
     * @param repair        full synchronization of every listed mailbox (interimap --repair)
     */
    public record Settings(List<String> patterns, boolean explicit, List<String> selectOpts, Pattern ignore,
                           int maxConnections, boolean repair) {
    }

    private volatile Appender appender = Appender.DIRECT;
    private volatile SyncProgress progress = SyncProgress.NONE;
    /** Whether the attempt running is the pass's last one (its lost connections are errors, not warnings). */
    private volatile boolean lastAttempt = true;
    /** Whether a pass that loses a connection is run again (see {@link #retryLostConnections(boolean)}). */
    private volatile boolean retryLostConnections;

    public SyncPass(Settings settings, ServerPair.Factory factory, StateStore store, SyncLog log) {
        this.settings = settings;
        this.pool = new PairPool(factory, settings.maxConnections(), PairPool.STALE_MILLIS, w -> log.warn(null, null, w));
        this.store = store;
        this.log = log;
        this.renames = new PendingRenames(store, log);
    }

    /** How the passes from now on APPEND copied messages (default: straight to the server). */
    public void appender(Appender appender) {
        this.appender = appender;
    }

    /** Who follows the passes from now on (a progress display); none by default. */
    public void progress(SyncProgress progress) {
        this.progress = progress;
    }

    /** A mailbox as both sides name it. */
    private record Names(String internal, String local, String remote) {
        String on(Side s) {
            return s == Side.LOCAL ? local : remote;
        }
    }

    /** Attempts of one pass when connections are lost, and the wait before the first retry (doubling). */
    static final int ATTEMPTS = 4;
    static final long RETRY_MILLIS = 1000;

    /**
     * Runs one pass; the connections stay open for the next pass until {@link #close()}. With
     * {@link #retryLostConnections}, a pass that loses a connection (a server restarted, kicked us,
     * or dropped an idle connection) is run again on new connections after 1, 2 then 4 s; what the
     * lost attempts did is kept (every step is idempotent or recorded), and their failures are
     * warnings. Only the last attempt's are errors.
     */
    public SyncStats run() {
        try {
            return runAttempts();
        } finally {
            progress.passFinished();
        }
    }

    private SyncStats runAttempts() {
        long wait = RETRY_MILLIS;
        SyncStats done = new SyncStats();
        for (int attempt = 1; ; attempt++) {
            boolean last = attempt == ATTEMPTS;
            SyncStats stats = runOnce(last);
            stats.absorb(done);
            if (!retries() || !stats.connectionLost() || stats.permanentFailure()) {
                reportRefused();
                return stats;
            }
            done = stats;
            pool.close(); // the others may be as dead as the one that failed
            log.warn(null, null, "connection lost; syncing again in " + wait / 1000 + " s (attempt " + (attempt + 1)
                    + " of " + ATTEMPTS + ")");
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return stats;
            }
            wait *= 2;
        }
    }

    /** The count of refused messages last reported; -1 before the first pass. */
    private int refusedReported = -1;

    /**
     * Names the messages that servers refused and that are therefore not copied, at the end of the
     * first pass and of every pass that changes their count (a daemon does not repeat itself).
     */
    private void reportRefused() {
        try {
            int n = store.refusedCount();
            if (n > 0 && n != refusedReported) {
                log.warn(null, null, n + " message(s) refused by a server are not copied; --repair tries them again");
            }
            refusedReported = n;
        } catch (SyncException e) {
            log.error(null, null, e.getMessage());
        }
    }

    /** How many refused messages the database records (for the exit status of a run). */
    public int refusedMessages() throws SyncException {
        return store.refusedCount();
    }

    /**
     * Whether a pass that lost a connection is tried again: not after its last attempt, and not
     * when no connection was ever made (a wrong host or port is reported at once).
     */
    private boolean retries() {
        return retryLostConnections && !lastAttempt && pool.everOpened();
    }

    /**
     * Whether a pass that loses a connection is run again at once on new ones (long-running modes:
     * the next pass may be far away). A single run reports the loss and ends instead.
     */
    public void retryLostConnections(boolean retry) {
        this.retryLostConnections = retry;
    }

    /** A failure that ends the pass: an error, or a warning when the pass will be tried again. */
    private void reportFatal(SyncException e, SyncStats stats) {
        stats.fatal(e);
        if (e.connectionLost() && retries()) {
            log.warn(null, null, e.getMessage());
        } else {
            log.error(null, null, e.getMessage());
        }
    }

    private SyncStats runOnce(boolean lastAttempt) {
        SyncStats stats = new SyncStats();
        this.lastAttempt = lastAttempt;
        pool.resetLimit();
        Workers workers;
        try {
            Ahead ahead = takeAhead();
            ServerPair pair = ahead != null ? ahead.pair() : pool.borrow();
            boolean healthy = false;
            try {
                workers = plan(pair, ahead == null ? null : ahead.listing(), stats);
                healthy = true;
            } finally {
                pool.release(pair, healthy);
            }
        } catch (SyncException e) {
            reportFatal(e, stats);
            return stats;
        } catch (RuntimeException | Error e) {
            // a bug or a reply nothing else caught: one line, the pass ends, the pair is closed above
            log.error(null, null, "unexpected failure while planning: " + Failures.oneLine(e));
            stats.fatal();
            return stats;
        }
        workers.finish(stats);
        return stats;
    }

    /** A pass's first pair and, unless listing failed, both servers' listing, taken by {@link #listAhead}. */
    private record Ahead(ServerPair pair, Listing listing) {
    }

    /** Set by {@link #listAhead}, taken by the next pass (or closed by {@link #close}). */
    private CompletableFuture<Ahead> ahead;

    /**
     * Takes the next pass's first steps now, on another thread: borrows its first pair (whose
     * handshakes may be under way already) and lists both servers, so that they overlap whatever
     * the caller does meanwhile (a one-shot run: Camel's start-up). The pass then starts from
     * that pair and listing as if it had sent the LIST then; a failure to connect is the pass's
     * own, and a failed listing is sent again by the pass.
     */
    public synchronized void listAhead() {
        if (ahead != null) {
            return;
        }
        CompletableFuture<Ahead> f = new CompletableFuture<>();
        ahead = f;
        DaemonThreads.named("interimap-list-ahead").newThread(() -> {
            ServerPair pair;
            try {
                pair = pool.borrow();
            } catch (SyncException | RuntimeException | Error e) {
                f.completeExceptionally(e);
                return;
            }
            Listing listing = null;
            try {
                listing = list(pair);
            } catch (SyncException | RuntimeException e) {
                // the pass lists again on this pair and reports what fails then
            } finally {
                f.complete(new Ahead(pair, listing));
            }
        }).start();
    }

    /** The steps {@link #listAhead} took, once they have ended, or null; a failure to connect is thrown. */
    private Ahead takeAhead() throws SyncException {
        CompletableFuture<Ahead> f;
        synchronized (this) {
            f = ahead;
            ahead = null;
        }
        if (f == null) {
            return null;
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.thenAccept(unused -> pool.release(unused.pair(), false)); // nobody takes it now: closed once ready
            throw new SyncException("interrupted while connecting", true, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SyncException se) {
                throw se;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw (Error) e.getCause();
        }
    }

    /** Closes the pooled connections, once the background opens have ended. */
    public void close() {
        try {
            Ahead unused = takeAhead();
            if (unused != null) {
                pool.release(unused.pair(), false); // never used by a pass: closed
            }
        } catch (SyncException | RuntimeException e) {
            // it never connected: nothing to close
        }
        pool.close();
    }

    /**
     * Lists both sides, mirrors mailbox creations and subscriptions, and hands each mailbox with work
     * to the workers as soon as it is known: the first mailboxes copy while the planning connection
     * still creates the next ones. On a fatal error, waits for the mailboxes already started.
     */
    private Workers plan(ServerPair pair, Listing ahead, SyncStats stats) throws SyncException {
        // an interrupted --rename is finished first; the mailboxes of one that cannot be are left alone
        java.util.function.Predicate<String> held = renames.beforePass(pair, stats);
        // a listing taken ahead is what this LIST would answer had it been sent then, unless the
        // renames just changed the servers
        Listing listing = ahead != null && !renames.actedInLastPass() ? ahead : list(pair);
        Judged judgedAhead = takeJudged();
        Judged j = judgedAhead != null && judgedAhead.listing() == listing ? judgedAhead : judge(listing, held);
        EnumMap<Side, Map<String, MailboxStatus>> listed = j.listed();
        Map<String, MailboxRecord> known = j.known();
        TreeSet<String> all = j.all();
        Map<String, Long> estimates = j.estimates();
        progress.passStarted(estimates);
        int parallel = Math.max(1, Math.min(estimates.size(), settings.maxConnections()));
        pool.openInBackground(parallel);
        Workers workers = new Workers(parallel);
        try {
            planEach(pair, stats, listed, known, all, listing.delimiters(), workers);
        } catch (SyncException | RuntimeException | Error e) {
            stats.fatal(); // the mailboxes not started yet are skipped
            workers.finish(stats);
            throw e;
        }
        return workers;
    }

    /**
     * A listing's mailboxes against the database: the selectable ones of each side, the records,
     * every name, and those with work (see {@link #withWork}).
     */
    private record Judged(Listing listing, EnumMap<Side, Map<String, MailboxStatus>> listed, Map<String, MailboxRecord> known,
                          TreeSet<String> all, Map<String, Long> estimates) {
    }

    private Judged judge(Listing listing, java.util.function.Predicate<String> held) throws SyncException {
        EnumMap<Side, Map<String, MailboxStatus>> listed = selectable(listing, held);
        Map<String, MailboxRecord> known = store.mailboxes();
        TreeSet<String> all = allNames(listed);
        return new Judged(listing, listed, known, all, withWork(listed, known, all));
    }

    /**
     * What {@link #nothingToSyncAhead} judged of the ahead listing, for the first pass: made when no
     * rename was pending (nothing held back), before the pass, which is the next to touch the
     * database (the run holds its lock), so its records are the pass's.
     */
    private Judged judgedAhead;

    private synchronized Judged takeJudged() {
        Judged j = judgedAhead;
        judgedAhead = null;
        return j;
    }

    /**
     * Each side's selectable mailboxes by internal name (NUL delimiters), in the servers' order,
     * without those that ignore-mailbox or a pending rename ({@code held}) keep out of the pass.
     */
    private EnumMap<Side, Map<String, MailboxStatus>> selectable(Listing listing, java.util.function.Predicate<String> held) {
        EnumMap<Side, Map<String, MailboxStatus>> listed = new EnumMap<>(Side.class);
        for (Side s : Side.values()) {
            Character d = listing.delimiters().get(s);
            Map<String, MailboxStatus> byInternal = new LinkedHashMap<>();
            listed.put(s, byInternal);
            for (MailboxStatus m : listing.mailboxes().get(s)) {
                String internal = d == null ? m.name() : m.name().replace(d, '\0');
                if (!settings.explicit() && settings.ignore() != null && settings.ignore().matcher(internal).find()) {
                    continue;
                }
                if (held.test(internal)) {
                    continue;
                }
                if (m.selectable()) {
                    byInternal.put(internal, m);
                }
            }
        }
        return listed;
    }

    /** The names listed on either side, in order. */
    private static TreeSet<String> allNames(EnumMap<Side, Map<String, MailboxStatus>> listed) {
        TreeSet<String> all = new TreeSet<>(listed.get(Side.LOCAL).keySet());
        all.addAll(listed.get(Side.REMOTE).keySet());
        return all;
    }

    /** The mailboxes that get a task in the pass, in name order, each with at most how many messages it may copy. */
    private Map<String, Long> withWork(EnumMap<Side, Map<String, MailboxStatus>> listed, Map<String, MailboxRecord> known,
                                       TreeSet<String> all) {
        Map<String, Long> estimates = new LinkedHashMap<>();
        for (String internal : all) {
            MailboxRecord rec = known.get(internal);
            MailboxStatus l = listed.get(Side.LOCAL).get(internal);
            MailboxStatus r = listed.get(Side.REMOTE).get(internal);
            if (hasWork(rec, l, r)) {
                estimates.put(internal, newUids(rec == null ? null : rec.local(), l) + newUids(rec == null ? null : rec.remote(), r));
            }
        }
        return estimates;
    }

    /**
     * Whether the next pass, judged from the listing {@link #listAhead} took, gives no mailbox a
     * task: no rename to finish, and no mailbox new, moved since the last pass or (with --repair)
     * listed at all. Such a pass selects nothing and copies nothing; it still mirrors subscription
     * changes and reports vanished mailboxes. Waits for that listing; false when there is none
     * (not taken, or it failed: the pass reports why). The judgement is kept for that pass.
     */
    public boolean nothingToSyncAhead() {
        CompletableFuture<Ahead> f;
        synchronized (this) {
            f = ahead;
        }
        if (f == null) {
            return false;
        }
        try {
            Listing listing = f.get().listing();
            if (listing == null || !store.renames().isEmpty()) {
                return false;
            }
            Judged j = judge(listing, name -> false);
            synchronized (this) {
                judgedAhead = j; // the first pass plans from it instead of reading it all again
            }
            return j.estimates().isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | SyncException | RuntimeException e) {
            return false; // the pass meets it again and reports it
        }
    }

    /** Both servers' hierarchy delimiters and LIST-STATUS answers, as the servers gave them. */
    private record Listing(EnumMap<Side, Character> delimiters, EnumMap<Side, List<MailboxStatus>> mailboxes) {
    }

    /** LIST-STATUS of the configured patterns on both servers at once, each on its own connection. */
    private Listing list(ServerPair pair) throws SyncException {
        // command-line names use the local delimiter (interimap(1), COMMANDS): needed for both listings
        Character localDelimiter = settings.explicit() ? pair.local().delimiter() : null;
        // each side's thread fills its own slot; both have ended when BothSides returns
        Character[] delimiter = new Character[2];
        List<List<MailboxStatus>> answer = java.util.Arrays.asList(null, null);
        BothSides.each(s -> () -> {
            MailServer server = pair.get(s);
            List<String> patterns = new ArrayList<>();
            for (String p : settings.patterns()) {
                patterns.add(settings.explicit() && localDelimiter != null ? p.replace(localDelimiter, '\0') : p);
            }
            if (patterns.stream().noneMatch(p -> p.indexOf('\0') >= 0)) {
                // nothing to substitute: the delimiter and the listing are asked for together
                MailServer.Listing listing = server.delimiterAndList(patterns, settings.selectOpts());
                delimiter[s.ordinal()] = listing.delimiter();
                answer.set(s.ordinal(), listing.mailboxes());
                return;
            }
            Character d = server.delimiter();
            patterns.replaceAll(p -> d == null ? p : p.replace('\0', d));
            delimiter[s.ordinal()] = d;
            answer.set(s.ordinal(), server.list(patterns, settings.selectOpts()));
        });
        EnumMap<Side, Character> delimiters = new EnumMap<>(Side.class);
        EnumMap<Side, List<MailboxStatus>> mailboxes = new EnumMap<>(Side.class);
        for (Side s : Side.values()) {
            delimiters.put(s, delimiter[s.ordinal()]);
            mailboxes.put(s, answer.get(s.ordinal()));
        }
        return new Listing(delimiters, mailboxes);
    }

    private void planEach(ServerPair pair, SyncStats stats, EnumMap<Side, Map<String, MailboxStatus>> listed,
                          Map<String, MailboxRecord> known, TreeSet<String> all, EnumMap<Side, Character> delimiters,
                          Workers workers) throws SyncException {
        Map<String, CompletableFuture<Void>> adopting = new java.util.HashMap<>();
        for (String internal : all) {
            Names names = names(internal, delimiters);
            if (names == null) {
                log.error(null, internal.replace('\0', '/'), "name contains a hierarchy delimiter of the other server; skipped");
                stats.mailboxFailed();
                continue;
            }
            MailboxStatus l = listed.get(Side.LOCAL).get(internal);
            MailboxStatus r = listed.get(Side.REMOTE).get(internal);
            MailboxRecord rec = known.get(internal);
            if (rec == null) {
                // a new mailbox is created (where missing) and recorded by its worker, on the worker's
                // connections: many new mailboxes are created in parallel, each one after its parent
                CompletableFuture<Void> adopted = new CompletableFuture<>();
                CompletableFuture<Void> parent = adopting.get(parentOf(internal));
                adopting.put(internal, adopted);
                workers.submit(() -> adoptAndSync(names, l, r, parent, adopted, stats));
                continue;
            }
            try {
                if (l == null || r == null) {
                    Side missing = l == null ? Side.LOCAL : Side.REMOTE;
                    log.error(missing.label(), names.on(missing), "Mailbox vanished (deleted or renamed on this side only); "
                            + "not syncing it: use --delete or --rename");
                    stats.mailboxFailed();
                    continue;
                } else {
                    mirrorSubscription(pair, names, rec, l, r);
                    if (!hasWork(rec, l, r)) {
                        continue;
                    }
                }
            } catch (SyncException e) {
                if (e.brokenConnection()) {
                    throw e; // the planning connection cannot go on
                }
                log.error(null, null, e.getMessage());
                stats.mailboxFailed();
                continue;
            }
            MailboxRecord record = rec;
            workers.submit(() -> syncOne(names, record, stats));
        }
    }

    /** The parent of a name with NUL delimiters, or "" at the top. */
    private static String parentOf(String internal) {
        int i = internal.lastIndexOf('\0');
        return i < 0 ? "" : internal.substring(0, i);
    }

    /**
     * A new mailbox's task: once its parent (when new too) is created, creates it where missing and
     * records it, then syncs it, on a pair of the pool. The same steps, in the same order, as the
     * planning connection took for one mailbox at a time: a crash between them leaves a mailbox
     * on a server but not in the database, which the next run adopts.
     */
    private void adoptAndSync(Names names, MailboxStatus l, MailboxStatus r, CompletableFuture<Void> parent,
                              CompletableFuture<Void> adopted, SyncStats stats) {
        try {
            if (parent != null) {
                parent.join(); // before borrowing a pair: a waiting task holds none
            }
            onPair(names, stats, pair -> {
                MailboxRecord rec;
                try {
                    rec = adopt(pair, names, l, r);
                } finally {
                    adopted.complete(null); // the children may go on, whether this one was created or not
                }
                if (!stats.aborted()) {
                    sync(pair, names, rec, stats);
                }
            });
        } finally {
            adopted.complete(null);
        }
    }

    private static Names names(String internal, Map<Side, Character> delimiters) {
        String[] wire = new String[2];
        for (Side s : Side.values()) {
            Character d = delimiters.get(s);
            if (d == null) {
                if (internal.indexOf('\0') >= 0) {
                    return null;
                }
                wire[s.ordinal()] = internal;
            } else {
                // a name holding this side's delimiter as a plain character cannot be represented here
                String plain = internal.replace("\0", "");
                if (plain.indexOf(d) >= 0) {
                    return null;
                }
                wire[s.ordinal()] = internal.replace('\0', d);
            }
        }
        return new Names(internal, wire[0], wire[1]);
    }

    /**
     * A mailbox the database does not know yet: create it where missing, then record it. When it
     * was created on a side, the record returned is provisional (idx -1, UIDVALIDITY 0 there): the
     * sync records it once its SELECTs gave the UIDVALIDITY (see {@link MailboxSync#recordOnceSelected}).
     */
    private MailboxRecord adopt(ServerPair pair, Names names, MailboxStatus l, MailboxStatus r) throws SyncException {
        boolean subscribed = (l != null && l.subscribed()) || (r != null && r.subscribed());
        boolean created = false;
        for (Side s : Side.values()) {
            MailboxStatus existing = s == Side.LOCAL ? l : r;
            if (existing != null) {
                if (subscribed && !existing.subscribed()) {
                    // on both sides, subscribed on the other one only: mirror the subscription
                    pair.get(s).subscribe(names.on(s), true);
                    log.info(s.label(), null, "Subscribe to " + names.on(s));
                }
                continue;
            }
            MailServer server = pair.get(s);
            createMailbox(server, s, names.on(s));
            if (subscribed) {
                server.subscribe(names.on(s), true);
                log.info(s.label(), null, "Subscribe to " + names.on(s));
            }
            created = true;
        }
        long localUidValidity = l == null ? 0 : l.uidValidity();
        long remoteUidValidity = r == null ? 0 : r.uidValidity();
        if (created) {
            return new MailboxRecord(-1, names.internal(), subscribed, new SideState(localUidValidity, 0, 0),
                    new SideState(remoteUidValidity, 0, 0));
        }
        return record(names, subscribed, localUidValidity, remoteUidValidity);
    }

    private MailboxRecord record(Names names, boolean subscribed, long localUidValidity, long remoteUidValidity)
            throws SyncException {
        MailboxRecord rec = store.addMailbox(names.internal(), subscribed, localUidValidity, remoteUidValidity);
        log.info("database", null, "Created mailbox " + names.local().replace('\0', '/'));
        return rec;
    }

    /**
     * CREATE, and success whenever the mailbox exists afterwards. A server may answer "already exists"
     * to a CREATE that did create it, or for a mailbox another client created since our LIST: Dovecot
     * does so when another session of the same user rebuilds its mailbox list index meanwhile, which
     * our own parallel workers do (they APPEND on their connections while the planning one creates).
     * Either way the mailbox is there, and adopting it is what a LIST that had seen it would have done;
     * its UIDVALIDITY then comes from the SELECT that syncs it, as for a mailbox created here.
     */
    private void createMailbox(MailServer server, Side s, String name) throws SyncException {
        try {
            server.create(name);
        } catch (SyncException e) {
            if (e.brokenConnection()) {
                throw e;
            }
            try {
                server.status(name);
            } catch (SyncException gone) {
                throw e; // it does not exist: the CREATE's own error says why
            }
            log.info(s.label(), null, "Mailbox " + name + " exists already (created meanwhile)");
            return;
        }
        CrashPoints.SYNC.reached("after-create");
        log.info(s.label(), null, "Created mailbox " + name);
    }

    /** Mirrors a subscription change made on one side since the last run (the database holds the old value). */
    private void mirrorSubscription(ServerPair pair, Names names, MailboxRecord rec, MailboxStatus l, MailboxStatus r)
            throws SyncException {
        if (l.subscribed() == r.subscribed()) {
            if (l.subscribed() != rec.subscribed()) {
                store.setSubscribed(rec.idx(), l.subscribed());
            }
            return;
        }
        Side changed = l.subscribed() != rec.subscribed() ? Side.LOCAL : Side.REMOTE;
        Side target = changed.other();
        boolean value = (changed == Side.LOCAL ? l : r).subscribed();
        pair.get(target).subscribe(names.on(target), value);
        log.info(target.label(), null, (value ? "Subscribe to " : "Unsubscribe from ") + names.on(target));
        store.setSubscribed(rec.idx(), value);
    }

    /** UIDs handed out on a side since the last pass: at most that many messages are new there. */
    private static long newUids(StateStore.SideState stored, MailboxStatus listed) {
        if (listed == null || listed.uidNext() <= 0) {
            return 0;
        }
        long from = stored == null || stored.uidNext() <= 0 ? 1 : stored.uidNext();
        return Math.max(0, listed.uidNext() - from);
    }

    /**
     * Whether a listed mailbox gets a task in this pass: new to the database, or known, listed on
     * both sides and moved since the last pass (every one with --repair).
     */
    private boolean hasWork(MailboxRecord rec, MailboxStatus l, MailboxStatus r) {
        return rec == null || (l != null && r != null && (settings.repair() || !upToDate(rec, l, r)));
    }

    private static boolean upToDate(MailboxRecord rec, MailboxStatus l, MailboxStatus r) {
        return same(rec.local(), l) && same(rec.remote(), r);
    }

    private static boolean same(StateStore.SideState s, MailboxStatus m) {
        return s != null && s.uidNext() > 0 && m.uidNext() == s.uidNext() && m.highestModSeq() == s.highestModSeq()
                && m.uidValidity() == s.uidValidity();
    }

    /** A pair for a mailbox task, or null when the pass is over (aborted, or no pair to be had: reported). */
    private ServerPair borrowForTask(SyncStats stats) {
        if (stats.aborted()) {
            return null;
        }
        try {
            return pool.borrow();
        } catch (SyncException e) {
            reportFatal(e, stats);
            return null;
        }
    }

    private void syncOne(Names names, MailboxRecord rec, SyncStats stats) {
        onPair(names, stats, pair -> sync(pair, names, rec, stats));
    }

    private void sync(ServerPair pair, Names names, MailboxRecord rec, SyncStats stats) throws SyncException {
        EnumMap<Side, String> wire = new EnumMap<>(Side.class);
        wire.put(Side.LOCAL, names.local());
        wire.put(Side.REMOTE, names.remote());
        MailboxSync sync = new MailboxSync(names.internal(), rec, pair.asMap(), wire, store, log, stats, settings.repair(),
                appender, progress);
        if (rec.idx() < 0) {
            sync.recordOnceSelected((localUidValidity, remoteUidValidity) -> record(names, rec.subscribed(), localUidValidity,
                    remoteUidValidity));
        }
        sync.run();
        stats.mailboxSynced();
    }

    /** A mailbox's work on a pair of the pool. */
    @FunctionalInterface
    private interface MailboxTask {
        void run(ServerPair pair) throws SyncException;
    }

    /**
     * Runs a mailbox's task on a pair of the pool (none when the pass is over). Its failure is the
     * mailbox's, on one line, or the pass's when fatal; a pair in doubt is not used again.
     */
    private void onPair(Names names, SyncStats stats, MailboxTask task) {
        ServerPair pair = borrowForTask(stats);
        if (pair == null) {
            return;
        }
        boolean healthy = true;
        try {
            task.run(pair);
        } catch (SyncException e) {
            healthy = !e.brokenConnection();
            if (e.fatal()) {
                reportFatal(e, stats);
            } else {
                log.error(null, null, e.getMessage());
                stats.mailboxFailed();
            }
        } catch (RuntimeException | Error e) {
            // whatever state the connections are in, they are not used again
            healthy = false;
            log.error(null, names.local(), "unexpected failure: " + Failures.oneLine(e));
            stats.mailboxFailed();
            if (e instanceof VirtualMachineError) {
                stats.fatal(); // out of memory: the other mailboxes would fail the same way
            }
        } finally {
            pool.release(pair, healthy);
            progress.mailboxFinished(names.internal());
        }
    }

    /**
     * Runs the mailbox tasks: with one worker, in order once the planning is over (the planning
     * connection is the only one); with more, each on a pool thread as soon as it is submitted.
     */
    private final class Workers {
        private final ExecutorService executor;
        private final List<Runnable> serial = new ArrayList<>();
        private final List<Future<?>> started = new ArrayList<>();

        Workers(int threads) {
            executor = threads == 1 ? null : Executors.newFixedThreadPool(threads, DaemonThreads.named("interimap-sync"));
        }

        void submit(Runnable task) {
            if (executor == null) {
                serial.add(task);
            } else {
                started.add(executor.submit(task));
            }
        }

        /** Runs or awaits every submitted task. */
        void finish(SyncStats stats) {
            serial.forEach(Runnable::run);
            if (executor == null) {
                return;
            }
            try {
                for (Future<?> f : started) {
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        log.error(null, null, "unexpected failure: " + Failures.oneLine(e.getCause()));
                        stats.mailboxFailed();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        stats.fatal();
                        return;
                    }
                }
            } finally {
                executor.shutdownNow();
            }
        }
    }
}
