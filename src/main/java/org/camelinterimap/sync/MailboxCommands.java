package org.camelinterimap.sync;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.camelinterimap.sync.MailServer.MailboxStatus;
import org.camelinterimap.sync.StateStore.MailboxRecord;

/**
 * interimap's {@code --delete} and {@code --rename} commands: the same change on each target
 * (local server, remote server, database) where the mailbox exists, so that the next sync does not
 * mistake it for a mailbox that vanished on one side only. Names are given with the local
 * hierarchy delimiter, as on interimap's command line.
 */
public final class MailboxCommands {
    /** Where a command acts ({@code --target}). */
    public enum Target { LOCAL, REMOTE, DATABASE }

    private final ServerPair pair;
    private final StateStore store;
    private final SyncLog log;
    private final Set<Target> targets;
    private final Character localDelimiter;
    private final Character remoteDelimiter;

    public MailboxCommands(ServerPair pair, StateStore store, SyncLog log, Set<Target> targets) throws SyncException {
        this.pair = pair;
        this.store = store;
        this.log = log;
        this.targets = targets.isEmpty() ? EnumSet.allOf(Target.class) : EnumSet.copyOf(targets);
        this.localDelimiter = pair.local().delimiter();
        this.remoteDelimiter = pair.remote().delimiter();
    }

    private String internal(String localName) {
        return localDelimiter == null ? localName : localName.replace(localDelimiter, '\0');
    }

    private String on(Side side, String internal) {
        Character d = side == Side.LOCAL ? localDelimiter : remoteDelimiter;
        return d == null ? internal : internal.replace('\0', d);
    }

    private static Target target(Side side) {
        return side == Side.LOCAL ? Target.LOCAL : Target.REMOTE;
    }

    private boolean exists(Side side, String name) throws SyncException {
        for (MailboxStatus m : pair.get(side).list(List.of(name), List.of())) {
            if (m.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Deletes each mailbox (not its children, as IMAP DELETE) on every target where it exists. */
    public void delete(List<String> mailboxes) throws SyncException {
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
    }

    /** Renames {@code from} to {@code to} (children follow) on every target where it exists; refuses if {@code to} exists. */
    public void rename(String from, String to) throws SyncException {
        String src = internal(from);
        String dst = internal(to);
        Map<String, MailboxRecord> known = store.mailboxes();
        for (Side side : Side.values()) {
            if (targets.contains(target(side)) && exists(side, on(side, dst))) {
                throw new SyncException(side.label() + ": Mailbox " + on(side, dst) + " exists; not renaming " + on(side, src));
            }
        }
        if (targets.contains(Target.DATABASE) && known.containsKey(dst)) {
            throw new SyncException("database: Mailbox " + to + " exists; not renaming " + from);
        }
        for (Side side : Side.values()) {
            if (targets.contains(target(side)) && exists(side, on(side, src))) {
                pair.get(side).rename(on(side, src), on(side, dst));
                log.info(side.label(), null, "Renamed mailbox " + on(side, src) + " to " + on(side, dst));
            }
        }
        if (targets.contains(Target.DATABASE) && known.containsKey(src)) {
            store.renameMailbox(src, dst);
            log.info("database", null, "Renamed mailbox " + from + " to " + to);
        }
    }
}
