package org.camelinterimap.pull;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test hook for kill -9 tests of pullimap: when the environment variable
 * {@code CAMEL_PULLIMAP_CRASH_AT} is {@code STEP} or {@code STEP:N}, the process halts at once
 * (as {@code kill -9} would: no finally block, no shutdown hook, exit status 137) the N-th time
 * (default 1st) a batch reaches that step. Without the variable this is a no-op.
 *
 * <p>Steps: {@code after-deliver} (a message delivered, its UID not yet in the statefile),
 * {@code after-record} (its UID appended to the statefile), {@code before-commit} (the batch
 * marked \Seen, UIDNEXT not yet stored).
 */
public final class PullCrashPoints {
    private static final String SPEC = System.getenv("CAMEL_PULLIMAP_CRASH_AT");
    private static final AtomicInteger HITS = new AtomicInteger();

    private PullCrashPoints() {
    }

    public static void reached(String step) {
        if (SPEC == null || SPEC.isEmpty()) {
            return;
        }
        String[] parts = SPEC.split(":");
        if (!parts[0].equals(step)) {
            return;
        }
        int n = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
        if (HITS.incrementAndGet() == n) {
            System.err.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}
