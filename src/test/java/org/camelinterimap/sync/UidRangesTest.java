package org.camelinterimap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class UidRangesTest {

    @Test
    void formatsCompactSortedRanges() {
        assertEquals("1:3,7,9:10", UidRanges.format(List.of(10L, 9L, 7L, 3L, 2L, 1L, 2L)));
        assertEquals("5", UidRanges.format(List.of(5L)));
        assertEquals("", UidRanges.format(List.of()));
        assertEquals("4294967294:4294967295", UidRanges.format(List.of(4294967295L, 4294967294L)));
    }

    @Test
    void parsesRangesEitherWayAndMergesThem() {
        assertEquals(List.of(1L, 2L, 3L, 7L), UidRanges.parse("1:3,7").toList(10));
        assertEquals(List.of(4L, 5L, 6L), UidRanges.parse("6:4").toList(10));
        assertEquals("1:9", UidRanges.parse("5:9,1:4,2").toString());
        assertEquals(List.of(12L), UidRanges.parse("12").toList(10));
    }

    @Test
    void roundTrip() {
        List<Long> uids = List.of(1L, 2L, 5L, 6L, 7L, 100L);
        assertEquals(uids, UidRanges.parse(UidRanges.format(uids)).toList(uids.size()));
    }

    @Test
    void refusesWhatIsNotASetOfUids() {
        for (String bad : List.of("", "1:*", "*", "0", "1:4294967296", "-1", "1,,2", "1:", "a", " 12", "99999999999999999999")) {
            assertThrows(IllegalArgumentException.class, () -> UidRanges.parse(bad), bad);
        }
    }

    @Test
    void theWholeUidSpaceStaysTwoNumbers() {
        UidRanges all = UidRanges.parse("1:4294967295");
        assertEquals(4294967295L, all.count());
        assertTrue(all.contains(1) && all.contains(4294967295L));
        assertFalse(all.contains(0));
        assertEquals(List.of(3L, 17L), all.within(List.of(3L, 17L)));
        assertThrows(IllegalStateException.class, () -> all.toList(1000));
    }

    @Test
    void unionAndMembership() {
        UidRanges a = UidRanges.parse("1:3,10:12");
        UidRanges b = UidRanges.parse("4,11:20,30");
        UidRanges u = a.union(b);
        assertEquals("1:4,10:20,30", u.toString());
        assertEquals(16, u.count());
        assertTrue(u.contains(4) && u.contains(30) && !u.contains(5) && !u.contains(21));
        assertEquals(u, b.union(a));
        assertEquals(a, a.union(UidRanges.EMPTY));
        assertEquals(List.of(30L, 2L), u.within(List.of(30L, 5L, 2L)));
    }
}
