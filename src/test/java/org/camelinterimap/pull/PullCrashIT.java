package org.camelinterimap.pull;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.camelinterimap.rig.TestImap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** kill -9 at any instant, then a normal run: no message lost, at most the one in flight delivered twice. */
@ExtendWith(DovecotRig.class)
class PullCrashIT {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "halt at {0}")
    @CsvSource({"after-deliver:2, 1", "after-record:2, 0", "before-commit, 0"})
    void haltAtEachStepThenRerun(String step, int duplicates) throws Exception {
        PullFixture f = new PullFixture(dir);
        f.put(3, "crash");
        Cli.Result crashed = Cli.finish(f.start(Map.of("CAMEL_PULLIMAP_CRASH_AT", step)));
        assertEquals(137, crashed.exit(), crashed.output());
        Cli.Result rerun = f.run();
        assertEquals(0, rerun.exit(), rerun.output());
        assertEveryMessageDelivered(f, 3, duplicates);
        assertEquals(4, f.state()[1]);
        assertEquals(2, f.state().length);
    }

    @Test
    void killDashNineDuringARealRun() throws Exception {
        PullFixture f = new PullFixture(dir);
        int n = 150;
        f.put(n, "killed");
        Process p = f.start(Map.of());
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                .until(() -> !p.isAlive() || f.delivered().size() >= 10);
        p.destroyForcibly();
        Cli.finish(p);
        Cli.Result rerun = f.run();
        assertEquals(0, rerun.exit(), rerun.output());
        assertEveryMessageDelivered(f, n, 1);
    }

    private static void assertEveryMessageDelivered(PullFixture f, int n, int maxDuplicates) throws Exception {
        List<TestImap.Msg> got = f.delivered();
        Map<String, Integer> counts = new HashMap<>();
        for (TestImap.Msg m : got) {
            counts.merge(m.subject(), 1, Integer::sum);
        }
        assertEquals(n, counts.size(), "no message lost");
        int duplicates = got.size() - n;
        assertTrue(duplicates <= maxDuplicates, duplicates + " duplicates, at most " + maxDuplicates + " allowed");
        if (maxDuplicates == 0) {
            assertEquals(n, got.size());
        }
    }
}
