package org.camelinterimap.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.camelinterimap.config.ConfigException;
import org.camelinterimap.config.PullimapConfig;
import org.camelinterimap.config.XdgPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pullimap's configuration: defaults of pullimap(1), deliver-method syntax, XDG statefile location. */
class PullimapConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaults() throws Exception {
        Path file = dir.resolve("config");
        Files.writeString(file, "host = imap.example.org\n[account]\nusername = me\n");
        XdgPaths xdg = new XdgPaths(Map.of("XDG_DATA_HOME", dir.resolve("data").toString(), "HOME", dir.toString()));
        PullimapConfig c = PullimapConfig.load(file, "account", xdg);
        assertEquals(dir.resolve("data/pullimap/account"), c.statefile());
        assertEquals("INBOX", c.mailbox());
        assertEquals(new PullimapConfig.DeliverMethod(false, "127.0.0.1", 25), c.deliverMethod());
        assertEquals("localhost.localdomain", c.deliverEhlo());
        assertEquals(System.getProperty("user.name"), c.deliverRcpt());
        assertEquals(-1, c.purgeAfter());
        assertEquals("imap.example.org", c.connection().host(), "options of the default section apply");
        assertEquals(993, c.connection().port());
    }

    @Test
    void deliverMethods() {
        assertEquals(new PullimapConfig.DeliverMethod(true, "::1", 24), PullimapConfig.parseDeliverMethod("lmtp:[::1]:24"));
        assertEquals(new PullimapConfig.DeliverMethod(false, "mx.example", 2525), PullimapConfig.parseDeliverMethod("SMTP:mx.example:2525"));
        assertThrows(IllegalArgumentException.class, () -> PullimapConfig.parseDeliverMethod("smtp:[127.0.0.1]"));
        assertThrows(IllegalArgumentException.class, () -> PullimapConfig.parseDeliverMethod("lmtp:[127.0.0.1]:70000"));
    }

    @Test
    void unknownOptionAndBadPurgeAreRefused() throws Exception {
        Path file = dir.resolve("config");
        XdgPaths xdg = new XdgPaths(Map.of("HOME", dir.toString()));
        Files.writeString(file, "[a]\ndeliver-to = x\n");
        ConfigException e = assertThrows(ConfigException.class, () -> PullimapConfig.load(file, "a", xdg));
        assertTrue(e.getMessage().contains("unknown option 'deliver-to' in [a]"), e.getMessage());
        Files.writeString(file, "[a]\npurge-after = soon\n");
        assertThrows(ConfigException.class, () -> PullimapConfig.load(file, "a", xdg));
    }
}
