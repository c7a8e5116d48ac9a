package org.camelinterimap.component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.camelinterimap.config.InterimapConfig;
import org.camelinterimap.state.SqliteStateStore;
import org.camelinterimap.support.Failures;
import org.camelinterimap.sync.ServerPair;
import org.camelinterimap.sync.SyncException;
import org.camelinterimap.sync.SyncLog;
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

    /**
     * The job of an interimap configuration: opens its SQLite database (creating the schema if
     * needed) and syncs {@code mailboxes} (command-line names, local delimiter) or, when empty,
     * the configured {@code list-mailbox} patterns.
     *
     * @param closeAlso closed with the job after the database (a log file), may be null
     */
    public static InterimapJob create(InterimapConfig cfg, SyncLog log, ServerPair.Factory pairs, List<String> mailboxes,
                                      boolean repair, AutoCloseable closeAlso) throws SyncException {
        List<String> created = new ArrayList<>();
        SqliteStateStore store = SqliteStateStore.open(cfg.database(), created);
        created.forEach(line -> log.info(null, null, line));
        return create(cfg, store, log, pairs, mailboxes, repair, closeAlso);
    }

    /** As {@link #create(InterimapConfig, SyncLog, ServerPair.Factory, List, boolean, AutoCloseable)}, on a state store opened already (closed with the job). */
    public static InterimapJob create(InterimapConfig cfg, SqliteStateStore store, SyncLog log, ServerPair.Factory pairs,
                                      List<String> mailboxes, boolean repair, AutoCloseable closeAlso) {
        log = new LastErrorLog(log, Map.of(cfg.local().name(), cfg.local().describe(),
                cfg.remote().name(), cfg.remote().describe()));
        boolean explicit = !mailboxes.isEmpty();
        SyncPass.Settings settings = new SyncPass.Settings(explicit ? mailboxes : cfg.listMailbox(), explicit,
                cfg.listSelectOpts(), cfg.ignoreMailbox(), cfg.maxConnections(), repair);
        InterimapJob job = new InterimapJob(new SyncPass(settings, pairs, store, log), () -> {
            store.close();
            if (closeAlso != null) {
                closeAlso.close();
            }
        });
        job.store = store;
        job.log = log;
        return job;
    }

    /**
     * The last error a pass reported: the side ({@code local}, {@code remote}) and its server when
     * the error was one side's, else null; the mailbox when it was one mailbox's.
     */
    public record Failure(String side, String server, String mailbox, String message) {
        /** One line: {@code remote(INBOX): message}, as the log has it. */
        @Override
        public String toString() {
            return side == null ? message : side + (mailbox == null ? "" : "(" + mailbox + ")") + ": " + message;
        }
    }

    /** Keeps the last error line that goes through it, with the side and its server. */
    private static final class LastErrorLog implements SyncLog {
        private final SyncLog delegate;
        private final Map<String, String> servers;
        private volatile Failure last;

        LastErrorLog(SyncLog delegate, Map<String, String> servers) {
            this.delegate = delegate;
            this.servers = servers;
        }

        @Override
        public void info(String component, String mailbox, String message) {
            delegate.info(component, mailbox, message);
        }

        @Override
        public void warn(String component, String mailbox, String message) {
            delegate.warn(component, mailbox, message);
        }

        @Override
        public void error(String component, String mailbox, String message) {
            String side = component;
            String text = message;
            if (side == null) {
                // a pass-wide failure names its side first: "remote: connection lost during LIST: ..."
                for (String name : servers.keySet()) {
                    if (message.startsWith(name + ": ")) {
                        side = name;
                        text = message.substring(name.length() + 2);
                    }
                }
            }
            last = new Failure(side, side == null ? null : servers.get(side), mailbox, text);
            delegate.error(component, mailbox, message);
        }

        @Override
        public boolean debugEnabled() {
            return delegate.debugEnabled();
        }

        @Override
        public void debug(String component, String mailbox, String message) {
            delegate.debug(component, mailbox, message);
        }
    }

    /** The last error reported since {@link #clearLastError()}, or null (always null for a job not made by {@link #create}). */
    public Failure lastError() {
        return log instanceof LastErrorLog l ? l.last : null;
    }

    /** Forgets the last error (at the start of a pass). */
    public void clearLastError() {
        if (log instanceof LastErrorLog l) {
            l.last = null;
        }
    }

    private SqliteStateStore store;
    private SyncLog log;
    private PassTrigger trigger;

    /** Makes passes run only when the trigger says so (notification mode); without one, every poll is a pass. */
    public void trigger(PassTrigger trigger) {
        this.trigger = trigger;
    }

    /** Whether the poll happening now should run a pass. */
    boolean passDue() {
        return trigger == null || trigger.takeIfDue();
    }

    /** The state store, when the job was made by {@link #create}. */
    public SqliteStateStore store() {
        return store;
    }

    public SyncPass pass() {
        return pass;
    }

    /** A pass that ended with an exception (a route step failed, or a bug): reported on one line. */
    void passFailed(Throwable e) {
        allOk.set(false);
        if (trigger != null) {
            trigger.retryIn(RETRY_FAILED_PASS_MILLIS);
        }
        if (log != null) {
            log.error(null, null, "sync pass failed: " + Failures.oneLine(e));
        }
    }

    /** Under --notify, how soon a failed pass is run again when no server signals anything. */
    static final long RETRY_FAILED_PASS_MILLIS = 30_000;

    void passDone(SyncStats stats) {
        if (!stats.ok()) {
            allOk.set(false);
            if (trigger != null) {
                trigger.retryIn(RETRY_FAILED_PASS_MILLIS);
            }
        }
        if (stats.permanentFailure()) {
            // refused login, certificate or extension: passes would fail the same way forever
            finished.complete(false);
        }
    }

    /**
     * Runs one pass on the calling thread, outside any route, and ends the job: what a consumer's
     * only poll does (the outcome recorded, a failure reported on one line), without the route.
     * For a one-shot run whose pass has nothing for the routes to carry.
     */
    public void runPassHere() {
        try {
            passDone(pass.run());
        } catch (RuntimeException | Error e) {
            passFailed(e); // as the consumer does: the pass failed, the run ends with its status
        }
        finish();
    }

    /** Marks the job finished (after its last pass, or on failure to start). */
    public void finish() {
        finished.complete(allOk.get());
    }

    public void fail() {
        allOk.set(false);
        finished.complete(false);
    }

    /** Whether every pass so far synced every mailbox. */
    public boolean allPassesOk() {
        return allOk.get();
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
