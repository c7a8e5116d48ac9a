package org.camelinterimap.sync;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sync state (interimap's SQLite database): known mailboxes, per side UIDVALIDITY / UIDNEXT /
 * HIGHESTMODSEQ, the local↔remote UID mapping, and (beyond the original) append and rename intents.
 *
 * <p>Invariants the engine relies on: every change to a message with UID &lt; UIDNEXT and MODSEQ
 * ≤ HIGHESTMODSEQ has been propagated; a mailbox with state has it on both sides; a UID pair is
 * in the mapping only once both messages exist. Every method is atomic and durable when it returns.
 * Mailbox names use NUL as hierarchy delimiter.
 */
public interface StateStore extends AutoCloseable {

    /** Every known mailbox by name. */
    Map<String, MailboxRecord> mailboxes() throws SyncException;

    /** Records a new mailbox with the UIDVALIDITY of each side, UIDNEXT and HIGHESTMODSEQ 0. */
    MailboxRecord addMailbox(String name, boolean subscribed, long localUidValidity, long remoteUidValidity) throws SyncException;

    void setSubscribed(long idx, boolean subscribed) throws SyncException;

    /** The UID mapping of a mailbox as local UID → remote UID. */
    Map<Long, Long> mapping(long idx) throws SyncException;

    /** Forgets UID pairs, by local UID. */
    void removeMappings(long idx, Collection<Long> localUids) throws SyncException;

    /**
     * Records, before an APPEND to {@code target}, which source messages are about to be copied
     * and a digest of each, so that a crash between the APPEND and {@link #commitAppend} can be
     * reconciled instead of copied again.
     */
    void recordIntents(long idx, Side target, List<Intent> intents) throws SyncException;

    /** Intents left by an interrupted run. */
    List<Intent> intents(long idx, Side target) throws SyncException;

    /** Adds UID pairs (local, remote) and drops the intents of {@code target} for those source UIDs, atomically. */
    void commitAppend(long idx, Side target, List<long[]> pairs) throws SyncException;

    /** Drops every intent of a mailbox for {@code target}. */
    void clearIntents(long idx, Side target) throws SyncException;

    /**
     * Records a source message that {@code target} refused to store (with the server's words), so
     * that later passes report it instead of trying it on every pass.
     */
    void recordRefused(long idx, Side target, long sourceUid, long size, String reason) throws SyncException;

    /** The source UIDs of a mailbox that {@code target} refused. */
    java.util.Set<Long> refused(long idx, Side target) throws SyncException;

    /** Forgets the refusals of a mailbox, so that its messages are tried again (--repair). */
    void clearRefused(long idx) throws SyncException;

    /** How many refused messages are recorded, over every mailbox. */
    int refusedCount() throws SyncException;

    /** Stores the progress of both sides after a complete mailbox sync. */
    void saveProgress(long idx, SideState local, SideState remote) throws SyncException;

    /** Renames a mailbox and its descendants in the state. */
    void renameMailbox(String from, String to) throws SyncException;

    /**
     * Records, before any server is touched, that {@code from} is being renamed to {@code to} on
     * {@code targets}, so that an interrupted or half-refused {@code --rename} can be finished by
     * the next run (see {@link PendingRenames}).
     */
    RenameIntent recordRename(String from, String to, Set<MailboxCommands.Target> targets) throws SyncException;

    /** The rename intents still pending, oldest first. */
    List<RenameIntent> renames() throws SyncException;

    /**
     * Ends a rename: renames the mailbox and its descendants in the state when the database is one
     * of the intent's targets, and forgets the intent, in one transaction. Fails without a change,
     * and not {@linkplain SyncException#fatal() fatally}, when a new name is taken in the database.
     *
     * @return how many mailboxes of the state were renamed
     */
    int finishRename(RenameIntent intent) throws SyncException;

    /** Forgets a rename intent without renaming anything (a rename undone on every server). */
    void dropRename(long id) throws SyncException;

    /** Forgets a mailbox and its mapping. */
    void deleteMailbox(long idx) throws SyncException;

    @Override
    void close();

    record SideState(long uidValidity, long uidNext, long highestModSeq) {
    }

    record MailboxRecord(long idx, String name, boolean subscribed, SideState local, SideState remote) {
        public SideState side(Side s) {
            return s == Side.LOCAL ? local : remote;
        }
    }

    /** A {@code --rename} in progress: names with NUL as hierarchy delimiter. */
    record RenameIntent(long id, String from, String to, Set<MailboxCommands.Target> targets) {
    }

    /** A message of the source side about to be appended to the target side; {@code size} -1 when unknown. */
    record Intent(long sourceUid, String digest, long size) {
        public Intent(long sourceUid, String digest) {
            this(sourceUid, digest, -1);
        }
    }
}
