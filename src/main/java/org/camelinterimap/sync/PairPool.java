package org.camelinterimap.sync;

import java.util.ArrayDeque;
import java.util.Deque;

import org.camelinterimap.support.DaemonThreads;

/**
 * The connection pairs of the passes over one account pair: at most {@code max} open at once,
 * kept open between passes, and opened ahead of need in the background when a pass knows how many
 * it will use.
 *
 * <p>Invariant, under the monitor of {@code idle}: {@code open} counts the pairs the factory made
 * that are not closed (in use or idle), {@code opening} the opens running in the background.
 * {@link #borrow} waits for those, or for a release once {@code max} pairs are open, before
 * opening one more itself.
 */
final class PairPool {
    private final ServerPair.Factory factory;
    private final int max;
    private final Deque<ServerPair> idle = new ArrayDeque<>();
    private int open;
    private int opening;

    PairPool(ServerPair.Factory factory, int max) {
        this.factory = factory;
        this.max = max;
    }

    /** An idle pair, else one opening in the background, else a new one once under the limit. */
    ServerPair borrow() throws SyncException {
        synchronized (idle) {
            while (idle.isEmpty() && (opening > 0 || open >= max)) {
                try {
                    idle.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SyncException("interrupted while connecting", true, e);
                }
            }
            if (!idle.isEmpty()) {
                return idle.pop();
            }
            open++; // taken before opening, so that borrowers at once stay within the limit
        }
        try {
            return factory.open();
        } catch (SyncException | RuntimeException e) {
            synchronized (idle) {
                open--;
                idle.notifyAll();
            }
            throw e;
        }
    }

    /**
     * Starts opening, in the background, the pairs that {@code wanted} workers will need beyond those
     * open already (never beyond the limit), so that their handshakes overlap other work. A pair that
     * fails to open is dropped here: the worker that finds none opens one itself and reports why it
     * cannot.
     */
    void openInBackground(int wanted) {
        synchronized (idle) {
            for (int i = open + opening; i < Math.min(wanted, max); i++) {
                opening++;
                DaemonThreads.named("interimap-connect").newThread(this::openOne).start();
            }
        }
    }

    private void openOne() {
        ServerPair pair = null;
        try {
            pair = factory.open();
        } catch (SyncException | RuntimeException e) {
            // reported by the worker's own attempt
        }
        synchronized (idle) {
            opening--;
            if (pair != null) {
                open++;
                idle.push(pair);
            }
            idle.notifyAll();
        }
    }

    /** Gives a pair back for the next borrower; a broken one is closed instead. */
    void release(ServerPair pair, boolean healthy) {
        synchronized (idle) {
            if (healthy) {
                idle.push(pair);
            } else {
                open--;
            }
            idle.notifyAll();
        }
        if (!healthy) {
            pair.close();
        }
    }

    /** Closes the idle pairs, once the background opens have ended. */
    void close() {
        synchronized (idle) {
            boolean interrupted = false;
            while (opening > 0) {
                try {
                    idle.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            while (!idle.isEmpty()) {
                idle.pop().close();
                open--;
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
