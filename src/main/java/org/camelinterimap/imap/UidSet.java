package org.camelinterimap.imap;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.camelinterimap.sync.UidRanges;

/** IMAP sequence sets of UIDs (RFC 3501 section 9, {@code sequence-set}): formatting and parsing. */
public final class UidSet {
    private UidSet() {
    }

    /** Formats UIDs as a compact set, {@code 1:3,7,9:10}; the input order and duplicates do not matter. */
    public static String format(Collection<Long> uids) {
        return UidRanges.format(uids);
    }

    /** Parses a set of explicit UIDs ({@code 1:3,7}); ranges given backwards are accepted, {@code *} is not. */
    public static List<Long> parse(String set) {
        List<Long> out = new ArrayList<>();
        for (String part : set.trim().split(",")) {
            if (part.isEmpty()) {
                continue;
            }
            int colon = part.indexOf(':');
            if (colon < 0) {
                out.add(Long.parseLong(part));
            } else {
                long a = Long.parseLong(part.substring(0, colon));
                long b = Long.parseLong(part.substring(colon + 1));
                for (long u = Math.min(a, b); u <= Math.max(a, b); u++) {
                    out.add(u);
                }
            }
        }
        return out;
    }
}
