package org.camelinterimap.imap;

import java.util.Collection;

import org.camelinterimap.sync.UidRanges;

/** IMAP sequence sets of UIDs (RFC 3501 section 9, {@code sequence-set}) as commands carry them. */
public final class UidSet {
    private UidSet() {
    }

    /** Formats UIDs as a compact set, {@code 1:3,7,9:10}; the input order and duplicates do not matter. */
    public static String format(Collection<Long> uids) {
        return UidRanges.format(uids);
    }
}
