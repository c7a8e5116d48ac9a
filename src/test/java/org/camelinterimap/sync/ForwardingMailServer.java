package org.camelinterimap.sync;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/** A {@link MailServer} that forwards every call to another: tests override the calls they falsify. */
class ForwardingMailServer implements MailServer {
    private final MailServer real;

    ForwardingMailServer(MailServer real) {
        this.real = real;
    }

    @Override
    public Character delimiter() throws SyncException {
        return real.delimiter();
    }

    @Override
    public List<MailboxStatus> list(List<String> patterns, List<String> selectOpts) throws SyncException {
        return real.list(patterns, selectOpts);
    }

    @Override
    public void create(String mailbox) throws SyncException {
        real.create(mailbox);
    }

    @Override
    public MailboxStatus status(String mailbox) throws SyncException {
        return real.status(mailbox);
    }

    @Override
    public void subscribe(String mailbox, boolean subscribe) throws SyncException {
        real.subscribe(mailbox, subscribe);
    }

    @Override
    public void delete(String mailbox) throws SyncException {
        real.delete(mailbox);
    }

    @Override
    public void rename(String from, String to) throws SyncException {
        real.rename(from, to);
    }

    @Override
    public Selection select(String mailbox, long knownUidValidity, long knownModSeq) throws SyncException {
        return real.select(mailbox, knownUidValidity, knownModSeq);
    }

    @Override
    public Changes changedSince(long modseq) throws SyncException {
        return real.changedSince(modseq);
    }

    @Override
    public List<MessageInfo> listFrom(long fromUid) throws SyncException {
        return real.listFrom(fromUid);
    }

    @Override
    public List<MessageInfo> info(Collection<Long> uids) throws SyncException {
        return real.info(uids);
    }

    @Override
    public List<Message> fetch(Collection<Long> uids) throws SyncException {
        return real.fetch(uids);
    }

    @Override
    public UidRanges storeFlags(Collection<Long> uids, Set<String> flags, long unchangedSince) throws SyncException {
        return real.storeFlags(uids, flags, unchangedSince);
    }

    @Override
    public long expunge(Collection<Long> uids) throws SyncException {
        return real.expunge(uids);
    }

    @Override
    public List<Long> append(String mailbox, List<Message> messages) throws SyncException {
        return real.append(mailbox, messages);
    }

    @Override
    public void unselect() throws SyncException {
        real.unselect();
    }

    @Override
    public void noop() throws SyncException {
        real.noop();
    }
}
