package org.camelinterimap.sync;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * One side of the sync as the engine sees it: a UID-addressed mail store with QRESYNC semantics
 * (RFC 7162). The IMAP implementation lives in the protocol package; the engine never sees the
 * wire. One instance serves one thread and has at most one mailbox selected.
 */
public interface MailServer {

    /** Hierarchy delimiter of the synced name space, or null when the name space is flat. */
    Character delimiter() throws SyncException;

    /** Mailboxes matching the patterns (delimiters already substituted), with status. */
    List<MailboxStatus> list(List<String> patterns, List<String> selectOpts) throws SyncException;

    /** The delimiter and a listing. */
    record Listing(Character delimiter, List<MailboxStatus> mailboxes) {
    }

    /**
     * {@link #delimiter} and {@link #list} together, for patterns that hold no delimiter to
     * substitute (an IMAP server sends both commands in one round trip).
     */
    default Listing delimiterAndList(List<String> patterns, List<String> selectOpts) throws SyncException {
        return new Listing(delimiter(), list(patterns, selectOpts));
    }

    void create(String mailbox) throws SyncException;

    /** STATUS of one mailbox (UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ); {@code subscribed} is false, as STATUS does not tell. */
    MailboxStatus status(String mailbox) throws SyncException;

    void subscribe(String mailbox, boolean subscribe) throws SyncException;

    void delete(String mailbox) throws SyncException;

    void rename(String from, String to) throws SyncException;

    /**
     * Selects the mailbox. With a known UIDVALIDITY and MODSEQ the result also holds the UIDs
     * expunged and the messages whose flags changed since that MODSEQ.
     */
    Selection select(String mailbox, long knownUidValidity, long knownModSeq) throws SyncException;

    /**
     * Messages (UID, FLAGS, MODSEQ) changed since {@code modseq} and UIDs expunged since then, for
     * UIDs from 1 on; new messages count as changed.
     */
    Changes changedSince(long modseq) throws SyncException;

    /** UID, FLAGS and RFC822.SIZE of every message with UID ≥ {@code fromUid}. */
    List<MessageInfo> listFrom(long fromUid) throws SyncException;

    /** UID and FLAGS of those of the given messages that still exist. */
    List<MessageInfo> info(Collection<Long> uids) throws SyncException;

    /**
     * Flags, INTERNALDATE and full bytes of the given messages, in UID order. Large bodies come
     * spooled (see {@link MessageBody}); the caller discards them.
     */
    List<Message> fetch(Collection<Long> uids) throws SyncException;

    /**
     * Replaces the flags of the messages unless they changed after {@code unchangedSince};
     * returns the UIDs left untouched because they did.
     */
    UidRanges storeFlags(Collection<Long> uids, Set<String> flags, long unchangedSince) throws SyncException;

    /** Removes exactly these messages; returns the mailbox's HIGHESTMODSEQ afterwards, or -1 if not told. */
    long expunge(Collection<Long> uids) throws SyncException;

    /** Appends messages (flags and INTERNALDATE kept) and returns their new UIDs in order. */
    List<Long> append(String mailbox, List<Message> messages) throws SyncException;

    /** Leaves the selected mailbox without expunging anything. */
    void unselect() throws SyncException;

    /** NOOP: checks that the connection still answers. */
    void noop() throws SyncException;

    /** A mailbox from LIST-STATUS; -1 for values not returned. */
    record MailboxStatus(String name, boolean selectable, boolean subscribed, long uidValidity, long uidNext,
                         long highestModSeq) {
    }

    /** What SELECT said; {@code exists}, the number of messages, is -1 when not known. */
    record Selection(long uidValidity, long uidNext, long highestModSeq, UidRanges vanished,
                     List<MessageInfo> changed, long exists) {
    }

    record Changes(UidRanges vanished, List<MessageInfo> changed) {
    }

    /**
     * A message's UID, flags, MODSEQ and size (-1 when not known). {@code flags} is null when the
     * server did not say (a FETCH carrying only a new MODSEQ): unknown, not empty.
     */
    record MessageInfo(long uid, Set<String> flags, long modseq, long size) {
    }

    /** A message to copy: flags, INTERNALDATE as written by its server, bytes (in memory or spooled). */
    record Message(long uid, Set<String> flags, String internalDate, MessageBody body) {
        public Message(long uid, Set<String> flags, String internalDate, byte[] body) {
            this(uid, flags, internalDate, MessageBody.of(body));
        }
    }
}
