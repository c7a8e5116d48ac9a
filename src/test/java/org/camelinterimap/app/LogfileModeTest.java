package org.camelinterimap.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code logfile} of interimap: appended to, and private when this tool creates it. */
class LogfileModeTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aNewLogfileIs0600InDirectoriesMade0700() throws Exception {
        Path log = dir.resolve("logs/interimap/log");
        try (PrintStream out = InterimapCommand.openLog(log)) {
            out.println("one");
        }
        assertEquals("rw-------", mode(log));
        assertEquals("rwx------", mode(dir.resolve("logs/interimap")));
        assertEquals("rwx------", mode(dir.resolve("logs")));
    }

    @Test
    void anExistingLogfileIsAppendedToAndKeepsItsMode() throws Exception {
        Path log = Files.writeString(dir.resolve("log"), "before\n");
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-r--r--"));
        try (PrintStream out = InterimapCommand.openLog(log)) {
            out.println("after");
        }
        assertEquals("before\nafter\n", Files.readString(log));
        assertEquals("rw-r--r--", mode(log));
    }
}
