package org.camelinterimap.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.camelinterimap.sync.MailboxCommands.Target;
import org.camelinterimap.sync.StateStore.RenameIntent;
import org.camelinterimap.sync.SyncException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rename journal: an extra table, durable, ended in the same transaction as the rename of the rows. */
class SqliteStateStoreRenamesTest {
    @TempDir
    Path dir;

    private static Set<String> names(SqliteStateStore store) throws SyncException {
        Set<String> out = new TreeSet<>();
        store.mailboxes().keySet().forEach(n -> out.add(n.replace('\0', '/')));
        return out;
    }

    private SqliteStateStore populated() throws SyncException {
        SqliteStateStore store = SqliteStateStore.open(dir.resolve("db"), null);
        for (String n : List.of("Old", "Old\0Kid", "Old\0Kid\0Deep", "Older", "Other")) {
            store.addMailbox(n, false, 1, 2);
        }
        return store;
    }

    @Test
    void intentsSurviveAReopenAndEndWithTheRenameOfParentAndChildren() throws Exception {
        RenameIntent recorded;
        try (SqliteStateStore store = populated()) {
            recorded = store.recordRename("Old", "New\0Place", EnumSet.allOf(Target.class));
        }
        try (SqliteStateStore store = SqliteStateStore.open(dir.resolve("db"), null)) {
            assertEquals(List.of(recorded), store.renames(), "durable, names and targets as recorded");
            assertEquals(3, store.finishRename(recorded));
            assertEquals(Set.of("New/Place", "New/Place/Kid", "New/Place/Kid/Deep", "Older", "Other"), names(store));
            assertEquals(List.of(), store.renames());
        }
    }

    @Test
    void aTakenNameChangesNothingAndIsNotFatal() throws Exception {
        try (SqliteStateStore store = populated()) {
            RenameIntent intent = store.recordRename("Old", "Other", EnumSet.allOf(Target.class));
            SyncException e = assertThrows(SyncException.class, () -> store.finishRename(intent));
            assertFalse(e.fatal(), e.getMessage());
            assertEquals(Set.of("Old", "Old/Kid", "Old/Kid/Deep", "Older", "Other"), names(store));
            assertEquals(List.of(intent), store.renames(), "the intent stays");
            store.dropRename(intent.id());
            assertEquals(List.of(), store.renames());
        }
    }

    @Test
    void withoutTheDatabaseTargetOnlyTheIntentEnds() throws Exception {
        try (SqliteStateStore store = populated()) {
            RenameIntent intent = store.recordRename("Old", "New", EnumSet.of(Target.LOCAL, Target.REMOTE));
            assertEquals(EnumSet.of(Target.LOCAL, Target.REMOTE), store.renames().get(0).targets());
            assertEquals(0, store.finishRename(intent));
            assertTrue(names(store).contains("Old"));
            assertEquals(List.of(), store.renames());
        }
    }

    @Test
    void anInterimapDatabaseGetsTheTableAndKeepsItsSchema() throws Exception {
        Path db = dir.resolve("db");
        try (SqliteStateStore store = populated()) {
            store.recordRename("Old", "New", EnumSet.allOf(Target.class));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("PRAGMA user_version")) {
                assertEquals(1, rs.getInt(1), "the version interimap 0.5 expects");
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM camel_interimap_renames")) {
                assertEquals(1, rs.getInt(1));
            }
            // as a database that interimap(1) alone wrote: no table of ours
            st.executeUpdate("DROP TABLE camel_interimap_renames");
        }
        try (SqliteStateStore store = SqliteStateStore.open(db, null)) {
            assertEquals(List.of(), store.renames(), "created again, empty");
        }
    }
}
