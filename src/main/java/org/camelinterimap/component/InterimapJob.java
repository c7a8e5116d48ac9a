package org.camelinterimap.component;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.camelinterimap.sync.SyncPass;
import org.camelinterimap.sync.SyncStats;

/**
 * An account pair ready to sync: the pass (connections, state store, log) that each poll of an
 * {@code interimap:} consumer runs once, and the outcome of the last pass for whoever waits on it.
 */
public final class InterimapJob {
    private final SyncPass pass;
    private final AutoCloseable resources;
    private final CompletableFuture<Boolean> finished = new CompletableFuture<>();
    private final AtomicBoolean allOk = new AtomicBoolean(true);

    /**
     * @param resources closed with the job (state store, log file)
     */
    public InterimapJob(SyncPass pass, AutoCloseable resources) {
        this.pass = pass;
        this.resources = resources;
    }

    public SyncPass pass() {
        return pass;
    }

    void passDone(SyncStats stats) {
        if (!stats.ok()) {
            allOk.set(false);
        }
    }

    /** Marks the job finished (after its last pass, or on failure to start). */
    public void finish() {
        finished.complete(allOk.get());
    }

    public void fail() {
        allOk.set(false);
        finished.complete(false);
    }

    /** Completes with true when every pass synced every mailbox. */
    public CompletableFuture<Boolean> finished() {
        return finished;
    }

    public void close() {
        pass.close();
        try {
            resources.close();
        } catch (Exception ignored) {
            // best effort: the state store commits as it goes
        }
    }
}
