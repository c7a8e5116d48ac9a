package org.camelinterimap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.camelinterimap.config.InterimapConfig;
import org.camelinterimap.config.XdgPaths;
import org.camelinterimap.imap.ImapConnection;
import org.camelinterimap.imap.ImapServerPairs;
import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.camelinterimap.rig.TestImap;
import org.camelinterimap.state.SqliteStateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The initial sync's mailbox creation under the interleavings that made it fail on busy machines.
 * While the planning connection creates the next mailboxes, the workers append on their own
 * connections of the same user; Dovecot then sometimes answers a CREATE that did create the mailbox
 * with "Mailbox already exists", and a LIST-STATUS right after it without the new mailbox's status
 * (its mailbox list index was rebuilt by another session meanwhile). Here the remote side answers
 * exactly so, every time, for every mailbox: the pass must still sync everything, with no error.
 * The same initial sync is then repeated with busy threads competing for the cores.
 */
@ExtendWith(DovecotRig.class)
class CreateRaceIT {
    private static final List<String> MAILBOXES = List.of("Folder01", "Folder02", "Folder03", "Folder03/Sub",
            "Folder04", "Folder05/Sub/Deep", "Folder06", "Folder07");

    /** The remote side as Dovecot behaves in the race: CREATE creates, then says it already existed. */
    private static final class RacingServer extends ForwardingMailServer {
        final Set<String> created = Collections.synchronizedSet(new java.util.HashSet<>());

        RacingServer(MailServer real) {
            super(real);
        }

        @Override
        public void create(String mailbox) throws SyncException {
            super.create(mailbox);
            created.add(mailbox);
            throw new SyncException("remote: CREATE failed: Mailbox already exists (0.001 + 0.000 secs).");
        }

        @Override
        public List<MailboxStatus> list(List<String> patterns, List<String> selectOpts) throws SyncException {
            List<MailboxStatus> out = new ArrayList<>();
            for (MailboxStatus m : super.list(patterns, selectOpts)) {
                // a mailbox just created is listed without its status
                out.add(created.contains(m.name()) && patterns.size() == 1
                        ? new MailboxStatus(m.name(), m.selectable(), m.subscribed(), -1, -1, -1) : m);
            }
            return out;
        }
    }

    @Test
    void createAnsweredAlreadyExistsAndListedWithoutStatusStillSyncs(@TempDir Path dir) throws Exception {
        SyncFixture f = new SyncFixture(dir, "createrace", "max-connections = 4");
        fill(f, 30);
        List<String> errors = new ArrayList<>();
        SyncStats stats = pass(f, real -> new RacingServer(real), errors);
        assertTrue(stats.ok() && errors.isEmpty(), () -> "pass failed: " + errors);
        assertEquals(f.snapshot(SyncFixture.local()), f.snapshot(SyncFixture.remote()));
        f.assertSilentRun();
    }

    @Test
    void initialSyncUnderCpuLoadSucceedsEveryTime(@TempDir Path dir) throws Exception {
        int runs = Integer.getInteger("createrace.runs", 6);
        AtomicInteger spin = new AtomicInteger();
        List<Thread> busy = new ArrayList<>();
        try {
            for (int run = 0; run < runs; run++) {
                // varied load: none, one busy thread, two (the machine has two cores)
                while (busy.size() < run % 3) {
                    Thread t = new Thread(() -> {
                        while (!Thread.currentThread().isInterrupted()) {
                            spin.incrementAndGet();
                        }
                    }, "busy-" + busy.size());
                    t.setDaemon(true);
                    t.start();
                    busy.add(t);
                }
                while (busy.size() > run % 3) {
                    busy.remove(busy.size() - 1).interrupt();
                }
                SyncFixture f = new SyncFixture(Files.createDirectories(dir.resolve("run" + run)), "loadrace",
                        "max-connections = 4");
                fill(f, 40);
                Cli.Result r = f.sync();
                int n = run;
                assertEquals(0, r.exit(), () -> "run " + n + " failed under load:\n" + r.output());
                assertEquals(f.snapshot(SyncFixture.local()), f.snapshot(SyncFixture.remote()), "run " + run);
            }
        } finally {
            busy.forEach(Thread::interrupt);
        }
    }

    /** The local side gets the mailboxes (nested ones with a non-selectable parent too) and mail; remote is empty. */
    private static void fill(SyncFixture f, int perMailbox) throws Exception {
        try (TestImap l = f.imap(SyncFixture.local())) {
            for (String m : MAILBOXES) {
                if (!m.equals("Folder05/Sub/Deep")) {
                    l.create(m, true);
                }
            }
        }
        try (ImapConnection c = f.raw(SyncFixture.local())) {
            c.create("Folder05/Sub/Deep"); // its parents exist only as \NoSelect names
            for (String m : MAILBOXES) {
                List<ImapConnection.AppendItem> items = new ArrayList<>();
                for (int i = 0; i < perMailbox; i++) {
                    items.add(new ImapConnection.AppendItem(i % 3 == 0 ? List.of("\\Seen") : List.of(), null,
                            SyncFixture.message(m + "-" + i, 400 + 97 * i)));
                }
                c.append(m, items);
            }
        }
    }

    /** One pass in this JVM, with the remote side of every pair replaced by {@code remote}. */
    private static SyncStats pass(SyncFixture f, java.util.function.UnaryOperator<MailServer> remote, List<String> errors)
            throws Exception {
        InterimapConfig cfg = InterimapConfig.load(f.config, XdgPaths.fromSystem());
        ImapServerPairs pairs = new ImapServerPairs(cfg, null, false);
        ServerPair.Factory factory = () -> {
            ServerPair p = pairs.open();
            return new ServerPair(p.local(), remote.apply(p.remote()), p);
        };
        SyncLog log = new SyncLog() {
            @Override
            public void info(String component, String mailbox, String message) {
            }

            @Override
            public void warn(String component, String mailbox, String message) {
            }

            @Override
            public void error(String component, String mailbox, String message) {
                errors.add(component + " " + mailbox + ": " + message);
            }
        };
        try (SqliteStateStore store = SqliteStateStore.open(cfg.database(), new ArrayList<>())) {
            SyncPass pass = new SyncPass(new SyncPass.Settings(cfg.listMailbox(), false, cfg.listSelectOpts(),
                    cfg.ignoreMailbox(), cfg.maxConnections(), false), factory, store, log);
            try {
                return pass.run();
            } finally {
                pass.close();
            }
        }
    }
}
