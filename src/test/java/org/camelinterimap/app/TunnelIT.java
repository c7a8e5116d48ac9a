package org.camelinterimap.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.camelinterimap.rig.TestImap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** type=tunnel, as in interimap's sample configuration: the local side is {@code doveadm exec imap} (PREAUTH). */
@ExtendWith(DovecotRig.class)
class TunnelIT {

    @Test
    void syncsThroughATunnelledLocalServer(@TempDir Path dir) throws Exception {
        String user = DovecotRig.user("tunnel");
        try (TestImap local = TestImap.connect(DovecotRig.local(), user)) {
            local.append("INBOX", "through the tunnel", "\\Seen");
        }
        Path config = dir.resolve("config");
        Files.writeString(config, "database = " + dir.resolve("state.db") + "\n\n"
                + "[local]\ntype = tunnel\ncommand = doveadm -c " + DovecotRig.dovecotConfig(DovecotRig.local())
                + " exec imap -u " + user + "\nnull-stderr = YES\n\n"
                + "[remote]\ntype = imaps\nhost = localhost\nport = " + DovecotRig.remote().imapsPort() + "\n"
                + "SSL_CAfile = " + DovecotRig.caFile() + "\nusername = " + user + "\npassword = " + DovecotRig.PASSWORD + "\n");
        Cli.Result first = Cli.run("interimap", "--config=" + config);
        assertEquals(0, first.exit(), first.output());
        assertTrue(first.stderr().contains("remote(INBOX): Added 1 UID(s) 1 -> 1"), first.output());
        try (TestImap remote = TestImap.connect(DovecotRig.remote(), user)) {
            List<TestImap.Msg> msgs = remote.messages("INBOX");
            assertEquals(1, msgs.size());
            assertEquals("through the tunnel", msgs.get(0).subject());
            assertTrue(msgs.get(0).flags().contains("\\Seen"));
        }
        Cli.Result second = Cli.run("interimap", "--config=" + config);
        assertEquals(0, second.exit(), second.output());
        // nothing to do: only the traffic lines, the tunnel's counted like a socket's
        assertTrue(second.stderr().matches("local: IMAP traffic \\(bytes\\): recv \\S+ sent \\d+\n"
                + "remote: IMAP traffic \\(bytes\\): recv .*\n"), second.output());
    }
}
