package org.camelinterimap.support;

import java.util.concurrent.ThreadFactory;

/**
 * Named daemon threads for the background work of a run (handshakes, prefetches, mailbox workers,
 * IDLE timers, watchers): none of them keeps the JVM alive once the run itself has ended.
 */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    /** A factory of daemon threads all called {@code name}. */
    public static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
