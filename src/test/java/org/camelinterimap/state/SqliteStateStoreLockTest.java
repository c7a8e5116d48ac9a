package org.camelinterimap.state;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.camelinterimap.sync.SyncException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Another process reading the database (a user's sqlite3 shell) delays a run; one that keeps it locked stops it. */
class SqliteStateStoreLockTest {
    @TempDir
    Path dir;

    /** A reader in another connection holding a read transaction (a shared lock) until closed. */
    private static Connection reader(Path db) throws Exception {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        c.setAutoCommit(false);
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM mailboxes")) {
            rs.next();
        }
        return c;
    }

    @Test
    void aBriefReaderIsWaitedFor() throws Exception {
        Path db = dir.resolve("host.db");
        try (SqliteStateStore store = SqliteStateStore.open(db, null)) {
            store.addMailbox("INBOX", true, 1, 2);
        }
        Connection reading = reader(db);
        // the reader ends its transaction while the next run waits for the lock
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(500);
                reading.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (SqliteStateStore store = SqliteStateStore.open(db, null)) {
            assertTrue(store.mailboxes().containsKey("INBOX"));
        }
        done.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aLockHeldLongerThanTheBoundIsAClearError() throws Exception {
        Path db = dir.resolve("host.db");
        try (SqliteStateStore first = SqliteStateStore.open(db, null)) {
            SyncException e = assertThrows(SyncException.class, () -> SqliteStateStore.open(db, null));
            assertTrue(e.getMessage().contains("is in use by another process"), e.getMessage());
        }
    }
}
