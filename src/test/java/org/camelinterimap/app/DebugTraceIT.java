package org.camelinterimap.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** --debug traces the IMAP dialogue; the credentials appear only with --debug given twice. */
@ExtendWith(DovecotRig.class)
class DebugTraceIT {

    @Test
    void credentialsAreHiddenUnlessDebugIsGivenTwice(@TempDir Path dir) throws Exception {
        String user = DovecotRig.user("debug");
        Path config = DovecotRig.writeInterimapConfig(dir, user, "");
        String secret = Base64.getEncoder().encodeToString(("\0" + user + "\0" + DovecotRig.PASSWORD)
                .getBytes(StandardCharsets.UTF_8));

        Cli.Result once = Cli.run("interimap", "--config=" + config, "--debug");
        assertEquals(0, once.exit(), once.output());
        assertTrue(once.stderr().contains("remote: ") && once.stderr().contains("LIST"), "the dialogue is traced");
        assertFalse(once.output().contains(secret), "credentials hidden");

        Cli.Result twice = Cli.run("interimap", "--config=" + config, "--debug", "--debug");
        assertEquals(0, twice.exit(), twice.output());
        // PLAIN with an initial response (SASL-IR): one command, credentials on the same line
        assertTrue(twice.stderr().contains("AUTHENTICATE PLAIN " + secret), twice.stderr());
    }
}
