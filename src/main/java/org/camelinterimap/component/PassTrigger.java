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
    /** When a failed pass is run again without waiting for a signal; MAX_VALUE when none failed. */
    private long retryAt = Long.MAX_VALUE;

    public PassTrigger(long maxIntervalMillis) {
        this.maxIntervalMillis = maxIntervalMillis;
    }

    public void signal() {
        signalled = true;
    }

    /**
     * The last pass failed: run the next one within {@code millis} even if no server signals a
     * change (the change that woke it may not be synced yet, and the servers will not repeat it).
     */
    public synchronized void retryIn(long millis) {
        retryAt = Math.min(retryAt, System.currentTimeMillis() + millis);
    }

    /** Whether a pass should run now; if so, consumes the signal. */
    public synchronized boolean takeIfDue() {
        long now = System.currentTimeMillis();
        if (signalled || now - lastPass >= maxIntervalMillis || now >= retryAt) {
            signalled = false;
            retryAt = Long.MAX_VALUE;
            lastPass = now;
            return true;
        }
        return false;
    }
}
