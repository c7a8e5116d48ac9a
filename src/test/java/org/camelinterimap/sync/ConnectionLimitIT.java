package org.camelinterimap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.camelinterimap.imap.ImapConnection;
import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.camelinterimap.rig.HostileProxy;
import org.camelinterimap.rig.HostileProxy.Rule;
import org.camelinterimap.rig.TestImap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that refuses more than two connections per user (as Dovecot's
 * mail_max_userip_connections does, when webmail and other clients hold the rest): a pass with
 * four connections configured goes on with the two it has, and completes.
 */
@ExtendWith(DovecotRig.class)
class ConnectionLimitIT {

    @Test
    void aServerRefusingMoreConnectionsGetsFewerAndThePassCompletes(@TempDir Path dir) throws Exception {
        String user = DovecotRig.user("connlimit");
        try (HostileProxy remote = HostileProxy.to(DovecotRig.remote())) {
            // the first two connections are served; every later one is turned away at once
            for (int n = 3; n <= 40; n++) {
                remote.rule(Rule.greeting().onConnection(n)
                        .replaceWith("* BYE Maximum number of connections from user+IP exceeded (mail_max_userip_connections=2)\r\n")
                        .closeAfter(1000));
            }
            try (TestImap l = TestImap.connect(DovecotRig.local(), user)) {
                for (int m = 0; m < 6; m++) {
                    l.create("Box" + m, true);
                }
            }
            try (ImapConnection c = ImapConnection.open(new org.camelinterimap.config.ConnectionConfig("local",
                    org.camelinterimap.config.ConnectionConfig.Type.IMAP, "127.0.0.1", DovecotRig.local().imapPort(), null,
                    false, false, List.of("PLAIN"), user, DovecotRig.PASSWORD, false, true, null, null, List.of(), null,
                    null, null), null, false)) {
                for (int m = 0; m < 6; m++) {
                    List<ImapConnection.AppendItem> items = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                        items.add(new ImapConnection.AppendItem(List.of(), null, SyncFixture.message("Box" + m + "-" + i)));
                    }
                    c.append("Box" + m, items);
                }
            }
            Path config = dir.resolve("interimap.conf");
            Files.writeString(config, "database = " + dir.resolve("interimap.db") + "\nmax-connections = 4\n"
                    + "[local]\ntype = imap\nhost = 127.0.0.1\nport = " + DovecotRig.local().imapPort() + "\nSTARTTLS = NO\n"
                    + "username = " + user + "\npassword = " + DovecotRig.PASSWORD + "\n\n"
                    + "[remote]\ntype = imap\nhost = 127.0.0.1\nport = " + remote.port() + "\nSTARTTLS = NO\ncompress = NO\n"
                    + "username = " + user + "\npassword = " + DovecotRig.PASSWORD + "\n");
            Cli.Result r = Cli.finish(Cli.start("interimap", Map.of(), "--config=" + config));
            assertEquals(0, r.exit(), r::output);
            assertTrue(r.output().contains("going on with"), () -> "the lowered limit is reported:\n" + r.output());
            assertTrue(!r.output().contains("ERROR"), r::output);
            try (TestImap rt = TestImap.connect(DovecotRig.remote(), user)) {
                for (int m = 0; m < 6; m++) {
                    assertEquals(5, rt.messages("Box" + m).size(), "Box" + m);
                }
            }
        }
    }
}
