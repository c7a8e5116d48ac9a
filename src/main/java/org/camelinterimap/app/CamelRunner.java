package org.camelinterimap.app;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.camel.main.Main;

/**
 * Runs one of the YAML routes under routes/ on camel-main with the given beans and properties,
 * until {@code done} completes; returns its value.
 */
final class CamelRunner {
    private CamelRunner() {
    }

    static boolean run(String routes, Map<String, Object> beans, Map<String, String> properties,
                       CompletableFuture<Boolean> done) throws Exception {
        return run(routes, beans, properties, done, () -> true);
    }

    /**
     * @param onSignal the result when the run is stopped from outside (SIGTERM, SIGINT: the way to
     *                 end a long-running mode), instead of by {@code done}
     */
    static boolean run(String routes, Map<String, Object> beans, Map<String, String> properties,
                       CompletableFuture<Boolean> done, java.util.function.BooleanSupplier onSignal) throws Exception {
        Main main = new Main();
        main.configure().withRoutesIncludePattern(routes);
        main.configure().withName("camel-interimap");
        main.configure().withJmxEnabled(false);
        main.configure().withShutdownTimeout(5);
        main.setPropertyPlaceholderLocations("classpath:application.properties;optional=true");
        properties.forEach(main::addInitialProperty);
        beans.forEach(main::bind);
        try {
            main.start();
            // camel-main's hang-up handler asks for shutdown on SIGTERM; end the wait so that the
            // finally block stops the context at once (otherwise the handler waits 20 s, then forces it)
            main.getShutdownStrategy().addShutdownListener(() -> done.complete(onSignal.getAsBoolean()));
            return done.get();
        } finally {
            main.stop();
        }
    }
}
