package org.camelinterimap.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No password in the printed form of a configuration, whatever holds it. */
class ConnectionConfigTest {
    private static final String PASSWORD = "hunter2-Pa55word";

    @TempDir
    Path dir;

    @Test
    void toStringMasksThePasswordAndShowsEveryOtherComponent() throws Exception {
        Path file = Files.writeString(dir.resolve("config"),
                "[local]\ntype = tunnel\ncommand = doveadm exec imap\n"
                + "[remote]\nhost = imap.example.org\nusername = me\npassword = " + PASSWORD + "\n");
        ConnectionConfig remote = ConnectionConfig.from(IniFile.load(file), "remote", true);
        String s = remote.toString();
        assertFalse(s.contains(PASSWORD), s);
        assertTrue(s.startsWith("ConnectionConfig[name=remote, type=IMAPS, host=imap.example.org, port=993, "), s);
        assertTrue(s.contains(", username=me, password=***, "), s);
        for (RecordComponent c : ConnectionConfig.class.getRecordComponents()) {
            assertTrue(s.contains(c.getName() + "="), c.getName() + " in " + s);
        }
        assertEquals(PASSWORD, remote.password(), "the accessor still gives it");

        ConnectionConfig local = ConnectionConfig.from(IniFile.load(file), "local", false);
        assertTrue(local.toString().contains(", password=null, "), "unset: " + local);
    }

    @Test
    void theConfigurationsHoldingOneDoNotPrintItEither() throws Exception {
        Path file = Files.writeString(dir.resolve("config"),
                "password = " + PASSWORD + "\n[local]\nhost = a.example\n[remote]\nhost = b.example\n");
        XdgPaths xdg = new XdgPaths(Map.of("HOME", dir.toString(), "XDG_DATA_HOME", dir.toString()));
        assertFalse(InterimapConfig.load(file, xdg).toString().contains(PASSWORD));
        Path pull = Files.writeString(dir.resolve("pull"), "password = " + PASSWORD + "\n[account]\nhost = c.example\n");
        assertFalse(PullimapConfig.load(pull, "account", xdg).toString().contains(PASSWORD));
    }
}
