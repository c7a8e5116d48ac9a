package org.camelinterimap.app;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;

import org.apache.camel.main.Main;
import org.camelinterimap.support.DaemonThreads;

/**
 * Runs one of the YAML routes under routes/ on camel-main with the given beans and properties,
 * until {@code done} completes; returns its value.
 */
final class CamelRunner {
    private CamelRunner() {
    }

    static boolean run(String routes, Map<String, Object> beans, Map<String, String> properties,
                       CompletableFuture<Boolean> done) throws Exception {
        try (Boot boot = boot(routes, beans, properties)) {
            return boot.run(Map.of(), done, () -> true);
        }
    }

    /**
     * Starts camel-main's initialisation in the background: it reads its settings, loads the routes
     * and builds the context (about a third of a short run's time), while the caller prepares the
     * beans that the routes look up only when {@link Boot#run} starts them.
     *
     * @param beans the beans needed earlier: route builders, which camel-main collects as it initialises
     */
    static Boot boot(String routes, Map<String, Object> beans, Map<String, String> properties) {
        Main main = new Main();
        main.configure().withRoutesIncludePattern(routes);
        main.configure().withName("camel-interimap");
        main.configure().withJmxEnabled(false);
        main.configure().withShutdownTimeout(5);
        main.setPropertyPlaceholderLocations("classpath:application.properties;optional=true");
        environmentProperties(System.getenv()).forEach(main::addInitialProperty);
        properties.forEach(main::addInitialProperty);
        beans.forEach(main::bind);
        // health and metrics over HTTP when camel.management.enabled=true (off by default)
        main.bind("interimapManagementServer", new ManagementServer());
        CompletableFuture<Void> initialized = new CompletableFuture<>();
        DaemonThreads.named("interimap-camel-init").newThread(() -> {
            try {
                main.init();
                initialized.complete(null);
            } catch (Throwable e) {
                initialized.completeExceptionally(e);
            }
        }).start();
        return new Boot(main, initialized);
    }

    /**
     * A camel-main whose initialisation runs in the background. {@link #run} ends it; closing a boot
     * that was not run waits for the initialisation and stops what it made.
     */
    static final class Boot implements AutoCloseable {
        private final Main main;
        private final CompletableFuture<Void> initialized;
        private boolean ran;

        private Boot(Main main, CompletableFuture<Void> initialized) {
            this.main = main;
            this.initialized = initialized;
        }

        /**
         * Binds the beans, starts the routes and runs until {@code done} completes; returns its value.
         *
         * @param beans    beans the routes look up as they start (no route builder: see {@link #boot})
         * @param onSignal the result when the run is stopped from outside (SIGTERM, SIGINT: the way to
         *                 end a long-running mode), instead of by {@code done}
         */
        boolean run(Map<String, Object> beans, CompletableFuture<Boolean> done, BooleanSupplier onSignal) throws Exception {
            ran = true;
            try {
                awaitInitialized();
                beans.forEach(main::bind);
                main.start();
                // camel-main's hang-up handler asks for shutdown on SIGTERM; end the wait so that the
                // finally block stops the context at once (otherwise the handler waits 20 s, then forces it)
                main.getShutdownStrategy().addShutdownListener(() -> done.complete(onSignal.getAsBoolean()));
                return done.get();
            } finally {
                main.stop();
            }
        }

        /**
         * Gives up the routes without waiting for the initialisation, for a run about to end that
         * needs none of them: the initialisation goes on, on its daemon thread, until the JVM exits.
         */
        void abandon() {
            ran = true;
        }

        /** When the routes were not run (the caller's preparation failed): waits for the initialisation and stops. */
        @Override
        public void close() {
            if (ran) {
                return;
            }
            try {
                awaitInitialized();
            } catch (Exception e) {
                // nothing was started
            }
            main.stop();
        }

        private void awaitInitialized() throws Exception {
            try {
                initialized.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof Exception cause) {
                    throw cause;
                }
                throw e;
            }
        }
    }

    /** The prefixes of the settings that may also come from the environment, as camel-main's users expect. */
    private static final List<String> ENVIRONMENT_PREFIXES = List.of("CAMEL_MANAGEMENT_", "CAMEL_HEALTH_");

    /**
     * The environment form of camel-main's management and health settings, which camel-main itself
     * reads only for components, data formats and languages: {@code CAMEL_MANAGEMENT_HEALTH_CHECK_ENABLED=true}
     * is {@code camel.management.health-check-enabled=true}. A system property of the same name wins.
     */
    static Map<String, String> environmentProperties(Map<String, String> environment) {
        Map<String, String> out = new TreeMap<>();
        environment.forEach((name, value) -> {
            for (String prefix : ENVIRONMENT_PREFIXES) {
                if (name.startsWith(prefix) && name.length() > prefix.length()) {
                    String group = prefix.substring("CAMEL_".length(), prefix.length() - 1).toLowerCase(Locale.ROOT);
                    String key = "camel." + group + "." + name.substring(prefix.length()).toLowerCase(Locale.ROOT).replace('_', '-');
                    if (System.getProperty(key) == null) {
                        out.put(key, value);
                    }
                }
            }
        });
        return out;
    }
}
