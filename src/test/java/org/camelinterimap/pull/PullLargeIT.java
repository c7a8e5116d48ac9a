package org.camelinterimap.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.camelinterimap.rig.TestImap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 100 MiB message pulled and delivered over LMTP by a pullimap with a 64 MiB heap: fetched in
 * chunks into a spool file and streamed into DATA, dot-stuffed on the way (its lines start with
 * dots), delivered byte for byte.
 */
@ExtendWith(DovecotRig.class)
class PullLargeIT {
    @TempDir
    Path dir;

    @Test
    void aHundredMebibyteMessageUnder64MebibytesOfHeap() throws Exception {
        PullFixture f = new PullFixture(dir);
        StringBuilder line = new StringBuilder(".a line that starts with a dot, to be stuffed on the way ");
        while (line.length() < 76) {
            line.append('x');
        }
        line.append("\r\n");
        byte[] unit = line.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] head = "From: big@example.org\r\nSubject: big\r\nMessage-ID: <big@example.org>\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        int lines = (100 << 20) / unit.length;
        byte[] raw = new byte[head.length + lines * unit.length];
        System.arraycopy(head, 0, raw, 0, head.length);
        for (int i = 0; i < lines; i++) {
            System.arraycopy(unit, 0, raw, head.length + i * unit.length, unit.length);
        }
        try (TestImap imap = TestImap.connect(DovecotRig.local(), f.user)) {
            imap.append("INBOX", raw, null);
        }
        Cli.Result r = Cli.finish(f.start(Map.of("JAVA_TOOL_OPTIONS", "-Xmx64m -XX:+ExitOnOutOfMemoryError")));
        assertEquals(0, r.exit(), r::output);
        assertFalse(r.output().contains("java.lang.OutOfMemoryError"), r::output);
        List<TestImap.Msg> got = f.delivered();
        assertEquals(1, got.size());
        assertTrue(PullFixture.endsWith(got.get(0).raw(), raw), "the message changed on the way");
    }
}
