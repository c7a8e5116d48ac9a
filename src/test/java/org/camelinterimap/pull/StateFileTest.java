package org.camelinterimap.pull;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pullimap's statefile layout: big-endian UIDVALIDITY, UIDNEXT, delivered UIDs; locking; creation rules. */
class StateFileTest {
    @TempDir
    Path dir;

    @Test
    void layoutThroughABatch() throws Exception {
        Path p = dir.resolve("sub/state");
        try (StateFile s = StateFile.open(p, true)) {
            assertTrue(s.isNew());
            s.initialise(0xfedcba98L);
            s.recordDelivered(1);
            s.recordDelivered(0x01020304L);
            assertArrayEquals(new byte[] {(byte) 0xfe, (byte) 0xdc, (byte) 0xba, (byte) 0x98, 0, 0, 0, 1, 0, 0, 0, 1, 1, 2, 3, 4},
                    Files.readAllBytes(p));
            s.commit(0x01020305L, Set.of());
            assertArrayEquals(new byte[] {(byte) 0xfe, (byte) 0xdc, (byte) 0xba, (byte) 0x98, 1, 2, 3, 5}, Files.readAllBytes(p));
        }
        try (StateFile s = StateFile.open(p, false)) {
            assertEquals(0xfedcba98L, s.uidValidity());
            assertEquals(0x01020305L, s.uidNext());
            assertTrue(s.stalled().isEmpty());
        }
    }

    @Test
    void uidsOfAnInterruptedBatchAreStalledAndCanBeKept() throws Exception {
        Path p = dir.resolve("state");
        Files.write(p, new byte[] {0, 0, 0, 7, 0, 0, 0, 5, 0, 0, 0, 6, 0, 0, 0, 8, 0, 0, 0, 3});
        try (StateFile s = StateFile.open(p, false)) {
            assertEquals(Set.of(6L, 8L), s.stalled(), "UIDs below UIDNEXT are no longer pending");
            s.commit(7, Set.of(8L));
            assertArrayEquals(new byte[] {0, 0, 0, 7, 0, 0, 0, 7, 0, 0, 0, 8}, Files.readAllBytes(p));
            assertEquals(List.of(8L), s.listed());
        }
    }

    @Test
    void exclusiveLockAndNoCreationUnderIdle() throws Exception {
        Path p = dir.resolve("state");
        StateFile.StateException missing = assertThrows(StateFile.StateException.class, () -> StateFile.open(p, false));
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
        try (StateFile s = StateFile.open(p, true)) {
            StateFile.StateException locked = assertThrows(StateFile.StateException.class, () -> StateFile.open(p, true));
            assertTrue(locked.getMessage().contains("another pullimap is running"), locked.getMessage());
        }
        StateFile.open(p, false).close();
    }

    @Test
    void corruptFileIsRefused() throws Exception {
        Path p = dir.resolve("state");
        Files.write(p, new byte[] {1, 2, 3, 4, 5});
        StateFile.StateException e = assertThrows(StateFile.StateException.class, () -> StateFile.open(p, false));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void aNewStatefileIs0600InDirectoriesMade0700() throws Exception {
        Path p = dir.resolve("data/pullimap/account");
        try (StateFile s = StateFile.open(p, true)) {
            s.initialise(7);
        }
        assertEquals("rw-------", mode(p));
        assertEquals("rwx------", mode(dir.resolve("data/pullimap")));
        assertEquals("rwx------", mode(dir.resolve("data")));
    }

    @Test
    void anExistingStatefileKeepsItsMode() throws Exception {
        Path p = dir.resolve("state");
        Files.write(p, new byte[] {0, 0, 0, 7, 0, 0, 0, 5});
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r-----"));
        StateFile.open(p, true).close();
        assertEquals("rw-r-----", mode(p));
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
