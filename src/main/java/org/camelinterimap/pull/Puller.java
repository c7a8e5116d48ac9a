package org.camelinterimap.pull;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.camelinterimap.imap.FetchedMessage;
import org.camelinterimap.imap.ImapConnection;
import org.camelinterimap.imap.ImapException;
import org.camelinterimap.imap.ResponseParser;
import org.camelinterimap.sync.MessageBody;
import org.camelinterimap.sync.UidRanges;
import org.camelinterimap.pull.StateFile.StateException;
import org.camelinterimap.support.CrashPoints;

/**
 * pullimap's control flow on one connection: select the mailbox, then per batch fetch every
 * message from the stored UIDNEXT on, hand each to the {@link Sink} (which delivers it and then
 * appends its UID to the statefile), mark the delivered ones \Seen, store the new UIDNEXT and
 * truncate; purge old delivered messages when {@code purge-after} is set.
 *
 * <p>A message the delivery server refuses permanently (a 5xx reply) does not stop the batch: it
 * is reported, never marked \Seen nor purged, and the messages after it are delivered. When the
 * server took another message of the same batch, the refusal is the message's own: UIDNEXT moves
 * past it and it is not tried again. When the server took none, the refusal may well be the
 * set-up's (a wrong deliver-rcpt, a server refusing everything): nothing is skipped and UIDNEXT
 * stays at the first refused UID, so the next batch tries it again. A temporary failure (4xx, a
 * lost connection) stops the batch at that message, which the next batch tries again.
 *
 * <p>Invariants: a UID is in the statefile only once delivered; UIDNEXT only moves past UIDs that
 * are delivered, were refused permanently while the server took another message of their batch
 * (these stay unseen on the server), or were expunged before they could be; messages are tried in
 * UID order, so on a temporary failure every UID below the failed one is delivered or refused.
 */
final class Puller {
    /** Bodies fetched per UID FETCH: bounds memory without a round trip per message. */
    private static final int CHUNK_MESSAGES = 100;
    private static final long CHUNK_BYTES = 16L << 20;
    private static final long PURGE_INTERVAL_MILLIS = 12L * 3600 * 1000;
    private static final DateTimeFormatter SEARCH_DATE = DateTimeFormatter.ofPattern("d-MMM-yyyy", Locale.ENGLISH);

    /** Where a pulled message goes; returns once it is delivered and its UID recorded. */
    @FunctionalInterface
    interface Sink {
        void deliver(RawMail mail) throws DeliveryFailure, StateException;
    }

    /**
     * A message the delivery server did not take: {@link #permanent()} when it refused that message
     * for good (the batch goes on), else the batch stops and the message is tried again next time.
     */
    static final class DeliveryFailure extends Exception {
        private final boolean permanent;

        DeliveryFailure(String message, boolean permanent) {
            super(message);
            this.permanent = permanent;
        }

        boolean permanent() {
            return permanent;
        }
    }

    /**
     * What a batch did: how many messages it delivered, the UIDs the server refused permanently
     * (and whether UIDNEXT moved past them), and the UID of a temporary failure (null if none).
     */
    record BatchResult(int delivered, List<Long> refused, boolean refusedSkipped, Long retry) {
        /** Whether everything new was delivered. */
        boolean ok() {
            return retry == null && refused.isEmpty();
        }
    }

    /** The mailbox cannot be pulled from (UIDVALIDITY changed, no UIDVALIDITY). */
    static final class PullException extends Exception {
        PullException(String message) {
            super(message);
        }
    }

    private final PullJob job;
    private final ImapConnection imap;
    private final Sink sink;
    private final String mailbox;
    private long selectUidNext;
    private long lastPurge = Long.MIN_VALUE;

    Puller(PullJob job, ImapConnection imap, Sink sink) {
        this.job = job;
        this.imap = imap;
        this.sink = sink;
        this.mailbox = job.config().mailbox();
    }

    /** The whole body of a message from its first chunk (spooled when large); null when it vanished meanwhile. */
    private MessageBody completeBody(FetchedMessage first) throws ImapException {
        try {
            return imap.completeBody(first);
        } catch (java.io.IOException e) {
            throw new ImapException(imap.name() + ": cannot spool UID " + first.uid() + " of " + mailbox + ": " + e.getMessage(),
                    false, true, e);
        }
    }

    /** SELECTs the mailbox and checks (or, for a new statefile, records) its UIDVALIDITY. */
    void open() throws ImapException, StateException, PullException {
        long[] s = imap.selectPlain(mailbox);
        if (s[0] <= 0) {
            throw new PullException(mailbox + ": the server gave no UIDVALIDITY");
        }
        StateFile state = job.state();
        if (state.isNew()) {
            state.initialise(s[0]);
        } else if (state.uidValidity() != s[0]) {
            throw new PullException(mailbox + ": UIDVALIDITY changed (" + state.uidValidity() + " in " + state.path()
                    + ", " + s[0] + " on the server): UIDs no longer tell what was delivered; remove the statefile to start over");
        }
        selectUidNext = s[1];
    }

    /** One batch: every message from UIDNEXT on, delivered, refused, or left for the next batch. */
    BatchResult batch() throws ImapException, StateException {
        StateFile state = job.state();
        long from = Math.max(state.uidNext(), 1);
        Set<Long> stalled = state.stalled();
        List<FetchedMessage> listed = new ArrayList<>();
        long highest = from - 1;
        for (FetchedMessage m : imap.uidFetch(from + ":*", "UID RFC822.SIZE", 0, null)) {
            // "n:*" always includes the highest UID, even below n (RFC 3501 section 6.4.8)
            if (m.uid() >= from) {
                highest = Math.max(highest, m.uid());
                if (!stalled.contains(m.uid())) {
                    listed.add(m);
                }
            }
        }
        listed.sort(Comparator.comparingLong(FetchedMessage::uid));
        List<Long> done = new ArrayList<>();
        List<Long> refused = new ArrayList<>();
        Long failed = null;
        try {
            int i = 0;
            while (i < listed.size() && failed == null) {
                List<Long> chunk = new ArrayList<>();
                long bytes = 0;
                while (i < listed.size() && chunk.size() < CHUNK_MESSAGES && (chunk.isEmpty() || bytes < CHUNK_BYTES)) {
                    bytes += Math.max(listed.get(i).size(), 0);
                    chunk.add(listed.get(i++).uid());
                }
                // each message's first chunk: a small one whole; a large one is then spooled chunk by chunk
                List<FetchedMessage> bodies = new ArrayList<>(imap.uidFetch(UidRanges.format(chunk),
                        "UID INTERNALDATE RFC822.SIZE BODY.PEEK[]<0." + ImapConnection.BODY_CHUNK + ">", 0, null));
                bodies.sort(Comparator.comparingLong(FetchedMessage::uid));
                for (FetchedMessage m : bodies) {
                    if (m.body() == null || !chunk.contains(m.uid())) {
                        continue; // expunged meanwhile, or an unsolicited FETCH
                    }
                    MessageBody body = completeBody(m);
                    if (body == null) {
                        continue; // expunged while it was being fetched
                    }
                    RawMail mail = new RawMail(m.uid(), m.internalDate(), body, List.of(job.config().deliverRcpt()));
                    try {
                        job.log().info(job.section(), mailbox, "UID " + m.uid() + " from <" + ResponseParser.printable(mail.envelopeFrom())
                                + "> (" + ResponseParser.printable(String.valueOf(m.internalDate())) + ")");
                        try {
                            if (job.noDelivery()) {
                                state.recordDelivered(m.uid());
                            } else {
                                sink.deliver(mail);
                            }
                        } catch (DeliveryFailure e) {
                            if (e.permanent()) {
                                job.log().error(job.section(), mailbox, "UID " + m.uid() + " (" + body.size() + " bytes) refused: "
                                        + ResponseParser.printable(e.getMessage()));
                                refused.add(m.uid());
                                continue;
                            }
                            job.log().error(job.section(), mailbox, "UID " + m.uid() + " not delivered, will be retried: " + e.getMessage());
                            failed = m.uid();
                            break;
                        }
                        done.add(m.uid());
                    } finally {
                        mail.discard(); // a spooled body goes once handed over (or refused)
                    }
                }
            }
        } finally {
            job.delivery().endBatch();
        }
        Set<Long> seen = new TreeSet<>(done);
        seen.addAll(stalled);
        imap.uidAddFlags(seen, "\\Seen");
        if (job.config().purgeAfter() == 0 && !seen.isEmpty()) {
            imap.uidExpunge(seen);
        }
        CrashPoints.PULL.reached("before-commit");
        // refusals are the messages' own only when the server took something else
        boolean skipRefused = !done.isEmpty();
        long next = failed != null ? failed : Math.max(Math.max(highest + 1, selectUidNext), from);
        if (!refused.isEmpty() && !skipRefused) {
            next = Math.min(next, refused.get(0));
        }
        if (next != state.uidNext() || !state.listed().isEmpty()) {
            state.commit(next, seen); // keeps those at or above the new UIDNEXT
        }
        selectUidNext = 0; // only the SELECT before the first batch is fresh
        if (!refused.isEmpty()) {
            String uids = refused.size() + (refused.size() == 1 ? " message" : " messages") + " refused (UID "
                    + UidRanges.format(refused) + ")";
            if (skipRefused) {
                job.log().error(job.section(), mailbox, uids + ": left unseen on the IMAP server, not tried again");
            } else {
                job.log().error(job.section(), mailbox, uids + " and none delivered: none skipped, the delivery server may be"
                        + " refusing everything (check deliver-rcpt); tried again next time");
            }
        }
        return new BatchResult(done.size(), List.copyOf(refused), skipRefused, failed);
    }

    /**
     * With {@code purge-after = N > 0}: deletes delivered messages older than N days, at most every
     * 12 hours. Delivered messages are \Seen; a refused one below UIDNEXT is not, and stays.
     */
    void purgeIfDue(long nowMillis) throws ImapException {
        int days = job.config().purgeAfter();
        if (days <= 0 || (lastPurge != Long.MIN_VALUE && nowMillis - lastPurge < PURGE_INTERVAL_MILLIS)) {
            return;
        }
        lastPurge = nowMillis;
        long uidNext = job.state().uidNext();
        if (uidNext <= 1) {
            return;
        }
        String before = LocalDate.now().minusDays(days).format(SEARCH_DATE);
        UidRanges old = imap.uidSearch("UID 1:" + (uidNext - 1) + " BEFORE " + before + " SEEN");
        if (!old.isEmpty()) {
            job.log().info(job.section(), mailbox, "Removing " + old.count() + " UID(s) " + old);
            imap.uidExpunge(old);
        }
    }
}
