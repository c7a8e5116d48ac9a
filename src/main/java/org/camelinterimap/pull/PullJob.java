package org.camelinterimap.pull;

import java.util.concurrent.CompletableFuture;

import org.camelinterimap.config.PullimapConfig;
import org.camelinterimap.imap.ImapConnection;
import org.camelinterimap.imap.ImapException;
import org.camelinterimap.sync.SyncLog;

/**
 * Everything one section needs to run: its configuration, how to connect, its locked statefile,
 * its delivery session, where to log, and the run mode. {@link #finished()} completes when the
 * section stops for good (true when its last batch delivered everything).
 *
 * @param idleSeconds the longest IDLE with --idle, or 0 for a one-shot run
 */
public record PullJob(PullimapConfig config, Connector connector, StateFile state, DeliverySession delivery,
                      SyncLog log, int idleSeconds, boolean noDelivery, CompletableFuture<Boolean> finished) {

    /** Opens an authenticated connection to the section's IMAP server. */
    @FunctionalInterface
    public interface Connector {
        ImapConnection open() throws ImapException;
    }

    public boolean idle() {
        return idleSeconds > 0;
    }

    public String section() {
        return config.section();
    }

    /** Marks the section finished (first call wins) and releases its statefile lock. */
    public void finish(boolean ok) {
        delivery.endBatch();
        state.close();
        finished.complete(ok);
    }
}
