package org.camelinterimap.imap;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.camelinterimap.sync.MailServer;
import org.camelinterimap.sync.SyncException;

/**
 * {@link MailServer} over one {@link ImapConnection}: what the sync engine asks, in IMAP commands.
 * Flags are normalised (system flags in canonical case, {@code \Recent} dropped: it cannot be stored).
 */
public final class ImapMailServer implements MailServer {
    /** Extensions without which interimap cannot work (interimap(1), "SUPPORTED EXTENSIONS"). */
    public static final String[] REQUIRED = {"QRESYNC", "LIST-EXTENDED", "LIST-STATUS", "UIDPLUS"};

    private static final Map<String, String> SYSTEM_FLAGS = Map.of(
            "\\SEEN", "\\Seen", "\\ANSWERED", "\\Answered", "\\FLAGGED", "\\Flagged",
            "\\DELETED", "\\Deleted", "\\DRAFT", "\\Draft");

    private final ImapConnection imap;
    private final String reference;

    /**
     * @param reference the {@code list-reference} of this side: prefixed to every mailbox name sent,
     *                  stripped from every name listed
     */
    public ImapMailServer(ImapConnection imap, String reference) {
        this.imap = imap;
        this.reference = reference == null ? "" : reference;
    }

    public ImapConnection connection() {
        return imap;
    }

    /** Checks the required extensions and enables QRESYNC. */
    public void prepare() throws SyncException {
        try {
            imap.requireCapabilities(REQUIRED);
            imap.enableQresync();
        } catch (ImapException e) {
            throw wrap(e);
        }
    }

    static SyncException wrap(ImapException e) {
        return new SyncException(e.getMessage(), e.connectionLost(), e);
    }

    private String wire(String mailbox) {
        return reference + mailbox;
    }

    static Set<String> normalise(List<String> flags) {
        Set<String> out = new TreeSet<>();
        if (flags == null) {
            return out;
        }
        for (String f : flags) {
            if (f.startsWith("\\")) {
                String canonical = SYSTEM_FLAGS.get(f.toUpperCase(Locale.ROOT));
                if (canonical != null) {
                    out.add(canonical);
                }
                // \Recent and unknown system flags cannot be stored: leave them out
            } else {
                out.add(f);
            }
        }
        return out;
    }

    private static MessageInfo info(FetchedMessage m) {
        return new MessageInfo(m.uid(), m.flags() == null ? null : normalise(m.flags()), m.modseq(), m.size());
    }

    @Override
    public Character delimiter() throws SyncException {
        try {
            return imap.delimiter();
        } catch (ImapException e) {
            throw wrap(e);
        }
    }

    @Override
    public List<MailboxStatus> list(List<String> patterns, List<String> selectOpts) throws SyncException {
        try {
            List<MailboxStatus> out = new ArrayList<>();
            for (ListedMailbox m : imap.listWithStatus(reference, patterns, selectOpts)) {
                String name = m.name();
                if (!reference.isEmpty() && name.startsWith(reference)) {
                    name = name.substring(reference.length());
                }
                if (name.isEmpty()) {
                    continue;
                }
                out.add(new MailboxStatus(name, m.selectable(), m.subscribed(), m.uidValidity(), m.uidNext(), m.highestModSeq()));
            }
            return out;
        } catch (ImapException e) {
            throw wrap(e);
        }
    }

    @Override
    public void create(String mailbox) throws SyncException {
        try {
            imap.create(wire(mailbox));
        } catch (ImapException e) {
            throw wrap(e);
        }
    }

    @Override
    public void subscribe(String mailbox, boolean subscribe) throws SyncException {
        try {
            imap.subscribe(wire(mailbox), subscribe);
        } catch (ImapException e) {
            throw wrap(e);
        }
    }

    @Override
    public void delete(String mailbox) throws SyncException {
        try {
            imap.delete(wire(mailbox));
        } catch (ImapException e) {
            throw wrap(e);
        }
    }

    @Override
    public void rename(String from, String to) throws SyncException {
        try {
            imap.rename(wire(from), wire(to));
        } catch (ImapException e) {
            throw wrap(e);
        }
    }

    @Override
    public Selection select(String mailbox, long knownUidValidity, long knownModSeq) throws SyncException {
        try {
            ImapConnection.Selected s = imap.select(wire(mailbox), knownUidValidity, knownModSeq);
            return new Selection(s.uidValidity(), s.uidNext(), s.highestModSeq(), s.vanished(),
                    s.changed().stream().map(ImapMailServer::info).toList());
        } catch (ImapException e) {
            throw wrap(e);
        }
    }

    @Override
    public Changes changedSince(long modseq) throws SyncException {
        try {
            List<Long> vanished = new ArrayList<>();
            List<FetchedMessage> changed = imap.uidFetch("1:*", "UID FLAGS MODSEQ", Math.max(modseq, 1), vanished);
            vanished.addAll(imap.drainUnsolicited());
            return new Changes(vanished, changed.stream().map(ImapMailServer::info).toList());
        } catch (ImapException e) {
            throw wrap(e);
        }
    }

    @Override
    public List<MessageInfo> listFrom(long fromUid) throws SyncException {
        try {
            long from = Math.max(fromUid, 1);
            List<MessageInfo> out = new ArrayList<>();
            // "n:*" always includes the highest UID, even below n: filter (RFC 3501 section 6.4.8)
            for (FetchedMessage m : imap.uidFetch(from + ":*", "UID FLAGS RFC822.SIZE", 0, null)) {
                if (m.uid() >= from) {
                    out.add(info(m));
                }
            }
            return out;
        } catch (ImapException e) {
            throw wrap(e);
        }
    }

    @Override
    public List<MessageInfo> info(Collection<Long> uids) throws SyncException {
        if (uids.isEmpty()) {
            return List.of();
        }
        try {
            Set<Long> wanted = new LinkedHashSet<>(uids);
            List<MessageInfo> out = new ArrayList<>();
            for (FetchedMessage m : imap.uidFetch(UidSet.format(uids), "UID FLAGS", 0, null)) {
                if (wanted.contains(m.uid()) && m.flags() != null) {
                    out.add(info(m));
                }
            }
            return out;
        } catch (ImapException e) {
            throw wrap(e);
        }
    }

    @Override
    public List<Message> fetch(Collection<Long> uids) throws SyncException {
        if (uids.isEmpty()) {
            return List.of();
        }
        try {
            Set<Long> wanted = new LinkedHashSet<>(uids);
            List<Message> out = new ArrayList<>();
            for (FetchedMessage m : imap.uidFetch(UidSet.format(uids), "UID FLAGS INTERNALDATE BODY.PEEK[]", 0, null)) {
                if (wanted.contains(m.uid()) && m.body() != null) {
                    out.add(new Message(m.uid(), normalise(m.flags()), m.internalDate(), m.body()));
                }
            }
            out.sort((a, b) -> Long.compare(a.uid(), b.uid()));
            return out;
        } catch (ImapException e) {
            throw wrap(e);
        }
    }

    @Override
    public List<Long> storeFlags(Collection<Long> uids, Set<String> flags, long unchangedSince) throws SyncException {
        try {
            return imap.uidStoreFlags(uids, flags, unchangedSince);
        } catch (ImapException e) {
            throw wrap(e);
        }
    }

    @Override
    public long expunge(Collection<Long> uids) throws SyncException {
        try {
            return imap.uidExpunge(uids);
        } catch (ImapException e) {
            throw wrap(e);
        }
    }

    @Override
    public List<Long> append(String mailbox, List<Message> messages) throws SyncException {
        try {
            List<ImapConnection.AppendItem> items = new ArrayList<>(messages.size());
            for (Message m : messages) {
                items.add(new ImapConnection.AppendItem(List.copyOf(m.flags()), m.internalDate(), m.body()));
            }
            return imap.append(wire(mailbox), items);
        } catch (ImapException e) {
            throw wrap(e);
        }
    }

    @Override
    public void unselect() throws SyncException {
        try {
            imap.unselect();
        } catch (ImapException e) {
            throw wrap(e);
        }
    }
}
