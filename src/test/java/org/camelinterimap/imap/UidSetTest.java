package org.camelinterimap.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class UidSetTest {

    @Test
    void formatsCompactSortedRanges() {
        assertEquals("1:3,7,9:10", UidSet.format(List.of(10L, 9L, 7L, 3L, 2L, 1L, 2L)));
        assertEquals("5", UidSet.format(List.of(5L)));
        assertEquals("", UidSet.format(List.of()));
        assertEquals("4294967294:4294967295", UidSet.format(List.of(4294967295L, 4294967294L)));
    }

    @Test
    void parsesRangesEitherWay() {
        assertEquals(List.of(1L, 2L, 3L, 7L), UidSet.parse("1:3,7"));
        assertEquals(List.of(4L, 5L, 6L), UidSet.parse("6:4"));
        assertEquals(List.of(), UidSet.parse(""));
        assertEquals(List.of(12L), UidSet.parse(" 12 "));
    }

    @Test
    void roundTrip() {
        List<Long> uids = List.of(1L, 2L, 5L, 6L, 7L, 100L);
        assertEquals(uids, UidSet.parse(UidSet.format(uids)));
    }

    @Test
    void starIsRefused() {
        assertThrows(NumberFormatException.class, () -> UidSet.parse("1:*"));
    }
}
