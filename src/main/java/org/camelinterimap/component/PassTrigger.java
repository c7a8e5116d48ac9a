package org.camelinterimap.component;

/**
 * When the next sync pass is due, for consumers that are woken by server notifications
 * (interimap --notify) instead of a fixed interval: after a signal, or when {@code maxIntervalMillis}
 * passed since the last pass. Due at first. A signal that arrives during a pass makes the next
 * poll run another one, so no change is left behind.
 */
public final class PassTrigger {
    private final long maxIntervalMillis;
    private volatile boolean signalled = true;
    private long lastPass;

    public PassTrigger(long maxIntervalMillis) {
        this.maxIntervalMillis = maxIntervalMillis;
    }

    public void signal() {
        signalled = true;
    }

    /** Whether a pass should run now; if so, consumes the signal. */
    public synchronized boolean takeIfDue() {
        long now = System.currentTimeMillis();
        if (signalled || now - lastPass >= maxIntervalMillis) {
            signalled = false;
            lastPass = now;
            return true;
        }
        return false;
    }
}
