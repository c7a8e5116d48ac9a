package org.camelinterimap.sync;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test hook for crash-safety tests: when the environment variable
 * {@code CAMEL_INTERIMAP_CRASH_AT} is {@code STEP} or {@code STEP:N}, the process halts at once
 * (as {@code kill -9} would: no finally block, no shutdown hook, exit status 137) the N-th time
 * (default 1st) the sync reaches that step. Without the variable this is a no-op.
 *
 * <p>Steps: {@code before-append}, {@code after-append} (APPEND done, UIDs not recorded),
 * {@code after-record}, {@code after-expunge} (expunged, mapping not yet removed),
 * {@code after-flags}, {@code before-save} (all propagated, UIDNEXT/HIGHESTMODSEQ not stored),
 * {@code after-create} (mailbox created on a server, not yet in the database).
 */
public final class CrashPoints {
    private static final String SPEC = System.getenv("CAMEL_INTERIMAP_CRASH_AT");
    private static final AtomicInteger HITS = new AtomicInteger();

    private CrashPoints() {
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
