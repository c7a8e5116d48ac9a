package org.camelinterimap.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** --no-delivery advances the statefile without talking to the delivery server (migration from fetchmail). */
@ExtendWith(DovecotRig.class)
class PullNoDeliveryIT {
    @TempDir
    Path dir;

    @Test
    void advancesTheStatefileOnlyThenDeliversWhatCameAfter() throws Exception {
        PullFixture f = new PullFixture(dir, "lmtp:[127.0.0.1]:1", "");
        f.put(2, "old");
        Cli.Result r = f.run("--no-delivery");
        assertEquals(0, r.exit(), r.output());
        assertEquals(3, f.state()[1]);

        Files.writeString(f.config, Files.readString(f.config).replace("lmtp:[127.0.0.1]:1",
                "lmtp:[127.0.0.1]:" + DovecotRig.remote().lmtpPort()));
        f.put(1, "new");
        Cli.Result next = f.run();
        assertEquals(0, next.exit(), next.output());
        assertEquals(1, f.delivered().size());
        assertEquals("new 0", f.delivered().get(0).subject());
    }
}
