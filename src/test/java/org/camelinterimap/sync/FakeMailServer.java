package org.camelinterimap.sync;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An in-memory, single-mailbox {@link MailServer} with QRESYNC semantics: every change bumps the
 * mailbox's MODSEQ, expunged UIDs are remembered with the MODSEQ of their removal. A hook runs
 * before each operation so that tests can play a concurrent client.
 */
final class FakeMailServer implements MailServer {
    static final String MAILBOX = "INBOX";

    record Msg(Set<String> flags, long modseq, String date, byte[] body) {
    }

    final long uidValidity;
    long uidNext = 1;
    long modseq = 1;
    final TreeMap<Long, Msg> messages = new TreeMap<>();
    final TreeMap<Long, Long> expunged = new TreeMap<>();
    /** Runs before every operation, with the operation's name. */
    java.util.function.Consumer<String> hook = op -> { };
    int appends;
    /** The UIDs whose bodies were fetched, in order. */
    final List<Long> fetched = new ArrayList<>();
    /**
     * UIDs the next changedSince leaves out, as Dovecot does for a message delivered while the
     * command ran: it announces it with EXISTS only, after the FETCHes.
     */
    final Set<Long> announcedByExistsOnly = new TreeSet<>();

    FakeMailServer(long uidValidity) {
        this.uidValidity = uidValidity;
    }

    long add(String body, String... flags) {
        long uid = uidNext++;
        messages.put(uid, new Msg(new TreeSet<>(List.of(flags)), ++modseq, "01-Jan-2020 00:00:00 +0000",
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return uid;
    }

    void setFlags(long uid, String... flags) {
        Msg m = messages.get(uid);
        messages.put(uid, new Msg(new TreeSet<>(List.of(flags)), ++modseq, m.date(), m.body()));
    }

    void remove(long uid) {
        messages.remove(uid);
        expunged.put(uid, ++modseq);
    }

    /** Body text → flags, the contents to compare. */
    Map<String, Set<String>> contents() {
        Map<String, Set<String>> out = new TreeMap<>();
        for (Msg m : messages.values()) {
            String body = new String(m.body(), java.nio.charset.StandardCharsets.UTF_8);
            if (out.put(body, m.flags()) != null) {
                out.put(body + " (DUPLICATE)", m.flags());
            }
        }
        return out;
    }

    @Override
    public Character delimiter() {
        return '/';
    }

    @Override
    public List<MailboxStatus> list(List<String> patterns, List<String> selectOpts) {
        hook.accept("list");
        return List.of(new MailboxStatus(MAILBOX, true, true, uidValidity, uidNext, modseq));
    }

    @Override
    public void create(String mailbox) {
        throw new UnsupportedOperationException();
    }

    @Override
    public MailboxStatus status(String mailbox) {
        hook.accept("status");
        return new MailboxStatus(MAILBOX, true, false, uidValidity, uidNext, modseq);
    }

    @Override
    public void subscribe(String mailbox, boolean subscribe) {
    }

    @Override
    public void delete(String mailbox) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void rename(String from, String to) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Selection select(String mailbox, long knownUidValidity, long knownModSeq) {
        hook.accept("select");
        UidRanges vanished = UidRanges.EMPTY;
        List<MessageInfo> changed = new ArrayList<>();
        if (knownUidValidity == uidValidity && knownModSeq > 0) {
            Changes c = changes(knownModSeq);
            vanished = c.vanished();
            changed = c.changed();
        }
        return new Selection(uidValidity, uidNext, modseq, vanished, changed, messages.size());
    }

    private Changes changes(long since) {
        List<Long> vanished = new ArrayList<>();
        expunged.forEach((uid, ms) -> {
            if (ms > since) {
                vanished.add(uid);
            }
        });
        List<MessageInfo> changed = new ArrayList<>();
        messages.forEach((uid, m) -> {
            if (m.modseq() > since) {
                changed.add(new MessageInfo(uid, m.flags(), m.modseq(), m.body().length));
            }
        });
        return new Changes(UidRanges.of(vanished), changed);
    }

    @Override
    public Changes changedSince(long since) {
        hook.accept("changedSince");
        Changes c = changes(since);
        List<MessageInfo> changed = new ArrayList<>(c.changed());
        changed.removeIf(m -> announcedByExistsOnly.contains(m.uid()));
        announcedByExistsOnly.clear();
        return new Changes(c.vanished(), changed);
    }

    @Override
    public List<MessageInfo> listFrom(long fromUid) {
        hook.accept("listFrom");
        List<MessageInfo> out = new ArrayList<>();
        messages.tailMap(fromUid, true).forEach((uid, m) -> out.add(new MessageInfo(uid, m.flags(), m.modseq(), m.body().length)));
        return out;
    }

    @Override
    public List<MessageInfo> info(Collection<Long> uids) {
        hook.accept("info");
        List<MessageInfo> out = new ArrayList<>();
        for (long uid : new TreeSet<>(uids)) {
            Msg m = messages.get(uid);
            if (m != null) {
                out.add(new MessageInfo(uid, m.flags(), m.modseq(), m.body().length));
            }
        }
        return out;
    }

    @Override
    public List<Message> fetch(Collection<Long> uids) {
        hook.accept("fetch");
        List<Message> out = new ArrayList<>();
        for (long uid : new TreeSet<>(uids)) {
            Msg m = messages.get(uid);
            if (m != null) {
                out.add(new Message(uid, m.flags(), m.date(), MessageBody.of(m.body())));
                fetched.add(uid);
            }
        }
        return out;
    }

    @Override
    public UidRanges storeFlags(Collection<Long> uids, Set<String> flags, long unchangedSince) {
        hook.accept("storeFlags");
        List<Long> modified = new ArrayList<>();
        for (long uid : uids) {
            Msg m = messages.get(uid);
            if (m == null) {
                continue;
            }
            if (unchangedSince > 0 && m.modseq() > unchangedSince) {
                modified.add(uid);
            } else if (!m.flags().equals(flags)) {
                messages.put(uid, new Msg(new TreeSet<>(flags), ++modseq, m.date(), m.body()));
            }
        }
        return UidRanges.of(modified);
    }

    @Override
    public long expunge(Collection<Long> uids) {
        hook.accept("expunge");
        for (long uid : uids) {
            if (messages.containsKey(uid)) {
                remove(uid);
            }
        }
        return modseq;
    }

    @Override
    public List<Long> append(String mailbox, List<Message> msgs) {
        hook.accept("append");
        appends++;
        List<Long> uids = new ArrayList<>();
        for (Message m : msgs) {
            long uid = uidNext++;
            messages.put(uid, new Msg(new TreeSet<>(m.flags()), ++modseq, m.internalDate(), m.body().bytes()));
            uids.add(uid);
        }
        return uids;
    }

    @Override
    public void unselect() {
    }

    @Override
    public void noop() {
        hook.accept("noop");
    }
}
