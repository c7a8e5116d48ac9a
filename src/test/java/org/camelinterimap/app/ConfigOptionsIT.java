package org.camelinterimap.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.camelinterimap.rig.TestImap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The options of interimap(1)'s configuration file that choose mailboxes, name the database and shape the log. */
@ExtendWith(DovecotRig.class)
class ConfigOptionsIT {

    private static Path config(Path dir, String user, String defaults, String localExtra) throws Exception {
        Path config = dir.resolve("config");
        Files.writeString(config, defaults + "\n" + DovecotRig.interimapSections(user)
                .replace("[local]\n", "[local]\n" + localExtra));
        return config;
    }

    private static Cli.Result run(Path config, Map<String, String> env) throws Exception {
        return Cli.finish(Cli.start("interimap", env, "--config=" + config));
    }

    private static List<String> remoteFolders(String user) throws Exception {
        try (TestImap remote = TestImap.connect(DovecotRig.remote(), user)) {
            return remote.folders();
        }
    }

    @Test
    void ignoreMailboxLeavesOutAMailboxAndItsChildren(@TempDir Path dir) throws Exception {
        String user = DovecotRig.user("ignore");
        try (TestImap local = TestImap.connect(DovecotRig.local(), user)) {
            local.create("keep", true);
            local.create("virtual", true);
            local.create("virtual/sub", true);
            local.create("virtualish", true);
        }
        Path config = config(dir, user, "database = " + dir.resolve("db") + "\nignore-mailbox = ^virtual(?:\\x00|$)", "");
        Cli.Result r = run(config, Map.of());
        assertEquals(0, r.exit(), r.output());
        List<String> folders = remoteFolders(user);
        assertTrue(folders.contains("keep") && folders.contains("virtualish"), folders.toString());
        assertFalse(folders.contains("virtual") || folders.contains("virtual.sub"), folders.toString());
    }

    @Test
    void listMailboxAndSubscribedSelectionNarrowTheSync(@TempDir Path dir) throws Exception {
        String user = DovecotRig.user("select");
        try (TestImap local = TestImap.connect(DovecotRig.local(), user)) {
            local.create("a/sub", true);
            local.create("a/unsub", false);
            local.create("b", true);
        }
        Path config = config(dir, user, "database = " + dir.resolve("db") + "\nlist-mailbox = \"a\\x00*\"\n"
                + "list-select-opts = SUBSCRIBED", "");
        Cli.Result r = run(config, Map.of());
        assertEquals(0, r.exit(), r.output());
        List<String> folders = remoteFolders(user);
        assertTrue(folders.contains("a.sub"), folders.toString());
        assertFalse(folders.contains("a.unsub"), "not subscribed: " + folders);
        assertFalse(folders.contains("b"), "outside list-mailbox: " + folders);
    }

    @Test
    void listReferenceMapsTheOtherServerOntoASubtree(@TempDir Path dir) throws Exception {
        String user = DovecotRig.user("reference");
        try (TestImap local = TestImap.connect(DovecotRig.local(), user)) {
            local.create("perso/work", true);
            local.append("perso/work", "under the reference");
            local.create("elsewhere", true);
        }
        Path config = config(dir, user, "database = " + dir.resolve("db"), "list-reference = perso/\n");
        Cli.Result r = run(config, Map.of());
        assertEquals(0, r.exit(), r.output());
        try (TestImap remote = TestImap.connect(DovecotRig.remote(), user)) {
            assertTrue(remote.folders().contains("work"), remote.folders().toString());
            assertFalse(remote.folders().contains("elsewhere"), remote.folders().toString());
            assertEquals("under the reference", remote.messages("work").get(0).subject());
        }
    }

    @Test
    void logfileLogPrefixAndTheDefaultDatabasePath(@TempDir Path dir) throws Exception {
        String user = DovecotRig.user("logging");
        try (TestImap local = TestImap.connect(DovecotRig.local(), user)) {
            local.append("INBOX", "logged");
        }
        Path log = dir.resolve("interimap.log");
        Path config = config(dir, user, "logfile = " + log + "\nlog-prefix = [%n|%m]>", "");
        Path data = dir.resolve("data");
        Cli.Result r = run(config, Map.of("XDG_DATA_HOME", data.toString()));
        assertEquals(0, r.exit(), r.output());
        assertEquals("", r.output(), "everything goes to the logfile");
        String logged = Files.readString(log);
        assertTrue(logged.contains("[remote|INBOX]>Added 1 UID(s) 1 -> 1"), logged);
        assertTrue(logged.contains("[database|]>Created mailbox INBOX"), logged);
        // default database: HOST.db under $XDG_DATA_HOME/interimap, HOST from [remote]
        assertTrue(Files.isRegularFile(data.resolve("interimap").resolve("localhost.db")));
    }
}
