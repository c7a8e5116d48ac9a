package org.camelinterimap.app;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.builder.RouteBuilder;
import org.camelinterimap.config.ConfigException;
import org.camelinterimap.config.InterimapConfig;
import org.camelinterimap.config.PullimapConfig;
import org.camelinterimap.config.XdgPaths;
import org.camelinterimap.imap.ImapConnection;
import org.camelinterimap.imap.TrafficMeter;
import org.camelinterimap.pull.DeliverySession;
import org.camelinterimap.pull.LmtpComponent;
import org.camelinterimap.pull.PullJob;
import org.camelinterimap.pull.PullimapComponent;
import org.camelinterimap.pull.RawMailSender;
import org.camelinterimap.pull.StateFile;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/** The pullimap(1) command line: one route per SECTION, all in this JVM. */
public final class PullimapCommand implements Tool {
    static final String ROUTES = "classpath:routes/pullimap.camel.yaml";
    static final String TEMPLATE = "pullimap-section";
    /** pullimap's default longest IDLE: 29 minutes, under the 30 of RFC 2177's inactivity timer. */
    static final int DEFAULT_IDLE_SECONDS = 1740;

    String config;
    /** --idle[=SECONDS]: null when not given. */
    Integer idle;
    boolean noDelivery;
    CommonOptions common = new CommonOptions();
    List<String> sections = new ArrayList<>();

    @Override
    public Options options() {
        Options options = new Options()
                .addOption(Option.builder().longOpt("config").hasArg().argName("FILE")
                        .desc("Alternate configuration file (relative to $XDG_CONFIG_HOME/pullimap).").get())
                .addOption(OptionalSeconds.option("idle",
                        "Stay connected and deliver new mail as it arrives (IDLE re-issued every SECONDS, default 29 minutes)."))
                .addOption(Option.builder().longOpt("no-delivery").desc("Update the statefile without delivering anything.").get());
        return CommonOptions.addTo(options);
    }

    @Override
    public String operands() {
        return "SECTION ...";
    }

    @Override
    public String description() {
        return "Pull mails from an IMAP mailbox and deliver them to an SMTP or LMTP server."
                + " SECTION: the section of the configuration file to use (several run side by side).";
    }

    @Override
    public String footer() {
        return "Configuration: $XDG_CONFIG_HOME/pullimap/config (~/.config/pullimap/config); see pullimap(1).";
    }

    @Override
    public String[] rewrite(String[] args) {
        return OptionalSeconds.attachValues(args, "idle", DEFAULT_IDLE_SECONDS);
    }

    @Override
    public void accept(CommandLine line) throws ParseException {
        config = line.getOptionValue("config");
        idle = OptionalSeconds.value(line, "idle");
        noDelivery = line.hasOption("no-delivery");
        common.accept(line);
        sections.addAll(line.getArgList());
        if (sections.isEmpty()) {
            throw new ParseException("Missing required parameter: 'SECTION'");
        }
    }

    @Override
    public Integer call() {
        if (idle != null && idle <= 0) {
            return fail("--idle takes a positive number of seconds");
        }
        ConsoleLog log = new ConsoleLog(System.err, new LogPrefix(InterimapConfig.DEFAULT_LOG_PREFIX), common.quiet, common.tracing());
        List<PullimapConfig> configs = new ArrayList<>();
        try {
            XdgPaths xdg = XdgPaths.fromSystem();
            for (String section : new LinkedHashSet<>(sections)) {
                PullimapConfig cfg = PullimapConfig.load(xdg.configFile("pullimap", config), section, xdg);
                try {
                    // TLS settings that select nothing the TLS provider supports: refused now, not at the handshake
                    ImapConnection.checkSettings(cfg.connection());
                } catch (ConfigException e) {
                    throw new ConfigException(cfg.file() + ": " + e.getMessage(), e);
                }
                configs.add(cfg);
            }
        } catch (ConfigException e) {
            return fail(e.getMessage());
        }
        List<PullJob> jobs = new ArrayList<>();
        List<PullJob.ConnectingAhead> connectors = new ArrayList<>();
        Map<String, TrafficMeter> meters = new LinkedHashMap<>();
        Map<String, Object> beans = new HashMap<>();
        Map<String, String> uris = new HashMap<>();
        try {
            for (PullimapConfig cfg : configs) {
                StateFile state = StateFile.open(cfg.statefile(), idle == null);
                String id = String.valueOf(jobs.size());
                DeliverySession delivery = new DeliverySession(cfg.deliverMethod(), cfg.deliverEhlo());
                TrafficMeter meter = new TrafficMeter();
                meters.put(cfg.section(), meter);
                // the section connects and logs in while Camel starts
                PullJob.ConnectingAhead connector = new PullJob.ConnectingAhead(() -> open(cfg, log, meter), "pullimap-connect");
                connectors.add(connector);
                PullJob job = new PullJob(cfg, connector, state, delivery, log, idle == null ? 0 : idle,
                        noDelivery, new CompletableFuture<>());
                jobs.add(job);
                beans.put("pullimapJob" + id, job);
                String host = cfg.deliverMethod().host().contains(":") ? "[" + cfg.deliverMethod().host() + "]"
                        : cfg.deliverMethod().host();
                if (cfg.deliverMethod().lmtp()) {
                    beans.put("pullimapSession" + id, delivery);
                    uris.put(id, "lmtp:" + host + ":" + cfg.deliverMethod().port() + "?session=#pullimapSession" + id);
                } else {
                    beans.put("pullimapSender" + id, new RawMailSender(delivery));
                    uris.put(id, "smtp://" + host + ":" + cfg.deliverMethod().port() + "?javaMailSender=#pullimapSender" + id);
                }
            }
        } catch (StateFile.StateException e) {
            connectors.forEach(PullJob.ConnectingAhead::close);
            jobs.forEach(j -> j.state().close());
            return fail(e.getMessage());
        }
        beans.put("pullimap", new PullimapComponent());
        beans.put("lmtp", new LmtpComponent());
        beans.put("pullimapRoutes", new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < jobs.size(); i++) {
                    String id = String.valueOf(i);
                    templatedRoute(TEMPLATE).routeId("pullimap-" + jobs.get(i).section())
                            .parameter("section", jobs.get(i).section())
                            .parameter("job", "pullimapJob" + id)
                            .parameter("deliverUri", uris.get(id));
                }
            }
        });
        CompletableFuture<Boolean> done = CompletableFuture.allOf(jobs.stream().map(PullJob::finished)
                        .toArray(CompletableFuture[]::new))
                .thenApply(v -> jobs.stream().allMatch(j -> j.finished().join()));
        // SIGTERM/SIGINT: finish every section, so that the routes stop in order (IDLE ended,
        // LOGOUT, statefile unlocked) before the JVM exits
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            jobs.forEach(j -> j.finished().complete(true));
            try {
                stopped.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pullimap-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return CamelRunner.run(ROUTES, beans, Map.of(), done) ? 0 : 1;
        } catch (Exception e) {
            log.error(null, null, "cannot run the pullimap route: " + e.getMessage());
            common.stackTrace(log, e);
            return 1;
        } finally {
            connectors.forEach(PullJob.ConnectingAhead::close);
            jobs.forEach(j -> j.finish(false));
            // the connections are closed: one traffic line per section, as pullimap prints it
            meters.forEach((section, meter) -> {
                if (!meter.isEmpty()) {
                    log.info(section, null, meter.summary());
                }
            });
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }

    private ImapConnection open(PullimapConfig cfg, ConsoleLog log, TrafficMeter meter) throws org.camelinterimap.imap.ImapException {
        PrintStream trace = common.trace(log, cfg.section());
        try {
            return ImapConnection.open(cfg.connection(), trace, common.tracingCredentials(), meter);
        } catch (ConfigException e) {
            throw new org.camelinterimap.imap.ImapException(e.getMessage());
        }
    }

    private static int fail(String message) {
        System.err.println("pullimap: " + message);
        return 1;
    }
}
