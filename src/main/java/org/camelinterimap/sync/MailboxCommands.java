package org.camelinterimap.sync;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.camelinterimap.support.CrashPoints;
import org.camelinterimap.sync.PendingRenames.Blocked;
import org.camelinterimap.sync.PendingRenames.Delimiters;
import org.camelinterimap.sync.StateStore.MailboxRecord;
import org.camelinterimap.sync.StateStore.RenameIntent;

/**
 * interimap's {@code --delete} and {@code --rename} commands: the same change on each target
 * (local server, remote server, database) where the mailbox exists, so that the next sync does not
 * mistake it for a mailbox that vanished on one side only. Names are given with the local
 * hierarchy delimiter, as on interimap's command line.
 *
 * <p>Both first finish the renames an earlier run left pending ({@link PendingRenames}); a rename
 * is itself journaled so that the next run finishes it if this one is stopped half-way.
 */
public final class MailboxCommands {
    /** Where a command acts ({@code --target}). */
    public enum Target { LOCAL, REMOTE, DATABASE }

    private final ServerPair pair;
    private final StateStore store;
    private final SyncLog log;
    private final Set<Target> targets;
    private final Delimiters names;
    private final PendingRenames pending;

    public MailboxCommands(ServerPair pair, StateStore store, SyncLog log, Set<Target> targets) throws SyncException {
        this.pair = pair;
        this.store = store;
        this.log = log;
        this.targets = targets.isEmpty() ? EnumSet.allOf(Target.class) : EnumSet.copyOf(targets);
        this.names = Delimiters.of(pair);
        this.pending = new PendingRenames(store, log);
    }

    private String internal(String localName) {
        Character d = names.local();
        return d == null ? localName : localName.replace(d, '\0');
    }

    private String on(Side side, String internal) {
        return names.on(side, internal);
    }

    static Target target(Side side) {
        return side == Side.LOCAL ? Target.LOCAL : Target.REMOTE;
    }

    private boolean exists(Side side, String name) throws SyncException {
        return PendingRenames.present(pair.get(side), name).contains(name);
    }

    /**
     * Deletes each mailbox (not its children, as IMAP DELETE) on every target where it exists.
     * Pending renames are finished first; those that cannot be are tried again after the deletions
     * (which may be what resolves them) and reported if still stuck.
     *
     * @return false when a pending rename is still stuck (reported)
     */
    public boolean delete(List<String> mailboxes) throws SyncException {
        boolean stuck = !pending.finish(pair).isEmpty();
        Map<String, MailboxRecord> known = store.mailboxes();
        for (String given : mailboxes) {
            String internal = internal(given);
            for (Side side : Side.values()) {
                String name = on(side, internal);
                if (targets.contains(target(side)) && exists(side, name)) {
                    pair.get(side).delete(name);
                    log.info(side.label(), null, "Deleted mailbox " + name);
                }
            }
            MailboxRecord rec = known.get(internal);
            if (targets.contains(Target.DATABASE) && rec != null) {
                store.deleteMailbox(rec.idx());
                log.info("database", null, "Removed mailbox " + given);
            }
        }
        return !stuck || report(pending.finish(pair));
    }

    /**
     * Renames {@code from} to {@code to} (children follow) on every target where it exists; refuses
     * if {@code to} exists on a target.
     *
     * <p>Steps, each durable before the next: the intent is recorded; each server where
     * {@code from} exists renames it (local, then remote); the database rows are renamed and the
     * intent dropped in one transaction. A run stopped between two steps leaves the intent, and the
     * next run finishes the rename ({@link PendingRenames}). A server that refuses its RENAME
     * (a tagged NO: nothing happened there) makes this rename undo the servers already done, so
     * that nothing changed anywhere, and drop the intent; if undoing fails too, or the connection
     * was lost (then the server may or may not have renamed), the intent stays for the next run.
     *
     * @return false when an unrelated pending rename is stuck (reported); the rename was done
     */
    public boolean rename(String from, String to) throws SyncException {
        String src = internal(from);
        String dst = internal(to);
        if (PendingRenames.under(dst, src)) {
            throw new SyncException("Cannot rename mailbox " + from + " to " + to + ": the new name is the mailbox itself or one of its children");
        }
        boolean ok = true;
        for (Blocked b : pending.finish(pair)) {
            if (PendingRenames.touches(b.intent(), src) || PendingRenames.touches(b.intent(), dst)) {
                throw new SyncException(b.message() + "; not renaming " + from + " to " + to + " meanwhile");
            }
            log.error(null, null, b.message());
            ok = false;
        }
        List<Side> sources = new ArrayList<>();
        for (Side side : Side.values()) {
            if (!targets.contains(target(side))) {
                continue;
            }
            String s = on(side, src);
            String d = on(side, dst);
            Set<String> present = PendingRenames.present(pair.get(side), s, d);
            if (present.contains(d)) {
                throw new SyncException(side.label() + ": Mailbox " + d + " exists; not renaming " + s
                        + " (run `interimap --target=" + side.label() + " --delete " + to + "` to delete it)");
            }
            if (present.contains(s)) {
                sources.add(side);
            }
        }
        if (targets.contains(Target.DATABASE)) {
            String taken = PendingRenames.taken(store.mailboxes(), src, dst);
            if (taken != null) {
                throw new SyncException("database: Mailbox " + names.pretty(taken) + " exists; not renaming " + from
                        + " (run `interimap --target=database --delete " + names.pretty(taken) + "` to delete it)");
            }
        }

        RenameIntent intent = store.recordRename(src, dst, targets);
        CrashPoints.SYNC.reached("after-intent");
        List<Side> done = new ArrayList<>();
        for (Side side : sources) {
            try {
                pending.renameOn(pair, side, on(side, src), on(side, dst));
            } catch (SyncException e) {
                if (e.brokenConnection()) {
                    String m = e.getMessage() + "; the rename of " + from + " to " + to
                            + " stays pending, and the next run of interimap finishes it";
                    throw e.connectionLost() ? SyncException.connectionLost(m, e) : new SyncException(m, e.fatal(), true, e);
                }
                throw undo(intent, side, e, done);
            }
            done.add(side);
        }
        pending.finishInDatabase(intent, names);
        return ok;
    }

    /**
     * After {@code refused} refused the RENAME: renames back on the servers already done, and drops
     * the intent if all went back. Returns the failure to report, in one line.
     */
    private SyncException undo(RenameIntent intent, Side refused, SyncException why, List<Side> done) throws SyncException {
        String from = names.pretty(intent.from());
        String to = names.pretty(intent.to());
        String cause = refused.label() + ": cannot rename mailbox " + from + " to " + to + ": " + PendingRenames.reason(refused.label(), why);
        for (int i = done.size() - 1; i >= 0; i--) {
            Side side = done.get(i);
            try {
                pair.get(side).rename(on(side, intent.to()), on(side, intent.from()));
                log.info(side.label(), null, "Renamed mailbox " + on(side, intent.to()) + " back to " + on(side, intent.from()));
            } catch (SyncException e) {
                return new SyncException(cause + "; renaming it back on " + side.label() + " failed too ("
                        + PendingRenames.reason(side.label(), e) + "): the rename stays pending, and the next run of interimap"
                        + " finishes it once the cause is fixed", e.fatal(), e.brokenConnection(), e);
            }
        }
        store.dropRename(intent.id());
        return new SyncException(cause + (done.isEmpty() ? "" : "; renamed back on " + done.get(0).label()) + ": nothing renamed");
    }

    /** Reports stuck pending renames; returns whether there were none. */
    private boolean report(List<Blocked> blocked) {
        blocked.forEach(b -> log.error(null, null, b.message()));
        return blocked.isEmpty();
    }
}
