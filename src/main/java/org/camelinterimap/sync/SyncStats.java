package org.camelinterimap.sync;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of one sync pass, shared by the mailboxes synced in parallel. */
public final class SyncStats {
    private final AtomicInteger mailboxesSynced = new AtomicInteger();
    private final AtomicInteger mailboxesFailed = new AtomicInteger();
    private final AtomicLong messagesCopied = new AtomicLong();
    private final AtomicLong bytesCopied = new AtomicLong();
    private final AtomicLong flagUpdates = new AtomicLong();
    private final AtomicLong expunged = new AtomicLong();
    private volatile boolean fatal;

    void copied(int messages, long bytes) {
        messagesCopied.addAndGet(messages);
        bytesCopied.addAndGet(bytes);
    }

    void flagUpdates(int n) {
        flagUpdates.addAndGet(n);
    }

    void expunged(int n) {
        expunged.addAndGet(n);
    }

    void mailboxSynced() {
        mailboxesSynced.incrementAndGet();
    }

    void mailboxFailed() {
        mailboxesFailed.incrementAndGet();
    }

    void fatal() {
        fatal = true;
    }

    public int mailboxesSynced() {
        return mailboxesSynced.get();
    }

    public int mailboxesFailed() {
        return mailboxesFailed.get();
    }

    public long messagesCopied() {
        return messagesCopied.get();
    }

    public long bytesCopied() {
        return bytesCopied.get();
    }

    public long flagUpdates() {
        return flagUpdates.get();
    }

    public long expunged() {
        return expunged.get();
    }

    /** Whether the pass ended early (lost connection, broken database). */
    public boolean aborted() {
        return fatal;
    }

    /** Whether every mailbox synced. */
    public boolean ok() {
        return !fatal && mailboxesFailed.get() == 0;
    }

    @Override
    public String toString() {
        return mailboxesSynced + " mailbox(es) synced, " + mailboxesFailed + " failed; " + messagesCopied
                + " message(s) copied (" + bytesCopied + " bytes), " + flagUpdates + " flag update(s), " + expunged + " expunge(s)";
    }
}
