package org.camelinterimap.app;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.camelinterimap.component.InterimapJob;
import org.camelinterimap.component.QresyncProcessor;
import org.camelinterimap.config.ConfigException;
import org.camelinterimap.config.ConnectionConfig;
import org.camelinterimap.config.InterimapConfig;
import org.camelinterimap.config.XdgPaths;
import org.camelinterimap.imap.ImapConnection;
import org.camelinterimap.imap.ImapException;
import org.camelinterimap.imap.ImapMailServer;
import org.camelinterimap.state.SqliteStateStore;
import org.camelinterimap.sync.MailboxCommands;
import org.camelinterimap.sync.ServerPair;
import org.camelinterimap.sync.SyncException;
import org.camelinterimap.sync.SyncPass;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The interimap(1) command line. */
@Command(name = "interimap", mixinStandardHelpOptions = true, versionProvider = Launcher.Version.class,
        sortOptions = false,
        description = "Fast bidirectional synchronization of QRESYNC-capable IMAP4rev1 servers.",
        footer = "%nConfiguration: $XDG_CONFIG_HOME/interimap/config (~/.config/interimap/config); see interimap(1).")
public final class InterimapCommand implements Callable<Integer> {
    static final String ROUTES = "classpath:routes/interimap.camel.yaml";

    @Option(names = "--config", paramLabel = "FILE", description = "Alternate configuration file (relative to $XDG_CONFIG_HOME/interimap).")
    String config;

    @Option(names = "--watch", arity = "0..1", paramLabel = "SECONDS", fallbackValue = "-1",
            description = "Keep synchronizing, sleeping SECONDS between passes (default 60, or 900 with --notify).")
    Integer watch;

    @Option(names = "--notify", description = "Rely on server notifications between passes (implies --watch).")
    boolean notify;

    @Option(names = "--target", paramLabel = "local|remote|database",
            description = "Limit --delete/--rename to these targets (repeatable).")
    List<String> targets = new ArrayList<>();

    @Option(names = "--repair", description = "Repair the state of the given mailboxes.")
    boolean repair;

    @Option(names = "--delete", description = "Delete the given mailboxes on both servers and in the database.")
    boolean delete;

    @Option(names = "--rename", description = "Rename mailbox SOURCE to DEST on both servers and in the database.")
    boolean rename;

    @Option(names = {"-q", "--quiet"}, description = "Try to be quiet.")
    boolean quiet;

    @Option(names = "--debug", description = "Debug mode: log the IMAP traffic; twice to include credentials.")
    boolean[] debug = new boolean[0];

    @Parameters(paramLabel = "MAILBOX", description = "Mailboxes to synchronize (default: list-mailbox).")
    List<String> mailboxes = new ArrayList<>();

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
        PrintStream out;
        try {
            out = openLog(cfg.logfile());
        } catch (IOException e) {
            return fail("cannot open logfile " + cfg.logfile() + ": " + e.getMessage());
        }
        ConsoleLog log;
        try {
            log = new ConsoleLog(out, new LogPrefix(cfg.logPrefix()), quiet, debug.length > 0);
            log.expandCheck();
        } catch (IllegalArgumentException e) {
            return fail(e.getMessage());
        }
        List<String> created = new ArrayList<>();
        SqliteStateStore store;
        try {
            store = SqliteStateStore.open(cfg.database(), created);
        } catch (SyncException e) {
            return fail(e.getMessage());
        }
        created.forEach(line -> log.info(null, null, line));
        if (delete || rename) {
            return mailboxCommand(cfg, log, store, targetSet);
        }

        boolean explicit = !mailboxes.isEmpty();
        SyncPass.Settings settings = new SyncPass.Settings(explicit ? mailboxes : cfg.listMailbox(), explicit,
                cfg.listSelectOpts(), cfg.ignoreMailbox(), cfg.maxConnections(), repair);
        SyncPass pass = new SyncPass(settings, prefetchingFactory(cfg, log), store, log);
        InterimapJob job = new InterimapJob(pass, () -> {
            store.close();
            if (out != System.err) {
                out.close();
            }
        });
        boolean watching = watch != null || notify;
        long delaySeconds = watch == null || watch < 0 ? (notify ? 900 : 60) : watch;
        Map<String, Object> beans = new HashMap<>();
        beans.put("interimapJob", job);
        beans.put("qresyncProcessor", new QresyncProcessor());
        beans.put("interimapDataSource", store.dataSourceInUse());
        Map<String, String> props = new HashMap<>();
        props.put("interimap.repeat-count", watching ? "0" : "1");
        props.put("interimap.delay", String.valueOf(delaySeconds * 1000));
        try {
            return CamelRunner.run(ROUTES, beans, props, job.finished()) ? 0 : 1;
        } catch (Exception e) {
            log.error(null, null, "cannot run the sync route: " + e.getMessage());
            if (debug.length > 0) {
                e.printStackTrace(log.stream());
            }
            return 1;
        } finally {
            job.close();
        }
    }

    /** --delete / --rename: acts directly on both servers and the database, no sync route. */
    private int mailboxCommand(InterimapConfig cfg, ConsoleLog log, SqliteStateStore store,
                               EnumSet<MailboxCommands.Target> targetSet) {
        try (ServerPair pair = openPair(cfg, log)) {
            MailboxCommands commands = new MailboxCommands(pair, store, log, targetSet);
            if (delete) {
                commands.delete(mailboxes);
            } else {
                commands.rename(mailboxes.get(0), mailboxes.get(1));
            }
            return 0;
        } catch (SyncException e) {
            log.error(null, null, e.getMessage());
            return 1;
        } finally {
            store.close();
        }
    }

    /** Opens both connections at once (two TLS handshakes and logins in parallel), then prepares them. */
    private ServerPair openPair(InterimapConfig cfg, ConsoleLog log) throws SyncException {
        CompletableFuture<ImapConnection> localFuture = CompletableFuture.supplyAsync(() -> {
            try {
                return open(cfg.local(), log);
            } catch (SyncException e) {
                throw new CompletionException(e);
            }
        });
        ImapConnection remote;
        try {
            remote = open(cfg.remote(), log);
        } catch (SyncException e) {
            localFuture.thenAccept(ImapConnection::close);
            throw e;
        }
        ImapConnection local;
        try {
            local = localFuture.join();
        } catch (CompletionException e) {
            remote.close();
            throw (SyncException) e.getCause();
        }
        ImapMailServer l = new ImapMailServer(local, cfg.localReference());
        ImapMailServer r = new ImapMailServer(remote, cfg.remoteReference());
        ServerPair pair = new ServerPair(l, r, () -> {
            local.close();
            remote.close();
        });
        try {
            l.prepare();
            r.prepare();
        } catch (SyncException e) {
            pair.close();
            throw new SyncException(e.getMessage(), true, e);
        }
        return pair;
    }

    /**
     * Starts connecting the first pair right away, so that the TLS handshakes and logins overlap
     * Camel's start-up; later pairs are opened on demand.
     */
    private ServerPair.Factory prefetchingFactory(InterimapConfig cfg, ConsoleLog log) {
        CompletableFuture<ServerPair> first = CompletableFuture.supplyAsync(() -> {
            try {
                return openPair(cfg, log);
            } catch (SyncException e) {
                throw new CompletionException(e);
            }
        });
        AtomicBoolean taken = new AtomicBoolean();
        return () -> {
            if (taken.compareAndSet(false, true)) {
                try {
                    return first.join();
                } catch (CompletionException e) {
                    throw (SyncException) e.getCause();
                }
            }
            return openPair(cfg, log);
        };
    }

    private ImapConnection open(ConnectionConfig c, ConsoleLog log) throws SyncException {
        PrintStream trace = debug.length > 0 ? new PrintStream(new LinePrefixStream(log.stream(), c.name() + ": "), true,
                StandardCharsets.UTF_8) : null;
        try {
            return ImapConnection.open(c, trace, debug.length > 1);
        } catch (ImapException e) {
            throw new SyncException(e.getMessage(), true, e);
        } catch (ConfigException e) {
            throw new SyncException(e.getMessage(), true, e);
        }
    }

    static PrintStream openLog(Path logfile) throws IOException {
        if (logfile == null) {
            return System.err;
        }
        if (logfile.getParent() != null) {
            Files.createDirectories(logfile.getParent());
        }
        return new PrintStream(new FileOutputStream(logfile.toFile(), true), true, StandardCharsets.UTF_8);
    }

    private static int fail(String message) {
        System.err.println("interimap: " + message);
        return 1;
    }

    /** Prefixes every line written through it (protocol traces of one connection). */
    static final class LinePrefixStream extends OutputStream {
        private final PrintStream out;
        private final String prefix;
        private final StringBuilder line = new StringBuilder();

        LinePrefixStream(PrintStream out, String prefix) {
            this.out = out;
            this.prefix = prefix;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                flushLine();
            } else if (b != '\r') {
                line.append((char) (b & 0xff));
            }
        }

        private void flushLine() {
            synchronized (out) {
                out.println(prefix + line);
            }
            line.setLength(0);
        }

        @Override
        public synchronized void flush() {
            if (line.length() > 0) {
                flushLine();
            }
        }
    }
}
