package org.camelinterimap.support;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test hook for the kill -9 tests: when the tool's environment variable is {@code STEP} or
 * {@code STEP:N}, the process halts at once (as {@code kill -9} would: no finally block, no
 * shutdown hook, exit status 137) the N-th time (default 1st) it reaches that step. Without the
 * variable, {@link #reached} does nothing.
 */
public final class CrashPoints {
    /**
     * interimap, {@code CAMEL_INTERIMAP_CRASH_AT}: {@code before-append}, {@code after-append}
     * (APPEND done, UIDs not recorded), {@code after-record}, {@code after-expunge} (expunged,
     * mapping not yet removed), {@code after-flags}, {@code before-save} (all propagated,
     * UIDNEXT/HIGHESTMODSEQ not stored), {@code after-create} (mailbox created on a server, not yet
     * in the database); for {@code --rename}: {@code after-intent} (intent recorded, no server
     * touched), {@code after-local-rename} and {@code after-remote-rename} (that server renamed, also
     * when a later run finishes the rename), {@code before-db-rename} (servers done, database and
     * intent not yet).
     */
    public static final CrashPoints SYNC = new CrashPoints("CAMEL_INTERIMAP_CRASH_AT");

    /**
     * pullimap, {@code CAMEL_PULLIMAP_CRASH_AT}: {@code after-deliver} (a message delivered, its
     * UID not yet in the statefile), {@code after-record} (its UID appended to the statefile),
     * {@code before-commit} (the batch marked \Seen, UIDNEXT not yet stored).
     */
    public static final CrashPoints PULL = new CrashPoints("CAMEL_PULLIMAP_CRASH_AT");

    private final String spec;
    private final AtomicInteger hits = new AtomicInteger();

    private CrashPoints(String variable) {
        this.spec = System.getenv(variable);
    }

    public void reached(String step) {
        if (spec == null || spec.isEmpty()) {
            return;
        }
        String[] parts = spec.split(":");
        if (!parts[0].equals(step)) {
            return;
        }
        int n = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
        if (hits.incrementAndGet() == n) {
            System.err.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}
