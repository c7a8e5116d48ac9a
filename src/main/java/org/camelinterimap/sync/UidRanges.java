package org.camelinterimap.sync;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * A set of UIDs kept as sorted, disjoint, non-adjacent ranges ({@code 1:3,7,9:10}): the IMAP
 * sequence-set form, also used in log lines.
 *
 * <p>Sets a server sends ({@code VANISHED}, {@code MODIFIED}, {@code APPENDUID}, {@code ESEARCH})
 * stay ranges: {@code 1:4294967295} costs two longs, not four billion. Nothing here expands a set
 * per UID except {@link #within}, which is bounded by the candidates it is given, and
 * {@link #toList}, which its caller bounds with {@link #count()}.
 */
public final class UidRanges {
    /** The largest UID (RFC 3501: a non-zero unsigned 32-bit number). */
    public static final long MAX_UID = 0xFFFFFFFFL;
    public static final UidRanges EMPTY = new UidRanges(new long[0]);

    /** Invariant: {@code lo[i] <= hi[i] < lo[i+1] - 1}, stored as pairs {lo0, hi0, lo1, hi1, ...}. */
    private final long[] bounds;

    private UidRanges(long[] bounds) {
        this.bounds = bounds;
    }

    /** The UIDs of a collection, in any order, duplicates allowed. */
    public static UidRanges of(Collection<Long> uids) {
        Builder b = new Builder();
        for (long uid : new TreeSet<>(uids)) {
            b.add(uid, uid);
        }
        return b.build();
    }

    /**
     * Parses a {@code sequence-set} of explicit UIDs ({@code 1:3,7,9:10}); ranges written backwards
     * are accepted, {@code *}, zero and numbers above {@link #MAX_UID} are not. The work and the
     * memory are linear in the length of the text, whatever the ranges span.
     *
     * @throws IllegalArgumentException on anything else, naming what was wrong
     */
    public static UidRanges parse(String set) {
        if (set.isEmpty()) {
            throw new IllegalArgumentException("empty UID set");
        }
        List<long[]> parts = new ArrayList<>();
        for (String part : set.split(",", -1)) {
            int colon = part.indexOf(':');
            long a = uid(colon < 0 ? part : part.substring(0, colon));
            long b = colon < 0 ? a : uid(part.substring(colon + 1));
            parts.add(new long[] {Math.min(a, b), Math.max(a, b)});
        }
        parts.sort((x, y) -> Long.compare(x[0], y[0]));
        Builder b = new Builder();
        for (long[] p : parts) {
            b.add(p[0], p[1]);
        }
        return b.build();
    }

    private static long uid(String s) {
        if (s.isEmpty() || s.length() > 10) {
            throw new IllegalArgumentException("bad UID \"" + s + "\" in set");
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("bad UID \"" + s + "\" in set");
            }
            v = v * 10 + (c - '0');
        }
        if (v == 0 || v > MAX_UID) {
            throw new IllegalArgumentException("UID " + s + " out of range in set");
        }
        return v;
    }

    /** Appends ranges in ascending order of their start, merging overlaps and neighbours. */
    private static final class Builder {
        private long[] out = new long[8];
        private int n;

        void add(long lo, long hi) {
            if (n > 0 && lo <= out[n - 1] + 1) {
                out[n - 1] = Math.max(out[n - 1], hi);
                return;
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = lo;
            out[n++] = hi;
        }

        UidRanges build() {
            return n == 0 ? EMPTY : new UidRanges(Arrays.copyOf(out, n));
        }
    }

    public boolean isEmpty() {
        return bounds.length == 0;
    }

    /** How many UIDs the set holds (up to 2^32 - 1, so never overflows). */
    public long count() {
        long c = 0;
        for (int i = 0; i < bounds.length; i += 2) {
            c += bounds[i + 1] - bounds[i] + 1;
        }
        return c;
    }

    public boolean contains(long uid) {
        int lo = 0;
        int hi = bounds.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (uid < bounds[2 * mid]) {
                hi = mid - 1;
            } else if (uid > bounds[2 * mid + 1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** The candidates that the set holds, in the candidates' order: bounded by their number, not by the set's span. */
    public List<Long> within(Collection<Long> candidates) {
        List<Long> out = new ArrayList<>();
        for (long uid : candidates) {
            if (contains(uid)) {
                out.add(uid);
            }
        }
        return out;
    }

    /**
     * Every UID, ascending.
     *
     * @throws IllegalStateException when the set holds more than {@code limit} UIDs
     */
    public List<Long> toList(int limit) {
        long c = count();
        if (c > limit) {
            throw new IllegalStateException("UID set of " + c + " UIDs, more than " + limit);
        }
        List<Long> out = new ArrayList<>((int) c);
        for (int i = 0; i < bounds.length; i += 2) {
            for (long u = bounds[i]; u <= bounds[i + 1]; u++) {
                out.add(u);
            }
        }
        return out;
    }

    /** The union of two sets. */
    public UidRanges union(UidRanges other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        Builder b = new Builder();
        int i = 0;
        int j = 0;
        while (i < bounds.length || j < other.bounds.length) {
            boolean mine = j >= other.bounds.length || (i < bounds.length && bounds[i] <= other.bounds[j]);
            if (mine) {
                b.add(bounds[i], bounds[i + 1]);
                i += 2;
            } else {
                b.add(other.bounds[j], other.bounds[j + 1]);
                j += 2;
            }
        }
        return b.build();
    }

    /** The set written as an IMAP sequence-set ({@code 1:3,7}); empty for an empty set. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bounds.length; i += 2) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(bounds[i]);
            if (bounds[i + 1] != bounds[i]) {
                sb.append(':').append(bounds[i + 1]);
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UidRanges u && Arrays.equals(bounds, u.bounds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bounds);
    }

    /** UIDs formatted as a compact set, {@code 1:3,7,9:10}; the input order and duplicates do not matter. */
    public static String format(Collection<Long> uids) {
        return of(uids).toString();
    }
}
