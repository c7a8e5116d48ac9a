package org.camelinterimap.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void directoriesMadeHereAre0700AndExistingOnesKeepTheirMode() throws Exception {
        Path mine = Files.createDirectory(dir.resolve("a"));
        Files.setPosixFilePermissions(mine, PosixFilePermissions.fromString("rwxr-xr-x"));
        PrivateFiles.createDirectories(mine.resolve("b/c"));
        assertEquals("rwxr-xr-x", mode(mine));
        assertEquals("rwx------", mode(mine.resolve("b")));
        assertEquals("rwx------", mode(mine.resolve("b/c")));
        PrivateFiles.createDirectories(mine.resolve("b/c"));
        assertEquals("rwx------", mode(mine.resolve("b/c")), "nothing to do the second time");
    }

    @Test
    void aFileInTheWayOfADirectoryIsAnError() throws Exception {
        Files.createFile(dir.resolve("f"));
        assertThrows(FileAlreadyExistsException.class, () -> PrivateFiles.createDirectories(dir.resolve("f/sub")));
    }

    @Test
    void filesMadeHereAre0600AndExistingOnesAreLeftAlone() throws Exception {
        Path f = dir.resolve("new");
        assertTrue(PrivateFiles.createFile(f));
        assertEquals("rw-------", mode(f));
        assertEquals(0, Files.size(f));

        Path old = Files.writeString(dir.resolve("old"), "kept");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));
        assertFalse(PrivateFiles.createFile(old));
        assertEquals("rw-r--r--", mode(old));
        assertEquals("kept", Files.readString(old));
    }
}
