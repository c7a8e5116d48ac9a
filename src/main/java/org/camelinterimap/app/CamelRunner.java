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
            return done.get();
        } finally {
            main.stop();
        }
    }
}
