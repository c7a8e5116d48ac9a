package org.camelinterimap.sync;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.camelinterimap.support.CrashPoints;
import org.camelinterimap.sync.MailServer.MailboxStatus;
import org.camelinterimap.sync.StateStore.MailboxRecord;
import org.camelinterimap.sync.StateStore.RenameIntent;

/**
 * Makes {@code --rename} recoverable. A rename touches three targets one after the other (local
 * server, remote server, database); a run stopped in between ({@code kill -9}, a lost connection)
 * or a server refusing its part would otherwise leave them out of step, and the next sync would
 * take the mailbox for one that vanished on one side and a new one on the other, and copy it whole.
 *
 * <p>The journal is a rename intent (FROM, TO, targets) in the state store, written before any
 * server is touched and dropped in the same transaction that renames the database rows. The
 * invariant, while an intent is stored: on each targeted server the mailbox being renamed is
 * under FROM or under TO (or under neither, when that server never had it), and in the database it
 * is still under FROM. So the servers alone tell what is left to do, whatever step a run was
 * stopped at: FROM there and TO not, rename it; TO there and FROM not (or neither), that server is
 * done; then the database, with the intent. FROM and TO both on one server means someone created
 * TO meanwhile: the rename cannot be finished without the user's decision, and is reported.
 *
 * <p>Every run finishes the pending intents first: each sync pass (before it lists the mailboxes),
 * {@code --rename} and {@code --delete}. An intent that cannot be finished is reported in one line
 * that says what to do, and its mailboxes (FROM, TO and their children) are left alone by the
 * sync until it is resolved; the others sync as usual. Finishing never renames anything back:
 * only the {@code --rename} that a server refused undoes its own first step (see
 * {@link MailboxCommands#rename}).
 */
public final class PendingRenames {
    private final StateStore store;
    private final SyncLog log;

    public PendingRenames(StateStore store, SyncLog log) {
        this.store = store;
        this.log = log;
    }

    /** A pending rename that cannot be finished now, and the line that says why and what to do. */
    public record Blocked(RenameIntent intent, String message) {
    }

    /** The hierarchy delimiters of both servers: how an internal name (NUL delimiters) is spelt on each. */
    record Delimiters(Character local, Character remote) {
        static Delimiters of(ServerPair pair) throws SyncException {
            return new Delimiters(pair.local().delimiter(), pair.remote().delimiter());
        }

        String on(Side side, String internal) {
            Character d = side == Side.LOCAL ? local : remote;
            return d == null ? internal : internal.replace('\0', d);
        }

        /** The name as the command line gives it (local delimiter). */
        String pretty(String internal) {
            return on(Side.LOCAL, internal);
        }
    }

    /** Whether the last {@link #finish} had renames to finish: it may have changed the servers. */
    private volatile boolean hadPending;

    /** Whether the last {@link #beforePass} (or {@link #finish}) may have changed the servers. */
    boolean actedInLastPass() {
        return hadPending;
    }

    /**
     * At the start of a sync pass: finishes the pending renames it can, reports the others (one
     * failed mailbox each) and returns the names the pass must leave alone.
     */
    Predicate<String> beforePass(ServerPair pair, SyncStats stats) throws SyncException {
        List<Blocked> blocked = finish(pair);
        if (blocked.isEmpty()) {
            return name -> false;
        }
        for (Blocked b : blocked) {
            log.error(null, null, b.message());
            stats.mailboxFailed();
        }
        return name -> blocked.stream().anyMatch(b -> under(name, b.intent().from()) || under(name, b.intent().to()));
    }

    /**
     * Finishes every pending rename it can, oldest first, and returns those it cannot finish now
     * (not reported: the caller says what they mean for it). A lost connection or a database
     * failure ends it with an exception; the intents stay for the next run.
     */
    public List<Blocked> finish(ServerPair pair) throws SyncException {
        List<RenameIntent> pending = store.renames();
        hadPending = !pending.isEmpty();
        if (pending.isEmpty()) {
            return List.of();
        }
        Delimiters names = Delimiters.of(pair);
        List<Blocked> blocked = new ArrayList<>();
        for (RenameIntent intent : pending) {
            Blocked b = finish(pair, names, intent);
            if (b != null) {
                blocked.add(b);
            }
        }
        return blocked;
    }

    private Blocked finish(ServerPair pair, Delimiters names, RenameIntent intent) throws SyncException {
        String from = names.pretty(intent.from());
        String to = names.pretty(intent.to());
        String what = "cannot finish renaming mailbox " + from + " to " + to + " (an interrupted --rename): ";
        String meanwhile = " (until then " + from + " and " + to + " are not synced)";
        // first what is left to do, so that nothing moves when the rename cannot be finished
        List<Side> toRename = new ArrayList<>();
        for (Side side : Side.values()) {
            if (!intent.targets().contains(MailboxCommands.target(side))) {
                continue;
            }
            String f = names.on(side, intent.from());
            String t = names.on(side, intent.to());
            Set<String> present = present(pair.get(side), f, t);
            if (present.contains(f) && present.contains(t)) {
                return new Blocked(intent, side.label() + ": " + what + "both exist on this server; rename or delete one of them"
                        + " there (`interimap --target=" + side.label() + " --delete " + to + "` deletes " + to + "), then run"
                        + " interimap again" + meanwhile);
            }
            if (present.contains(f)) {
                toRename.add(side);
            }
        }
        String taken = takenInDatabase(intent);
        if (taken != null) {
            return new Blocked(intent, "database: " + what + "mailbox " + names.pretty(taken) + " exists in the database; remove"
                    + " it (interimap --target=database --delete " + names.pretty(taken) + "), then run interimap again" + meanwhile);
        }
        log.info(null, null, "Finishing the interrupted rename of " + from + " to " + to);
        for (Side side : toRename) {
            try {
                renameOn(pair, side, names.on(side, intent.from()), names.on(side, intent.to()));
            } catch (SyncException e) {
                if (e.brokenConnection()) {
                    throw e; // unknown whether the server renamed it: the servers will tell the next run
                }
                return new Blocked(intent, side.label() + ": " + what + reason(side.label(), e) + "; run interimap again once the server"
                        + " accepts it" + meanwhile);
            }
        }
        try {
            finishInDatabase(intent, names);
        } catch (SyncException e) {
            if (e.fatal()) {
                throw e;
            }
            return new Blocked(intent, "database: " + what + reason("database", e) + meanwhile);
        }
        return null;
    }

    /** RENAME on one server, reported, then the crash point of that step. */
    void renameOn(ServerPair pair, Side side, String from, String to) throws SyncException {
        pair.get(side).rename(from, to);
        log.info(side.label(), null, "Renamed mailbox " + from + " to " + to);
        CrashPoints.SYNC.reached("after-" + side.label() + "-rename");
    }

    /** The last step: the database rows (when targeted) and the end of the intent, in one transaction. */
    void finishInDatabase(RenameIntent intent, Delimiters names) throws SyncException {
        CrashPoints.SYNC.reached("before-db-rename");
        if (store.finishRename(intent) > 0) {
            log.info("database", null, "Renamed mailbox " + names.pretty(intent.from()) + " to " + names.pretty(intent.to()));
        }
    }

    /**
     * A name the database rename would give that another mailbox of the database already has, or
     * null (always null when the database is not a target).
     */
    String takenInDatabase(RenameIntent intent) throws SyncException {
        if (!intent.targets().contains(MailboxCommands.Target.DATABASE)) {
            return null;
        }
        return taken(store.mailboxes(), intent.from(), intent.to());
    }

    static String taken(Map<String, MailboxRecord> known, String from, String to) {
        Set<String> renamedAway = new HashSet<>();
        List<String> newNames = new ArrayList<>();
        for (String n : known.keySet()) {
            if (under(n, from)) {
                renamedAway.add(n);
                newNames.add(to + n.substring(from.length()));
            }
        }
        for (String n : newNames) {
            if (known.containsKey(n) && !renamedAway.contains(n)) {
                return n;
            }
        }
        return null;
    }

    /** Which of the given names the server lists (selectable or not: a parent with children can be renamed too). */
    static Set<String> present(MailServer server, String... names) throws SyncException {
        Set<String> wanted = new HashSet<>(List.of(names));
        Set<String> out = new HashSet<>();
        for (MailboxStatus m : server.list(List.of(names), List.of())) {
            if (wanted.contains(m.name())) {
                out.add(m.name());
            }
        }
        return out;
    }

    /** Whether {@code name} is {@code root} or one of its descendants (internal names). */
    static boolean under(String name, String root) {
        return name.equals(root) || name.startsWith(root + "\0");
    }

    /** Whether renaming or deleting {@code name} would touch a mailbox of the intent (the same, a parent or a child). */
    static boolean touches(RenameIntent intent, String name) {
        return under(name, intent.from()) || under(intent.from(), name) || under(name, intent.to()) || under(intent.to(), name);
    }

    /** A failure's message without the "component: " it starts with. */
    static String reason(String component, SyncException e) {
        String m = e.getMessage();
        String prefix = component + ": ";
        return m != null && m.startsWith(prefix) ? m.substring(prefix.length()) : String.valueOf(m);
    }
}
