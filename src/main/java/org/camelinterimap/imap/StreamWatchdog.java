package org.camelinterimap.imap;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.camelinterimap.support.DaemonThreads;

/**
 * Bounds every wait on one IMAP connection, whatever carries it (TCP, TLS, a tunnel's pipes):
 * a read or a write blocked longer than the I/O timeout, or a phase (greeting, TLS and login; the
 * LOGOUT at close) that runs past its deadline, closes the transport, so the blocked call fails at
 * once and {@link #translate} names the bound that expired.
 *
 * <p>Written here because a socket's read timeout does not cover writes (a server that stops
 * reading mid-APPEND blocks the writer forever), nor a tunnel's pipes, nor a slow-loris server that
 * sends one byte just before each read timeout.
 *
 * <p>One shared timer thread checks the registered watchdogs every 200 ms; a watchdog is registered
 * from {@link #closeWith} until {@link #release}.
 */
final class StreamWatchdog {
    private static final long TICK_MILLIS = 200;
    private static final Set<StreamWatchdog> ACTIVE = ConcurrentHashMap.newKeySet();
    private static final ScheduledExecutorService TIMER;

    static {
        TIMER = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("imap-watchdog"));
        TIMER.scheduleWithFixedDelay(StreamWatchdog::checkAll, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private final String who;
    private volatile long ioTimeoutNanos;
    /** Absolute {@link System#nanoTime()} of the phase deadline; meaningful when {@code phase != null}. */
    private volatile long deadline;
    private volatile String phase;
    /** When the read or write in progress started ({@code | 1}, so never 0); 0 when none is. */
    private volatile long blockedSince;
    private volatile boolean writing;
    private volatile Closeable transport;
    /** Why the transport was closed, once it was. */
    private volatile String expired;

    /** @param who the side, for the messages ("remote") */
    StreamWatchdog(String who, long ioTimeoutMillis) {
        this.who = who;
        this.ioTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(ioTimeoutMillis);
    }

    /** What to close when a bound expires: the socket or process under every other layer. */
    void closeWith(Closeable transport) {
        this.transport = transport;
        ACTIVE.add(this);
    }

    /** Stops watching (the connection is closed). */
    void release() {
        ACTIVE.remove(this);
    }

    /** Starts a phase that must end within {@code millis}, however much the server trickles. */
    void startPhase(String what, long millis) {
        deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        phase = what + " within " + seconds(millis);
    }

    void endPhase() {
        phase = null;
    }

    void ioTimeout(long millis) {
        ioTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(millis);
    }

    long ioTimeoutMillis() {
        return TimeUnit.NANOSECONDS.toMillis(ioTimeoutNanos);
    }

    /** Marks the start of a read or write that may block. */
    void begin(boolean write) {
        writing = write;
        blockedSince = System.nanoTime() | 1;
    }

    void end() {
        blockedSince = 0;
    }

    /** Why the transport was closed, or null while it was not. */
    String expired() {
        return expired;
    }

    /** The failure to report for an I/O error: the expired bound when that is what closed the transport. */
    IOException translate(IOException e) {
        String why = expired;
        if (why == null) {
            return e;
        }
        SocketTimeoutException t = new SocketTimeoutException(why);
        t.initCause(e);
        return t;
    }

    private static void checkAll() {
        long now = System.nanoTime();
        for (StreamWatchdog w : ACTIVE) {
            try {
                w.check(now);
            } catch (RuntimeException e) {
                // one transport failing to close must not stop the others' watch
            }
        }
    }

    private void check(long now) {
        if (expired != null) {
            return;
        }
        String why = null;
        long since = blockedSince;
        String p = phase;
        if (p != null && now - deadline > 0) {
            why = who + ": no " + p;
        } else if (since != 0 && ioTimeoutNanos > 0 && now - since > ioTimeoutNanos) {
            why = who + ": " + (writing ? "the server accepted no data" : "no data from the server") + " for "
                    + seconds(TimeUnit.NANOSECONDS.toMillis(ioTimeoutNanos)) + " (timeout)";
        }
        if (why != null) {
            expired = why;
            ACTIVE.remove(this);
            Closeable t = transport;
            try {
                if (t != null) {
                    t.close();
                }
            } catch (IOException e) {
                // closed as far as it goes: the blocked call fails either way
            }
        }
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format("%.1f s", millis / 1000.0);
    }
}
