package org.camelinterimap.sync;

import java.util.Collection;
import java.util.TreeSet;

/** UIDs written as ranges, {@code 1:3,7,9:10}: the IMAP sequence-set form, also used in log lines. */
public final class UidRanges {
    private UidRanges() {
    }

    /** The input order and duplicates do not matter. */
    public static String format(Collection<Long> uids) {
        StringBuilder sb = new StringBuilder();
        long start = -1;
        long prev = -1;
        for (long uid : new TreeSet<>(uids)) {
            if (start < 0) {
                start = prev = uid;
            } else if (uid == prev + 1) {
                prev = uid;
            } else {
                append(sb, start, prev);
                start = prev = uid;
            }
        }
        if (start >= 0) {
            append(sb, start, prev);
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, long from, long to) {
        if (sb.length() > 0) {
            sb.append(',');
        }
        sb.append(from);
        if (to != from) {
            sb.append(':').append(to);
        }
    }
}
