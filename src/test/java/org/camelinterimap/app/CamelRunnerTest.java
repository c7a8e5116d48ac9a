package org.camelinterimap.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

/** camel-main initialised in the background while the caller prepares the beans its routes use. */
class CamelRunnerTest {
    private static final String ROUTES = "classpath:routes/camel-runner-test.camel.yaml";

    /** The bean the test route calls: it ends the run. */
    public static final class Probe {
        final CompletableFuture<Boolean> done = new CompletableFuture<>();

        public void handle(String body) {
            done.complete(true);
        }
    }

    @Test
    void beansBoundAfterTheInitialisationServeTheRoutes() throws Exception {
        try (CamelRunner.Boot boot = CamelRunner.boot(ROUTES, Map.of(), Map.of())) {
            // the bean exists only now, possibly long after camel-main read the routes
            Probe probe = new Probe();
            assertTrue(boot.run(Map.of("camelRunnerProbe", probe), probe.done, () -> false));
        }
    }

    @Test
    void routeBuildersGivenToTheBootAreCollected() throws Exception {
        Probe fromBuilder = new Probe();
        RouteBuilder builder = new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:camel-runner-builder?repeatCount=1").bean(fromBuilder);
            }
        };
        // camel-main collects route builders as it initialises: they cannot wait for the run
        try (CamelRunner.Boot boot = CamelRunner.boot(ROUTES, Map.of("camelRunnerBuilder", builder), Map.of())) {
            Probe probe = new Probe();
            assertTrue(boot.run(Map.of("camelRunnerProbe", probe), probe.done.thenCombine(fromBuilder.done, Boolean::logicalAnd),
                    () -> false));
        }
    }

    @Test
    void aBootThatIsNotRunIsStoppedWhenClosed() throws Exception {
        int before = nonDaemonThreads();
        CamelRunner.Boot boot = CamelRunner.boot(ROUTES, Map.of(), Map.of());
        boot.close(); // the preparation failed: nothing runs, nothing is left behind
        assertEquals(before, nonDaemonThreads());
        // and a run after all finds the routes as usual
        try (CamelRunner.Boot again = CamelRunner.boot(ROUTES, Map.of(), Map.of())) {
            Probe probe = new Probe();
            assertTrue(again.run(Map.of("camelRunnerProbe", probe), probe.done, () -> false));
        }
    }

    private static int nonDaemonThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !t.isDaemon()).count();
    }
}
