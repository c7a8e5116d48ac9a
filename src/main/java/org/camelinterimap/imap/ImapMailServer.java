package org.camelinterimap.imap;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.camelinterimap.sync.MailServer;
import org.camelinterimap.sync.MessageBody;
import org.camelinterimap.sync.SyncException;
import org.camelinterimap.sync.SyncLog;
import org.camelinterimap.sync.UidRanges;

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
    private final SyncLog log;
    /** The UIDVALIDITY of the selected mailbox, which every APPENDUID into it must repeat; -1 when none. */
    private long selectedUidValidity = -1;
    private String selectedMailbox;
    /** Messages whose invalid flags were reported already ("mailbox NUL uid"): one warning per message. */
    private final Set<String> warnedInvalid = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param reference the {@code list-reference} of this side: prefixed to every mailbox name sent,
     *                  stripped from every name listed
     */
    public ImapMailServer(ImapConnection imap, String reference) {
        this(imap, reference, null);
    }

    /** @param log where flags dropped as invalid are reported (as warnings), or null */
    public ImapMailServer(ImapConnection imap, String reference, SyncLog log) {
        this.imap = imap;
        this.reference = reference == null ? "" : reference;
        this.log = log;
    }

    public ImapConnection connection() {
        return imap;
    }

    /** Checks the required extensions and enables QRESYNC (the ENABLE goes out with the first command). */
    public void prepare() throws SyncException {
        try {
            imap.requireCapabilities(REQUIRED);
            imap.enableQresync();
        } catch (ImapException e) {
            throw wrap(e);
        }
    }

    static SyncException wrap(ImapException e) {
        if (e.connectionLost()) {
            return SyncException.connectionLost(e.getMessage(), e);
        }
        return new SyncException(e.getMessage(), false, e.broken(), e);
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

    private MessageInfo info(FetchedMessage m) {
        return new MessageInfo(m.uid(), m.flags() == null ? null : normalise(checked(m)), m.modseq(), m.size());
    }

    /**
     * The message's valid flags; the tokens that are not atoms were left out by the parser and are
     * reported here, one warning per message (interimap(1) drops them the same way).
     */
    private List<String> checked(FetchedMessage m) {
        if (log != null && !m.invalidFlags().isEmpty() && warnedInvalid.add(selectedMailbox + "\0" + m.uid())) {
            List<String> shown = m.invalidFlags().stream().map(f -> "\"" + ResponseParser.printable(f) + "\"").toList();
            log.warn(imap.name(), selectedMailbox, "UID " + m.uid() + ": ignoring invalid flag(s) " + String.join(" ", shown));
        }
        return m.flags();
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
            return statuses(imap.listWithStatus(reference, patterns, selectOpts));
        } catch (ImapException e) {
            throw wrap(e);
        }
    }

    @Override
    public Listing delimiterAndList(List<String> patterns, List<String> selectOpts) throws SyncException {
        try {
            ImapConnection.Listing listing = imap.listWithDelimiter(reference, patterns, selectOpts);
            return new Listing(listing.delimiter(), statuses(listing.mailboxes()));
        } catch (ImapException e) {
            throw wrap(e);
        }
    }

    /** The listed mailboxes, their names without the list-reference (the reference itself left out). */
    private List<MailboxStatus> statuses(List<ListedMailbox> listed) {
        List<MailboxStatus> out = new ArrayList<>();
        for (ListedMailbox m : listed) {
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
    public void noop() throws SyncException {
        try {
            imap.noop();
        } catch (ImapException e) {
            throw wrap(e);
        }
    }

    @Override
    public MailboxStatus status(String mailbox) throws SyncException {
        try {
            long[] s = imap.status(wire(mailbox));
            return new MailboxStatus(mailbox, true, false, s[0], s[1], s[2]);
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
            selectedUidValidity = -1;
            selectedMailbox = mailbox;
            ImapConnection.Selected s = imap.select(wire(mailbox), knownUidValidity, knownModSeq);
            selectedUidValidity = s.uidValidity();
            return new Selection(s.uidValidity(), s.uidNext(), s.highestModSeq(), s.vanished(),
                    s.changed().stream().map(this::info).toList(), s.exists());
        } catch (ImapException e) {
            throw wrap(e);
        }
    }

    @Override
    public Changes changedSince(long modseq) throws SyncException {
        try {
            UidRanges[] vanished = {UidRanges.EMPTY};
            List<FetchedMessage> changed = imap.uidFetch("1:*", "UID FLAGS MODSEQ RFC822.SIZE", Math.max(modseq, 1),
                    v -> vanished[0] = vanished[0].union(v));
            return new Changes(vanished[0].union(imap.drainUnsolicited()), changed.stream().map(this::info).toList());
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
            for (FetchedMessage m : imap.uidFetch(UidRanges.format(uids), "UID FLAGS", 0, null)) {
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
        Set<Long> wanted = new LinkedHashSet<>(uids);
        List<Message> out = new ArrayList<>();
        boolean complete = false;
        try {
            // every message's first chunk (BODY_CHUNK bytes): a smaller message whole, in one round trip for the batch
            for (FetchedMessage m : imap.uidFetch(UidRanges.format(uids),
                    "UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[]<0." + ImapConnection.BODY_CHUNK + ">", 0, null)) {
                if (!wanted.remove(m.uid()) || m.body() == null) {
                    continue;
                }
                MessageBody body = completeBody(m);
                if (body != null) {
                    out.add(new Message(m.uid(), normalise(checked(m)), internalDate(m), body));
                }
            }
            complete = true;
        } catch (ImapException e) {
            throw wrap(e);
        } finally {
            if (!complete) {
                out.forEach(m -> m.body().discard()); // no spool file outlives a failed fetch
            }
        }
        out.sort((a, b) -> Long.compare(a.uid(), b.uid()));
        return out;
    }

    /** The whole body of a message whose first chunk is {@code first}; null when it vanished meanwhile. */
    private MessageBody completeBody(FetchedMessage first) throws ImapException, SyncException {
        try {
            return imap.completeBody(first);
        } catch (java.io.IOException e) {
            throw new SyncException(imap.name() + ": cannot spool UID " + first.uid() + " of " + selectedMailbox + ": "
                    + e.getMessage(), false, e);
        }
    }

    /** Response codes (RFC 3501, 5530) of an APPEND refused for the mailbox, whatever the messages. */
    private static final Set<String> MAILBOX_REFUSALS = Set.of("TRYCREATE", "NONEXISTENT", "NOPERM", "READ-ONLY",
            "UNAVAILABLE", "SERVERBUG", "INUSE");

    /** RFC 3501 date-time, the only INTERNALDATE form an APPEND may carry: {@code "d-Mon-yyyy hh:mm:ss +zzzz"}. */
    private static final Pattern DATE_TIME = Pattern.compile(
            "[ 0-3][0-9]-(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-[0-9]{4} [0-2][0-9]:[0-5][0-9]:[0-6][0-9] [+-][0-9]{4}");

    /** The INTERNALDATE to send on, or null (the target's own date) with a warning when it is not a date-time. */
    private String internalDate(FetchedMessage m) {
        String d = m.internalDate();
        if (d != null && !DATE_TIME.matcher(d).matches()) {
            if (log != null) {
                log.warn(imap.name(), selectedMailbox, "UID " + m.uid() + ": ignoring invalid INTERNALDATE \""
                        + ResponseParser.printable(d) + "\"");
            }
            return null;
        }
        return d;
    }

    @Override
    public UidRanges storeFlags(Collection<Long> uids, Set<String> flags, long unchangedSince) throws SyncException {
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
            // APPENDUID is checked against the UIDVALIDITY of the selected mailbox when it is the target
            return imap.append(wire(mailbox), mailbox.equals(selectedMailbox) ? selectedUidValidity : -1, items);
        } catch (ImapException e) {
            if (!e.broken() && !MAILBOX_REFUSALS.contains(String.valueOf(e.serverCode()))) {
                throw SyncException.refused(e.getMessage(), e); // the messages, not the mailbox
            }
            throw wrap(e);
        }
    }

    @Override
    public void unselect() throws SyncException {
        selectedMailbox = null;
        selectedUidValidity = -1;
        try {
            imap.unselect();
        } catch (ImapException e) {
            throw wrap(e);
        }
    }
}
