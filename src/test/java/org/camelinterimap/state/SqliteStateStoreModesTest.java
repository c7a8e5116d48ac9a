package org.camelinterimap.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database is private to its user, as interimap(1) makes it: file and journal 0600, new directories 0700. */
class SqliteStateStoreModesTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void newDatabaseJournalAndDirectoriesArePrivate() throws Exception {
        Path db = dir.resolve("data/interimap/host.db");
        List<String> created = new ArrayList<>();
        try (SqliteStateStore store = SqliteStateStore.open(db, created)) {
            assertEquals(1, created.size(), "a new schema: " + created);
            store.addMailbox("INBOX", true, 1, 2);
            assertEquals("rw-------", mode(db));
            assertEquals("rwx------", mode(dir.resolve("data/interimap")));
            assertEquals("rwx------", mode(dir.resolve("data")));
            // under the exclusive lock, SQLite keeps the rollback journal between transactions
            Path journal = Path.of(db + "-journal");
            assertTrue(Files.exists(journal), "the journal of the last write transaction");
            assertEquals("rw-------", mode(journal));
        }
        try (SqliteStateStore store = SqliteStateStore.open(db, null)) {
            assertTrue(store.mailboxes().containsKey("INBOX"), "the empty file became a database");
        }
    }

    @Test
    void existingFilesAndDirectoriesKeepTheirModes() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("mine"));
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwxr-x---"));
        Path db = sub.resolve("host.db");
        try (SqliteStateStore store = SqliteStateStore.open(db, null)) {
            store.addMailbox("INBOX", true, 1, 2);
        }
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r-----"));
        try (SqliteStateStore store = SqliteStateStore.open(db, null)) {
            store.addMailbox("Archive", true, 3, 4);
        }
        assertEquals("rwxr-x---", mode(sub));
        assertEquals("rw-r-----", mode(db));
    }
}
