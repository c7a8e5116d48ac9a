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

    /**
     * A connector whose first connection is opened at once, in the background (while Camel starts
     * the routes, say); its first {@link #open} takes that one, the later ones connect anew.
     * Closing it closes the first connection if nobody took it.
     */
    public static final class ConnectingAhead implements Connector, AutoCloseable {
        private final Connector connector;
        private final CompletableFuture<ImapConnection> first = new CompletableFuture<>();
        private final java.util.concurrent.atomic.AtomicBoolean taken = new java.util.concurrent.atomic.AtomicBoolean();

        public ConnectingAhead(Connector connector, String threadName) {
            this.connector = connector;
            org.camelinterimap.support.DaemonThreads.named(threadName).newThread(() -> {
                try {
                    first.complete(connector.open());
                } catch (ImapException | RuntimeException | Error e) {
                    first.completeExceptionally(e);
                }
            }).start();
        }

        @Override
        public ImapConnection open() throws ImapException {
            if (!taken.compareAndSet(false, true)) {
                return connector.open();
            }
            try {
                return first.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof ImapException cause) {
                    throw cause;
                }
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }

        @Override
        public void close() {
            if (taken.compareAndSet(false, true)) {
                first.thenAccept(ImapConnection::close);
            }
        }
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
