package org.camelinterimap.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.camelinterimap.rig.TestImap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The statefile is pullimap 0.5.7's: the Perl tool and ours continue each other without redelivery. */
@ExtendWith(DovecotRig.class)
class PullStatefileCompatIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void reference() throws Exception {
        DovecotRig.ensureReferenceTools();
    }

    @Test
    void perlThenOursThenPerlDeliverEachMessageOnce() throws Exception {
        PullFixture f = new PullFixture(dir);
        f.put(2, "first");
        Cli.Result perl = f.runReference();
        assertEquals(0, perl.exit(), perl.output());
        assertEquals(2, f.delivered().size());
        long[] perlState = f.state();
        assertEquals(3, perlState[1]);

        f.put(2, "second");
        Cli.Result ours = f.run();
        assertEquals(0, ours.exit(), ours.output());
        assertEquals(4, f.delivered().size(), "ours continued the Perl statefile without redelivery");
        long[] ourState = f.state();
        assertEquals(perlState[0], ourState[0]);
        assertEquals(5, ourState[1]);
        assertEquals(2, ourState.length);

        f.put(1, "third");
        Cli.Result perlAgain = f.runReference();
        assertEquals(0, perlAgain.exit(), perlAgain.output());
        assertEquals(5, f.delivered().size(), "the Perl tool continued ours without redelivery");
        assertEquals(6, f.state()[1]);
    }

    @Test
    void uidsLeftByAnInterruptedRunAreNotDeliveredAgain() throws Exception {
        PullFixture f = new PullFixture(dir);
        assertEquals(0, f.runReference().exit(), "the Perl tool starts the statefile on an empty mailbox");
        long validity = f.state()[0];
        f.put(3, "stalled");
        // as the Perl tool leaves it when killed after delivering UID 2 of a batch
        f.writeState(validity, 1, 2);
        Cli.Result r = f.run();
        assertEquals(0, r.exit(), r.output());
        List<TestImap.Msg> got = f.delivered();
        assertEquals(List.of("stalled 0", "stalled 2"), got.stream().map(TestImap.Msg::subject).toList());
        assertTrue(f.source().stream().allMatch(m -> m.flags().contains("\\Seen")), "the stalled UID is marked \\Seen too");
        assertEquals(List.of(validity, 4L), List.of(f.state()[0], f.state()[1]));
        assertEquals(2, f.state().length);
    }
}
