package org.camelinterimap.app;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.camelinterimap.component.InterimapJob;
import org.camelinterimap.component.PassTrigger;
import org.camelinterimap.component.QresyncProcessor;
import org.camelinterimap.config.ConfigException;
import org.camelinterimap.config.InterimapConfig;
import org.camelinterimap.config.XdgPaths;
import org.camelinterimap.imap.ImapChangeNotifier;
import org.camelinterimap.imap.ImapConnection;
import org.camelinterimap.imap.ImapServerPairs;
import org.camelinterimap.state.SqliteStateStore;
import org.camelinterimap.support.PrivateFiles;
import org.camelinterimap.sync.MailboxCommands;
import org.camelinterimap.sync.ServerPair;
import org.camelinterimap.sync.SyncException;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/** The interimap(1) command line. */
public final class InterimapCommand implements Tool {
    static final String ROUTES = "classpath:routes/interimap.camel.yaml";
    /** Where the sync sends its APPEND batches: a route of {@link #ROUTES}. */
    static final String APPEND_URI = "direct:interimap-append";
    /** Exit status of a run that synced everything but messages a server refused (recorded, reported). */
    static final int EXIT_REFUSED = 2;
    /** Under --notify, how often the sync route's consumer asks the trigger whether a pass is due. */
    static final long NOTIFY_POLL_MILLIS = 10;
    private static final java.util.concurrent.Executor CLOSING = r -> org.camelinterimap.support.DaemonThreads
            .named("interimap-logout").newThread(r).start();

    String config;
    /** --watch[=SECONDS]: null when not given, -1 for the default (which depends on --notify). */
    Integer watch;
    boolean notify;
    List<String> targets = new ArrayList<>();
    boolean repair;
    boolean delete;
    boolean rename;
    CommonOptions common = new CommonOptions();
    List<String> mailboxes = new ArrayList<>();

    @Override
    public Options options() {
        Options options = new Options()
                .addOption(Option.builder().longOpt("config").hasArg().argName("FILE")
                        .desc("Alternate configuration file (relative to $XDG_CONFIG_HOME/interimap).").get())
                .addOption(OptionalSeconds.option("watch",
                        "Keep synchronizing, sleeping SECONDS between passes (default 60, or 900 with --notify)."))
                .addOption(Option.builder().longOpt("notify").desc("Rely on server notifications between passes (implies --watch).").get())
                .addOption(Option.builder().longOpt("target").hasArg().argName("local|remote|database")
                        .desc("Limit --delete/--rename to these targets (repeatable).").get())
                .addOption(Option.builder().longOpt("repair").desc("Repair the state of the given mailboxes.").get())
                .addOption(Option.builder().longOpt("delete").desc("Delete the given mailboxes on both servers and in the database.").get())
                .addOption(Option.builder().longOpt("rename").desc("Rename mailbox SOURCE to DEST on both servers and in the database.").get());
        return CommonOptions.addTo(options);
    }

    @Override
    public String operands() {
        return "[MAILBOX ...]";
    }

    @Override
    public String description() {
        return "Fast bidirectional synchronization of QRESYNC-capable IMAP4rev1 servers."
                + " MAILBOX: the mailboxes to synchronize (default: list-mailbox).";
    }

    @Override
    public String footer() {
        return "Configuration: $XDG_CONFIG_HOME/interimap/config (~/.config/interimap/config); see interimap(1).";
    }

    @Override
    public String[] rewrite(String[] args) {
        return OptionalSeconds.attachValues(args, "watch", -1);
    }

    @Override
    public void accept(CommandLine line) throws ParseException {
        config = line.getOptionValue("config");
        watch = OptionalSeconds.value(line, "watch");
        notify = line.hasOption("notify");
        String[] given = line.getOptionValues("target");
        if (given != null) {
            targets.addAll(List.of(given));
        }
        repair = line.hasOption("repair");
        delete = line.hasOption("delete");
        rename = line.hasOption("rename");
        common.accept(line);
        mailboxes.addAll(line.getArgList());
    }

    @Override
    public Integer call() {
        if ((repair ? 1 : 0) + (delete ? 1 : 0) + (rename ? 1 : 0) > 1) {
            return fail("--repair, --delete and --rename are exclusive");
        }
        if (delete && mailboxes.isEmpty()) {
            return fail("--delete needs at least one MAILBOX");
        }
        if (rename && mailboxes.size() != 2) {
            return fail("--rename needs SOURCE and DEST");
        }
        EnumSet<MailboxCommands.Target> targetSet = EnumSet.noneOf(MailboxCommands.Target.class);
        for (String t : targets) {
            try {
                targetSet.add(MailboxCommands.Target.valueOf(t.trim().toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                return fail("--target must be local, remote or database, not '" + t + "'");
            }
        }
        InterimapConfig cfg;
        try {
            XdgPaths xdg = XdgPaths.fromSystem();
            cfg = InterimapConfig.load(xdg.configFile("interimap", config), xdg);
        } catch (ConfigException e) {
            return fail(e.getMessage());
        }
        boolean watching = watch != null || notify;
        long delaySeconds = watch == null || watch < 0 ? (notify ? 900 : 60) : watch;
        // under --notify a poll only looks at the trigger (no command): polled often, a change reaches
        // its pass within a few milliseconds of the server's notification
        long delayMillis = notify ? NOTIFY_POLL_MILLIS : delaySeconds * 1000;
        Map<String, String> props = new HashMap<>();
        props.put("interimap.repeat-count", watching ? "0" : "1");
        props.put("interimap.delay", String.valueOf(delayMillis));
        // Camel loads the routes and builds its context while the sync is prepared here (TLS,
        // state database, first connections): the routes look up the job only when they start
        try (CamelRunner.Boot boot = delete || rename ? null : CamelRunner.boot(ROUTES, Map.of(), props)) {
            return prepareAndRun(cfg, targetSet, boot, watching, delaySeconds);
        }
    }

    private int prepareAndRun(InterimapConfig cfg, EnumSet<MailboxCommands.Target> targetSet, CamelRunner.Boot boot,
                              boolean watching, long delaySeconds) {
        try {
            // TLS settings that select nothing the TLS provider supports: refused now, not at the handshake
            ImapConnection.checkSettings(cfg.local());
            ImapConnection.checkSettings(cfg.remote());
        } catch (ConfigException e) {
            return fail(cfg.file() + ": " + e.getMessage());
        }
        PrintStream out;
        try {
            out = openLog(cfg.logfile());
        } catch (IOException e) {
            return fail("cannot open logfile " + cfg.logfile() + ": " + e.getMessage());
        }
        ConsoleLog log;
        try {
            log = new ConsoleLog(out, new LogPrefix(cfg.logPrefix()), common.quiet, common.tracing());
            log.expandCheck();
        } catch (IllegalArgumentException e) {
            return fail(e.getMessage());
        }
        ImapServerPairs pairs = new ImapServerPairs(cfg, common.tracing() ? side -> common.trace(log, side) : null,
                common.tracingCredentials(), log);
        if (delete || rename) {
            return mailboxCommand(cfg, log, pairs, targetSet);
        }
        InterimapJob job;
        try {
            // closed after the connections: the traffic lines come last, as the reference prints them
            job = InterimapJob.create(cfg, log, pairs.prefetching(), mailboxes, repair, () -> {
                logTraffic(log, pairs);
                if (out != System.err) {
                    out.close();
                }
            });
        } catch (SyncException e) {
            return fail(e.getMessage());
        }
        job.pass().retryLostConnections(watching);
        // the first pass connects and lists both servers while Camel starts
        job.pass().listAhead();
        // a long pass shows its progress: a status line on a terminal, a line every 30 s in a log
        ConsoleProgress progress = common.quiet ? null
                : new ConsoleProgress(log, out == System.err && !common.tracing() && ConsoleProgress.stderrIsTerminal(),
                        ConsoleProgress.terminalWidth());
        if (progress != null) {
            job.pass().progress(progress);
        }
        ImapChangeNotifier notifier = null;
        if (notify) {
            // passes run when either server reports a change, and at least every delaySeconds
            PassTrigger trigger = new PassTrigger(delaySeconds * 1000);
            job.trigger(trigger);
            notifier = new ImapChangeNotifier(List.of(cfg.local(), cfg.remote()), pairs::openExtra, delaySeconds * 1000,
                    trigger::signal, message -> log.warn(null, null, message));
            notifier.start();
        }
        Map<String, Object> beans = new HashMap<>();
        beans.put("interimapJob", job);
        QresyncProcessor qresync = new QresyncProcessor();
        qresync.setAppendUri(APPEND_URI);
        beans.put("qresyncProcessor", qresync);
        beans.put("interimapDataSource", job.store().dataSourceInUse());
        java.util.concurrent.atomic.AtomicBoolean signalled = new java.util.concurrent.atomic.AtomicBoolean();
        if (!watching) {
            // after the only pass, the connections log out while the Camel context stops (not when
            // a signal ends the run: the pass may still be using them)
            job.finished().whenCompleteAsync((ok, e) -> {
                if (!signalled.get()) {
                    job.pass().close();
                }
            }, CLOSING);
        }
        try {
            if (!watching && !managementRequested() && !Boolean.getBoolean(RECORDING_CLASSES)
                    && job.pass().nothingToSyncAhead()) {
                // the listing taken ahead gives no mailbox a task: nothing for the routes to carry, so
                // the only pass runs here and Camel's start (a good part of a short run) is skipped
                boot.abandon();
                log.debug(null, null, "nothing to copy: the pass runs without the routes");
                job.runPassHere();
                if (!job.finished().join()) {
                    return 1;
                }
            } else if (!boot.run(beans, job.finished(), () -> {
                signalled.set(true);
                return job.allPassesOk();
            })) {
                return 1;
            }
            // synced, but messages that a server refused are recorded and not copied: say so
            return job.pass().refusedMessages() > 0 ? EXIT_REFUSED : 0;
        } catch (Exception e) {
            log.error(null, null, "cannot run the sync route: " + e.getMessage());
            common.stackTrace(log, e);
            return 1;
        } finally {
            if (progress != null) {
                progress.close();
            }
            if (notifier != null) {
                notifier.close();
            }
            job.close();
        }
    }

    /**
     * Set by bin/interimap on the run whose loaded classes make the class-data archive: that run
     * starts the routes even with nothing to copy, so that the archive holds Camel's start for the
     * runs that have something to copy (without them, those runs spend about 100 ms more loading and
     * verifying Camel's classes from the jar).
     */
    static final String RECORDING_CLASSES = "camelinterimap.recording-classes";

    /**
     * Whether camel-main's management endpoints are asked for (system property, or its environment
     * form as {@link CamelRunner#environmentProperties} reads it): a run that serves them starts the
     * routes even when its pass has nothing to do.
     */
    static boolean managementRequested() {
        String key = "camel.management.enabled";
        String v = System.getProperty(key, CamelRunner.environmentProperties(System.getenv()).get(key));
        return v != null && !v.trim().equalsIgnoreCase("false");
    }

    /**
     * --delete / --rename: acts directly on both servers and the database, no sync route; renames
     * left pending by an interrupted run are finished first.
     */
    private int mailboxCommand(InterimapConfig cfg, ConsoleLog log, ImapServerPairs pairs,
                               EnumSet<MailboxCommands.Target> targetSet) {
        List<String> created = new ArrayList<>();
        try (SqliteStateStore store = SqliteStateStore.open(cfg.database(), created); ServerPair pair = pairs.open()) {
            created.forEach(line -> log.info(null, null, line));
            MailboxCommands commands = new MailboxCommands(pair, store, log, targetSet);
            boolean ok = delete ? commands.delete(mailboxes) : commands.rename(mailboxes.get(0), mailboxes.get(1));
            return ok ? 0 : 1;
        } catch (SyncException e) {
            log.error(null, null, e.getMessage());
            return 1;
        } finally {
            logTraffic(log, pairs);
        }
    }

    /** One line per side with the bytes received and sent over all its connections. */
    private static void logTraffic(ConsoleLog log, ImapServerPairs pairs) {
        pairs.trafficSummary().forEach((side, summary) -> log.info(side, null, summary));
    }

    static PrintStream openLog(Path logfile) throws IOException {
        if (logfile == null) {
            return System.err;
        }
        // a logfile made here is private (0600, directories 0700): with --debug it holds the IMAP traffic
        if (logfile.getParent() != null) {
            PrivateFiles.createDirectories(logfile.getParent());
        }
        PrivateFiles.createFile(logfile);
        return new PrintStream(new FileOutputStream(logfile.toFile(), true), true, StandardCharsets.UTF_8);
    }

    private static int fail(String message) {
        System.err.println("interimap: " + message);
        return 1;
    }
}
