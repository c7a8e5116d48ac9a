package org.camelinterimap.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.camelinterimap.rig.TestImap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Delivery into Dovecot over its real LMTP: every new message once, bytes unchanged, source marked \Seen. */
@ExtendWith(DovecotRig.class)
class PullLmtpIT {
    @TempDir
    Path dir;

    @Test
    void deliversNewMessagesUnchangedThenNothingMore() throws Exception {
        PullFixture f = new PullFixture(dir);
        List<byte[]> sent = f.put(3, "lmtp");
        Cli.Result r = f.run();
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.stderr().contains("acc(INBOX): UID 1 from <test@example.org> ("), r.output());

        List<TestImap.Msg> got = f.delivered();
        assertEquals(3, got.size());
        for (int i = 0; i < 3; i++) {
            assertTrue(PullFixture.endsWith(got.get(i).raw(), sent.get(i)), "message " + i + " changed on the way");
        }
        for (TestImap.Msg m : f.source()) {
            assertTrue(m.flags().contains("\\Seen"), "UID " + m.uid() + " not marked \\Seen");
        }
        long[] state = f.state();
        assertEquals(2, state.length, "statefile truncated to UIDVALIDITY, UIDNEXT");
        assertEquals(4, state[1]);

        Cli.Result again = f.run();
        assertEquals(0, again.exit(), again.output());
        assertEquals(3, f.delivered().size(), "a second run delivers nothing again");
        // compress defaults to YES in pullimap
        assertTrue(again.stderr().matches("acc: IMAP traffic \\(bytes\\): recv \\S+ \\(compr\\. \\S+, factor \\d\\.\\d\\d\\)"
                + " sent \\S+ \\(compr\\. \\S+, factor \\d\\.\\d\\d\\)\n"), "only the traffic line:\n" + again.stderr());

        f.put(1, "later");
        Cli.Result quiet = f.run("-q");
        assertEquals(0, quiet.exit(), quiet.output());
        assertEquals("", quiet.output());
        assertEquals(4, f.delivered().size());
        assertEquals(5, f.state()[1]);
    }
}
