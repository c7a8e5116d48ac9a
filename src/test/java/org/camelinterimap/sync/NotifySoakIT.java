package org.camelinterimap.sync;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.MessagingException;
import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.camelinterimap.rig.TestImap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soak test of {@code interimap --notify}: while the daemon runs, a seeded driver makes random
 * changes on both servers (new mail with and without flags, flag changes, expunges, new mailboxes,
 * moves between mailboxes), and faults are injected in turn: {@code doveadm kick} of one side, a
 * restart of one Dovecot instance, {@code kill -9} of the daemon (started again right after).
 * Then the faults stop, the daemon settles, a last one-shot run exits 0, and the servers must hold
 * the same mailboxes and messages, matching the driver's model exactly: every message it added and
 * did not delete present once, nothing it deleted back, flags as it set them (or, where both sides
 * may have changed between two passes, the union, reported by a conflict warning). The daemon must
 * never die on its own nor print a stack trace.
 *
 * <p>{@code -Dsoak.seed=N} replays the random choices of a run (the timing differs),
 * {@code -Dsoak.seconds=N} sets how long the driver runs (75 by default), {@code -Dsoak.debug=true}
 * runs the daemon with {@code --debug} (the summary then counts its passes), {@code -Dsoak.settle=N}
 * sets how long the daemon may take to bring the servers together once the driver stops (60 s).
 * The daemon's output, a timeline of the run and the summary stay in {@code target/soak/seed-N}.
 */
@ExtendWith(DovecotRig.class)
class NotifySoakIT {
    private static final int LOCAL = 0;
    private static final int REMOTE = 1;
    private static final String[] SIDE = {"local", "remote"};
    private static final String[] FLAG_POOL = {"\\Seen", "\\Flagged", "\\Answered", "\\Draft", "$Label1", "$Soak"};
    private static final int MAX_MAILBOXES = 10;

    private static final Pattern STACK = Pattern.compile("^\\s+at [\\w$.<>/]+\\(.*\\)\\s*$|^Caused by: |^Exception in thread ");
    private static final Pattern FRAMEWORK = Pattern.compile("^\\[[^\\]]+\\] (WARN|ERROR) ");
    private static final Pattern PASS = Pattern.compile("^local: \\S+ LIST \"\" \\(.*\\) RETURN \\(");
    private static final Pattern TRAFFIC = Pattern.compile("^(local|remote): IMAP traffic \\(bytes\\): ");
    private static final Pattern MESSAGE_ID = Pattern.compile("^<?([^<>\\s]+)>?$");

    /** A message the driver put on a server, as the driver expects it. */
    private static final class Msg {
        final String id;
        final int number;
        final byte[] raw;
        final String mailbox;
        final TreeSet<String> flags;
        /** Every flag the message was ever expected to have: a union after a conflict stays within these. */
        final TreeSet<String> history;

        Msg(String id, int number, byte[] raw, String mailbox, Set<String> flags) {
            this.id = id;
            this.number = number;
            this.raw = raw;
            this.mailbox = mailbox;
            this.flags = new TreeSet<>(flags);
            this.history = new TreeSet<>(flags);
        }
    }

    /** What the daemon printed between two faults, by the kind of the fault before. */
    private static final class Bucket {
        int lines;
        int errors;
        int warnings;
        int framework;
        int stack;
        int passes;
    }

    @Test
    void notifyKeepsBothServersIdenticalUnderFaults(@TempDir Path dir) throws Exception {
        long seed = Long.getLong("soak.seed", new Random().nextLong() & 0xffffffffL);
        System.out.println("NotifySoakIT: seed " + seed + " (replay with -Dsoak.seed=" + seed + ")");
        new Soak(dir, seed).run();
    }

    private static final class Soak {
        final long seed;
        final Random rng;
        final int seconds = Integer.getInteger("soak.seconds", 75);
        final int settleSeconds = Integer.getInteger("soak.settle", 60);
        final boolean debug = Boolean.getBoolean("soak.debug");
        final SyncFixture f;
        final DovecotRig.Server[] servers = {DovecotRig.local(), DovecotRig.remote()};
        final char[] sep = new char[2];
        final Path logDir;

        // the driver's model
        final Map<String, Msg> live = new TreeMap<>();
        final Set<String> expunged = new TreeSet<>();
        final Map<String, Integer> mailboxes = new TreeMap<>(); // canonical name ('/') -> side it was made on
        int messageNumber;

        // what happened
        final Map<String, Integer> ops = new LinkedHashMap<>();
        final Map<String, Integer> faults = new LinkedHashMap<>();
        final Map<String, Bucket> buckets = new LinkedHashMap<>();
        final Map<String, Integer> notable = new LinkedHashMap<>();
        final List<String> violations = new ArrayList<>();
        final List<String> stackTraces = new ArrayList<>();
        String bucket = "start";
        int rounds;
        int daemonRuns;
        int diedOnItsOwn;
        int conflictWarnings;
        double maxOutage;
        String settled = "not reached";
        String finalRun = "not reached";
        String silentRun = "not reached";
        int unions;
        long drivingMillis;
        long started = System.nanoTime();
        Daemon daemon;
        final java.io.PrintWriter timeline;

        Soak(Path dir, long seed) throws Exception {
            this.seed = seed;
            this.rng = new Random(seed);
            this.f = new SyncFixture(dir, "soak");
            this.logDir = Path.of(System.getProperty("soak.logs", "target/soak")).resolve("seed-" + seed);
            Files.createDirectories(logDir);
            this.timeline = new java.io.PrintWriter(Files.newBufferedWriter(logDir.resolve("timeline.log")));
            for (String k : List.of("start", "kick", "restart", "kill-9", "stop")) {
                buckets.put(k, new Bucket());
            }
            for (String k : List.of("append", "append with flags", "flag change", "expunge", "move", "new mailbox", "skipped")) {
                ops.put(k, 0);
            }
        }

        void run() throws Exception {
            try {
                populate();
                daemon = startDaemon();
                drive();
                settle();
                stopDaemon();
                finalChecks();
            } catch (Throwable t) {
                violations.add("test aborted: " + t);
                throw t;
            } finally {
                if (daemon != null && daemon.process.isAlive()) {
                    daemon.process.destroyForcibly();
                    daemon.process.waitFor(30, TimeUnit.SECONDS);
                }
                for (int side : new int[] {LOCAL, REMOTE}) {
                    ensureDovecotRunning(side);
                }
                printSummary();
            }
            assertTrue(violations.isEmpty(), () -> "soak test with seed " + seed + " failed:\n  " + String.join("\n  ", violations));
        }

        // ---- the driver ----------------------------------------------------------------------

        /** A first few mailboxes and messages on both sides, before the daemon starts. */
        void populate() throws Exception {
            try (Round r = new Round()) {
                sep[LOCAL] = r.imap[LOCAL].separator();
                sep[REMOTE] = r.imap[REMOTE].separator();
                mailboxes.put("INBOX", -1);
                createMailbox(r, LOCAL, "Archive", true);
                createMailbox(r, REMOTE, "Lists/dev", true);
                for (int i = 0; i < 6; i++) {
                    for (int side : new int[] {LOCAL, REMOTE}) {
                        append(r, side, i % 2 == 0 ? "INBOX" : side == LOCAL ? "Archive" : "Lists/dev");
                    }
                }
            }
        }

        void drive() throws Exception {
            String[] kinds = {"kick", "restart", "kill-9"};
            int nextKind = 0;
            long start = System.currentTimeMillis();
            long end = start + seconds * 1000L;
            long nextFault = start + 6000 + rng.nextInt(4000);
            while (System.currentTimeMillis() < end) {
                checkAlive();
                try (Round r = new Round()) {
                    int n = 1 + rng.nextInt(4);
                    for (int i = 0; i < n; i++) {
                        operation(r, rng.nextInt(2));
                    }
                }
                rounds++;
                daemon.drain();
                Thread.sleep(100 + rng.nextInt(701));
                if (System.currentTimeMillis() >= nextFault) {
                    fault(kinds[nextKind++ % kinds.length]);
                    nextFault = System.currentTimeMillis() + 6000 + rng.nextInt(4000);
                }
            }
            drivingMillis = System.currentTimeMillis() - start;
        }

        void operation(Round r, int side) throws Exception {
            int p = rng.nextInt(100);
            if (p < 40) {
                String mailbox = pick(r.mailboxesOn(side));
                int count = 1 + rng.nextInt(3);
                for (int i = 0; i < count; i++) {
                    append(r, side, mailbox);
                }
            } else if (p < 70) {
                flagChange(r, side);
            } else if (p < 85) {
                expunge(r, side);
            } else if (p < 95) {
                move(r, side);
            } else if (mailboxes.size() < MAX_MAILBOXES) {
                int k = mailboxes.size();
                String name = rng.nextBoolean() ? "Box" + k : "Folders/f" + k;
                createMailbox(r, side, name, rng.nextInt(3) != 0);
                append(r, side, name);
            } else {
                append(r, side, pick(r.mailboxesOn(side)));
            }
        }

        void createMailbox(Round r, int side, String name, boolean subscribe) throws Exception {
            r.imap[side].create(wire(side, name), subscribe);
            mailboxes.put(name, side);
            r.folders(side).add(name);
            count("new mailbox");
            timeline("driver: create " + name + " on " + SIDE[side] + (subscribe ? " (subscribed)" : ""));
        }

        Msg append(Round r, int side, String mailbox) throws Exception {
            Set<String> flags = new TreeSet<>();
            if (rng.nextBoolean()) {
                int n = 1 + rng.nextInt(2);
                for (int i = 0; i < n; i++) {
                    flags.add(FLAG_POOL[rng.nextInt(FLAG_POOL.length)]);
                }
            }
            int number = ++messageNumber;
            String id = "soak-" + seed + "-" + number + "@camel-interimap.test";
            Msg m = new Msg(id, number, message(number, id, null, bodySize()), mailbox, flags);
            r.imap[side].append(wire(side, mailbox), m.raw, null, flags.toArray(String[]::new));
            r.invalidate(side, mailbox);
            live.put(id, m);
            count(flags.isEmpty() ? "append" : "append with flags");
            timeline("driver: append " + shortId(m) + " to " + SIDE[side] + " " + mailbox + " " + flags);
            return m;
        }

        int bodySize() {
            int p = rng.nextInt(100);
            return p < 80 ? 100 + rng.nextInt(2000) : p < 97 ? 2000 + rng.nextInt(20_000) : 100_000 + rng.nextInt(200_000);
        }

        /** Changes one flag of a message whose flags are, on both sides, what the driver expects. */
        void flagChange(Round r, int side) throws Exception {
            String mailbox = pick(r.mailboxesOn(side));
            Map<String, TestImap.Header> here = r.index(side, mailbox);
            Map<String, TestImap.Header> there = r.mailboxesOn(1 - side).contains(mailbox) ? r.index(1 - side, mailbox) : Map.of();
            List<Msg> candidates = new ArrayList<>();
            for (Msg m : liveIn(mailbox)) {
                TestImap.Header h = here.get(m.id);
                TestImap.Header t = there.get(m.id);
                if (h != null && h.flags().equals(m.flags) && (t == null || t.flags().equals(m.flags))) {
                    candidates.add(m);
                }
            }
            if (candidates.isEmpty()) {
                count("skipped");
                return;
            }
            Msg m = candidates.get(rng.nextInt(candidates.size()));
            String flag = FLAG_POOL[rng.nextInt(FLAG_POOL.length)];
            boolean add = !m.flags.contains(flag);
            try {
                r.imap[side].flag(wire(side, mailbox), here.get(m.id).uid(), add, flag);
            } catch (NullPointerException e) {
                // the message was there a moment ago: only the daemon can have removed it
                violations.add(SIDE[side] + " " + mailbox + ": message " + m.number + " vanished while the driver changed its flags");
                return;
            } finally {
                r.invalidate(side, mailbox);
            }
            if (add) {
                m.flags.add(flag);
                m.history.add(flag);
            } else {
                m.flags.remove(flag);
            }
            count("flag change");
            timeline("driver: " + (add ? "+" : "-") + flag + " on " + shortId(m) + " on " + SIDE[side] + " " + mailbox + " -> " + m.flags);
        }

        void expunge(Round r, int side) throws Exception {
            String mailbox = pick(r.mailboxesOn(side));
            Map<String, TestImap.Header> here = r.index(side, mailbox);
            List<Msg> candidates = new ArrayList<>();
            for (Msg m : liveIn(mailbox)) {
                if (here.containsKey(m.id)) {
                    candidates.add(m);
                }
            }
            if (candidates.isEmpty()) {
                count("skipped");
                return;
            }
            Msg m = candidates.get(rng.nextInt(candidates.size()));
            r.imap[side].expunge(wire(side, mailbox), here.get(m.id).uid());
            r.invalidate(side, mailbox);
            live.remove(m.id);
            expunged.add(m.id);
            count("expunge");
            timeline("driver: expunge " + shortId(m) + " on " + SIDE[side] + " " + mailbox);
        }

        /** A move as a client without MOVE does it: a copy appended to the target, the original expunged. */
        void move(Round r, int side) throws Exception {
            List<String> boxes = r.mailboxesOn(side);
            if (boxes.size() < 2) {
                count("skipped");
                return;
            }
            String from = pick(boxes);
            List<String> others = new ArrayList<>(boxes);
            others.remove(from);
            String to = pick(others);
            Map<String, TestImap.Header> here = r.index(side, from);
            List<Msg> candidates = new ArrayList<>();
            for (Msg m : liveIn(from)) {
                TestImap.Header h = here.get(m.id);
                if (h != null && h.flags().equals(m.flags)) {
                    candidates.add(m);
                }
            }
            if (candidates.isEmpty()) {
                count("skipped");
                return;
            }
            Msg m = candidates.get(rng.nextInt(candidates.size()));
            int number = ++messageNumber;
            String id = "soak-" + seed + "-" + number + "@camel-interimap.test";
            Msg copy = new Msg(id, number, message(number, id, m, 0), to, m.flags);
            r.imap[side].append(wire(side, to), copy.raw, null, copy.flags.toArray(String[]::new));
            live.put(id, copy);
            r.imap[side].expunge(wire(side, from), here.get(m.id).uid());
            live.remove(m.id);
            expunged.add(m.id);
            r.invalidate(side, from);
            r.invalidate(side, to);
            count("move");
            timeline("driver: move " + shortId(m) + " on " + SIDE[side] + " " + from + " -> " + to + " as " + shortId(copy) + " " + copy.flags);
        }

        List<Msg> liveIn(String mailbox) {
            List<Msg> out = new ArrayList<>();
            for (Msg m : live.values()) {
                if (m.mailbox.equals(mailbox)) {
                    out.add(m);
                }
            }
            out.sort((a, b) -> Integer.compare(a.number, b.number));
            return out;
        }

        /** A message with its own Message-ID; a moved copy keeps the original's body and says where it came from. */
        byte[] message(int number, String id, Msg movedFrom, int size) {
            StringBuilder sb = new StringBuilder();
            sb.append("From: soak@example.org\r\nTo: user@example.org\r\n");
            sb.append("Subject: soak ").append(number).append(movedFrom == null ? "" : " (moved " + movedFrom.number + ")").append("\r\n");
            sb.append("Message-ID: <").append(id).append(">\r\n");
            if (movedFrom != null) {
                String original = new String(movedFrom.raw, StandardCharsets.UTF_8);
                sb.append("X-Soak-Moved-From: <").append(movedFrom.id).append(">\r\n");
                sb.append(original, original.indexOf("\r\n\r\n") + 2, original.length());
            } else {
                sb.append("\r\n");
                while (sb.length() < size) {
                    sb.append("line ").append(sb.length()).append(" of soak message ").append(number).append("\r\n");
                }
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        String pick(List<String> from) {
            return from.get(rng.nextInt(from.size()));
        }

        void count(String op) {
            ops.merge(op, 1, Integer::sum);
        }

        /** One line of target/soak/seed-N/timeline.log: what the driver, the faults and the daemon did, in order. */
        void timeline(String event) {
            timeline.printf(Locale.ROOT, "%9.3f %s%n", (System.nanoTime() - started) / 1e9, event);
        }

        String shortId(Msg m) {
            return "#" + m.number;
        }

        String wire(int side, String canonical) {
            return canonical.replace('/', sep[side]);
        }

        /** One round of the driver: a connection to each server, and what it read, reused until changed. */
        final class Round implements AutoCloseable {
            final TestImap[] imap = new TestImap[2];
            final Map<String, Map<String, TestImap.Header>> index = new HashMap<>();
            @SuppressWarnings("unchecked")
            final Set<String>[] folders = new Set[2];

            Round() throws Exception {
                imap[LOCAL] = TestImap.connect(servers[LOCAL], f.user);
                try {
                    imap[REMOTE] = TestImap.connect(servers[REMOTE], f.user);
                } catch (Exception e) {
                    imap[LOCAL].close();
                    throw e;
                }
            }

            Set<String> folders(int side) throws Exception {
                if (folders[side] == null) {
                    folders[side] = new TreeSet<>();
                    for (String name : imap[side].folders()) {
                        folders[side].add(name.replace(sep[side], '/'));
                    }
                }
                return folders[side];
            }

            /** The model's mailboxes that exist on a side, in a stable order. */
            List<String> mailboxesOn(int side) throws Exception {
                List<String> out = new ArrayList<>();
                for (String name : mailboxes.keySet()) {
                    if (folders(side).contains(name)) {
                        out.add(name);
                    }
                }
                return out;
            }

            Map<String, TestImap.Header> index(int side, String mailbox) throws Exception {
                Map<String, TestImap.Header> m = index.get(side + ":" + mailbox);
                if (m == null) {
                    m = new HashMap<>();
                    for (TestImap.Header h : imap[side].headers(wire(side, mailbox))) {
                        m.putIfAbsent(id(h), h);
                    }
                    index.put(side + ":" + mailbox, m);
                }
                return m;
            }

            void invalidate(int side, String mailbox) {
                index.remove(side + ":" + mailbox);
            }

            @Override
            public void close() throws Exception {
                imap[LOCAL].close();
                imap[REMOTE].close();
            }
        }

        static String id(TestImap.Header h) {
            if (h.messageId() == null) {
                return "(none)";
            }
            Matcher m = MESSAGE_ID.matcher(h.messageId());
            return m.matches() ? m.group(1) : h.messageId();
        }

        // ---- faults ----------------------------------------------------------------------------

        void fault(String kind) throws Exception {
            daemon.drain();
            bucket = kind;
            timeline("fault: " + kind);
            switch (kind) {
                case "kick" -> {
                    int side = rng.nextInt(2);
                    DovecotRig.kick(servers[side], f.user);
                    faults.merge("kick " + SIDE[side], 1, Integer::sum);
                    timeline("kicked " + SIDE[side]);
                }
                case "restart" -> {
                    int side = rng.nextInt(2);
                    maxOutage = Math.max(maxOutage, restartDovecot(side));
                    faults.merge("restart " + SIDE[side], 1, Integer::sum);
                }
                default -> {
                    checkAlive();
                    timeline("daemon " + daemonRuns + ": kill -9");
                    daemon.process.destroyForcibly(); // SIGKILL
                    if (!daemon.process.waitFor(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the daemon survived SIGKILL for 30 s");
                    }
                    daemon.drain();
                    faults.merge("kill-9", 1, Integer::sum);
                    Thread.sleep(rng.nextInt(1500));
                    daemon = startDaemon();
                }
            }
        }

        /**
         * Restarts one Dovecot instance: the test user's sessions dropped (a stopping master does not
         * end its running sessions itself, but a real restart loses them), the master stopped (SIGTERM),
         * and started again with the same configuration. Returns the outage in seconds.
         */
        double restartDovecot(int side) throws Exception {
            Path conf = DovecotRig.dovecotConfig(servers[side]).toRealPath();
            long pid = Long.parseLong(Files.readString(conf.resolveSibling("run").resolve("master.pid")).trim());
            ProcessHandle master = ProcessHandle.of(pid)
                    .orElseThrow(() -> new IllegalStateException(SIDE[side] + ": no Dovecot master with pid " + pid));
            long t0 = System.nanoTime();
            DovecotRig.kick(servers[side], f.user);
            long kicked = System.nanoTime();
            master.destroy();
            if (!waitUntil(() -> !master.isAlive(), 10_000)) {
                master.destroyForcibly();
                waitUntil(() -> !master.isAlive(), 5_000);
            }
            long stopped = System.nanoTime();
            int attempts = startDovecot(side, conf);
            double outage = (System.nanoTime() - t0) / 1e9;
            timeline(String.format(Locale.ROOT, "restart %s: sessions kicked after %.2f s, master down after %.2f s,"
                    + " up again after %.2f s (%d start attempt(s))", SIDE[side], (kicked - t0) / 1e9, (stopped - t0) / 1e9,
                    outage, attempts));
            return outage;
        }

        /** Starts a stopped Dovecot instance; returns how many attempts it took. */
        int startDovecot(int side, Path conf) throws Exception {
            Path out = logDir.resolve("dovecot-start-" + SIDE[side] + ".log");
            DovecotRig.Server s = servers[side];
            int attempt = 1;
            for (; ; attempt++) {
                if (masterRunning(conf)) {
                    break; // started meanwhile by another user of the rig (bin/rig start)
                }
                Process p = new ProcessBuilder("dovecot", "-c", conf.toString()).redirectErrorStream(true)
                        .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    break;
                }
                p.destroyForcibly();
                if (attempt == 50) {
                    throw new IllegalStateException(SIDE[side] + ": Dovecot did not start again: " + Files.readString(out));
                }
                timeline("dovecot start attempt " + attempt + " failed: " + Files.readString(out).trim());
                Thread.sleep(100);
            }
            if (!waitUntil(() -> portOpen(s.imapPort()) && portOpen(s.imapsPort()), 20_000)) {
                throw new IllegalStateException(SIDE[side] + ": Dovecot restarted but does not answer");
            }
            return attempt;
        }

        /** Whether the master named by the instance's pid file runs. */
        static boolean masterRunning(Path conf) {
            try {
                long pid = Long.parseLong(Files.readString(conf.resolveSibling("run").resolve("master.pid")).trim());
                return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            } catch (IOException | NumberFormatException e) {
                return false;
            }
        }

        void ensureDovecotRunning(int side) {
            try {
                DovecotRig.Server s = servers[side];
                Path conf = DovecotRig.dovecotConfig(s).toRealPath();
                if (!masterRunning(conf)) {
                    startDovecot(side, conf);
                }
            } catch (Exception e) {
                violations.add(SIDE[side] + ": could not bring Dovecot back: " + e);
            }
        }

        static boolean portOpen(int port) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        static boolean waitUntil(BooleanSupplier condition, long millis) throws InterruptedException {
            long end = System.currentTimeMillis() + millis;
            while (!condition.getAsBoolean()) {
                if (System.currentTimeMillis() > end) {
                    return false;
                }
                Thread.sleep(50);
            }
            return true;
        }

        // ---- the daemon ------------------------------------------------------------------------

        /** One run of {@code interimap --notify}, its output (stdout and stderr) in a file read as it grows. */
        final class Daemon {
            final Process process;
            final Path log;
            long offset;
            final StringBuilder partial = new StringBuilder();

            Daemon(Process process, Path log) {
                this.process = process;
                this.log = log;
            }

            /** Reads what the daemon printed since the last call; returns the number of lines. */
            int drain() throws IOException {
                byte[] bytes;
                try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
                    long length = file.length();
                    if (length <= offset) {
                        return 0;
                    }
                    bytes = new byte[(int) Math.min(length - offset, 64 << 20)];
                    file.seek(offset);
                    file.readFully(bytes);
                    offset += bytes.length;
                }
                partial.append(new String(bytes, StandardCharsets.ISO_8859_1));
                int lines = 0;
                int nl;
                while ((nl = partial.indexOf("\n")) >= 0) {
                    line(partial.substring(0, nl));
                    partial.delete(0, nl + 1);
                    lines++;
                }
                return lines;
            }
        }

        Daemon startDaemon() throws IOException {
            Path log = logDir.resolve("daemon-" + (++daemonRuns) + ".log");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
            cmd.addAll(Cli.nativeLibraryOptions());
            cmd.addAll(List.of("-jar", Cli.jar().toString(), "interimap", "--config=" + f.config, "--notify"));
            if (debug) {
                cmd.add("--debug");
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            timeline("daemon " + daemonRuns + " started, pid " + p.pid());
            return new Daemon(p, log);
        }

        /** The daemon must be running unless the test killed it: if it ended on its own, that is reported and it starts again. */
        void checkAlive() throws IOException {
            if (!daemon.process.isAlive()) {
                daemon.drain();
                diedOnItsOwn++;
                violations.add("the daemon (run " + daemonRuns + ") ended on its own with exit code " + daemon.process.exitValue()
                        + " after a " + bucket + " (output: " + daemon.log + ")");
                daemon = startDaemon();
            }
        }

        void line(String line) {
            timeline("daemon " + daemonRuns + ": " + line);
            Bucket b = buckets.get(bucket);
            b.lines++;
            String kind = null;
            if (line.contains("ERROR: ")) {
                b.errors++;
                kind = "ERROR";
            } else if (line.contains("WARNING: ")) {
                b.warnings++;
                kind = "WARNING";
                if (line.contains("Conflicting flag update")) {
                    conflictWarnings++;
                }
            } else if (FRAMEWORK.matcher(line).find()) {
                b.framework++;
                kind = "framework";
            } else if (STACK.matcher(line).find()) {
                b.stack++;
                kind = "stack trace";
                if (stackTraces.size() < 20) {
                    stackTraces.add("run " + daemonRuns + ": " + line);
                }
            } else if (debug && PASS.matcher(line).find()) {
                b.passes++;
            }
            if (kind != null) {
                String shape = line.replaceAll("\\d+", "N");
                notable.merge(bucket + " | " + kind + " | " + (shape.length() > 170 ? shape.substring(0, 170) + "..." : shape),
                        1, Integer::sum);
            }
        }

        // ---- the end ---------------------------------------------------------------------------

        /** Waits until both servers hold the same messages and flags, twice in a row, and the daemon is quiet. */
        void settle() throws Exception {
            timeline("driver stopped; waiting for the daemon to settle");
            long t0 = System.currentTimeMillis();
            String previous = null;
            while (System.currentTimeMillis() - t0 < settleSeconds * 1000L) {
                Thread.sleep(1500);
                checkAlive();
                int printed = daemon.drain();
                String l = state(LOCAL);
                String r = state(REMOTE);
                boolean same = l != null && l.equals(r);
                if (same && l.equals(previous) && (printed == 0 || debug)) {
                    settled = String.format(Locale.ROOT, "converged %.1f s after the driver stopped",
                            (System.currentTimeMillis() - t0) / 1000.0);
                    return;
                }
                previous = same ? l : null;
            }
            settled = "NOT converged within " + settleSeconds + " s";
            violations.add("the daemon did not bring the servers together within " + settleSeconds
                    + " s after the driver stopped: " + difference());
        }

        /** Every selectable mailbox of a server with its messages' ids and flags; null when it cannot be read now. */
        String state(int side) {
            try {
                return new TreeMap<>(read(side)).toString();
            } catch (Exception e) {
                return null;
            }
        }

        /** Selectable mailbox (canonical name) -> its messages' "id flags", sorted. */
        Map<String, List<String>> read(int side) throws Exception {
            Map<String, List<String>> out = new TreeMap<>();
            try (TestImap t = TestImap.connect(servers[side], f.user)) {
                for (String name : t.folders()) {
                    List<TestImap.Header> headers;
                    try {
                        headers = t.headers(name);
                    } catch (MessagingException e) {
                        continue; // \NoSelect
                    }
                    List<String> items = new ArrayList<>();
                    for (TestImap.Header h : headers) {
                        items.add(id(h) + " " + String.join(" ", h.flags()));
                    }
                    items.sort(null);
                    out.put(name.replace(sep[side], '/'), items);
                }
            }
            return out;
        }

        /** A short description of how the servers differ: per mailbox, the counts and a few items on one side only. */
        String difference() {
            try {
                Map<String, List<String>> l = read(LOCAL);
                Map<String, List<String>> r = read(REMOTE);
                List<String> out = new ArrayList<>();
                Set<String> names = new TreeSet<>(l.keySet());
                names.addAll(r.keySet());
                for (String name : names) {
                    List<String> a = l.getOrDefault(name, List.of());
                    List<String> b = r.getOrDefault(name, List.of());
                    if (a.equals(b)) {
                        continue;
                    }
                    List<String> onlyL = new ArrayList<>(a);
                    onlyL.removeAll(b);
                    List<String> onlyR = new ArrayList<>(b);
                    onlyR.removeAll(a);
                    out.add(name + " (local " + (l.containsKey(name) ? a.size() : "absent") + ", remote "
                            + (r.containsKey(name) ? b.size() : "absent") + "; local only " + shorten(onlyL)
                            + ", remote only " + shorten(onlyR) + ")");
                }
                return out.isEmpty() ? "no difference now" : String.join("; ", out);
            } catch (Exception e) {
                return "cannot read the servers: " + e;
            }
        }

        String shorten(List<String> items) {
            List<String> shown = new ArrayList<>();
            for (String i : items) {
                shown.add(i.replace("-" + seed + "-", "#").replace("@camel-interimap.test", ""));
                if (shown.size() == 4) {
                    break;
                }
            }
            return items.size() + (items.isEmpty() ? "" : " " + shown + (items.size() > shown.size() ? "..." : ""));
        }

        void stopDaemon() throws Exception {
            checkAlive();
            daemon.drain();
            bucket = "stop";
            timeline("daemon " + daemonRuns + ": SIGTERM");
            daemon.process.destroy(); // SIGTERM: a normal stop
            if (!daemon.process.waitFor(30, TimeUnit.SECONDS)) {
                violations.add("the daemon did not stop within 30 s of SIGTERM");
                daemon.process.destroyForcibly();
                daemon.process.waitFor(30, TimeUnit.SECONDS);
            }
            daemon.drain();
        }

        void finalChecks() throws Exception {
            timeline("final one-shot run");
            Cli.Result last = f.sync();
            List<String> work = new ArrayList<>();
            for (String l : last.output().split("\n")) {
                if (!l.isEmpty() && !TRAFFIC.matcher(l).find()) {
                    work.add(l);
                }
            }
            Files.writeString(logDir.resolve("final-one-shot.log"), last.output());
            finalRun = "exit " + last.exit() + ", " + work.size() + " line(s) beyond the traffic";
            if (last.exit() != 0) {
                violations.add("the final one-shot run exited " + last.exit() + ":\n" + last.output());
            }
            for (String l : work) {
                if (l.contains("ERROR") || STACK.matcher(l).find()) {
                    violations.add("the final one-shot run printed: " + l);
                }
            }

            SyncFixture.Snapshot ls = f.snapshot(SyncFixture.local());
            SyncFixture.Snapshot rs = f.snapshot(SyncFixture.remote());
            if (!ls.equals(rs)) {
                violations.add("the servers differ at the end: " + difference()
                        + (ls.subscribed().equals(rs.subscribed()) ? "" : "; subscriptions local " + ls.subscribed()
                        + " remote " + rs.subscribed()));
            }
            checkModel(LOCAL);
            checkModel(REMOTE);
            if (unions > conflictWarnings) {
                violations.add(unions + " message(s) ended with the union of both sides' flags, but the daemon printed only "
                        + conflictWarnings + " conflict warning(s)");
            }
            for (Map.Entry<String, Bucket> e : buckets.entrySet()) {
                if (e.getValue().stack > 0) {
                    violations.add("the daemon printed " + e.getValue().stack + " stack trace line(s) after a " + e.getKey()
                            + ", first: " + stackTraces.get(0));
                    break;
                }
            }
            try {
                f.assertSilentRun();
                silentRun = "silent";
            } catch (AssertionError e) {
                silentRun = "NOT silent";
                violations.add("a further one-shot run was not silent: " + e.getMessage());
            }
        }

        /** The server against the driver's model: every live message once, where and how expected; nothing else. */
        void checkModel(int side) throws Exception {
            Map<String, List<String>> actual = read(side);
            String who = SIDE[side] + ": ";
            if (!actual.keySet().equals(mailboxes.keySet())) {
                violations.add(who + "mailboxes " + actual.keySet() + ", expected " + mailboxes.keySet());
            }
            Map<String, Integer> seen = new HashMap<>();
            Map<String, List<String>> problems = new LinkedHashMap<>();
            int sideUnions = 0;
            for (Map.Entry<String, List<String>> e : actual.entrySet()) {
                for (String item : e.getValue()) {
                    int space = item.indexOf(' ');
                    String id = item.substring(0, space);
                    Set<String> flags = new TreeSet<>(List.of(item.substring(space + 1).split(" ")));
                    flags.remove("");
                    String shown = e.getKey() + ":" + id.replace("-" + seed + "-", "#").replace("@camel-interimap.test", "");
                    if (seen.merge(id, 1, Integer::sum) == 2) {
                        problems.computeIfAbsent("duplicated", k -> new ArrayList<>()).add(shown);
                    }
                    Msg m = live.get(id);
                    if (expunged.contains(id)) {
                        problems.computeIfAbsent("expunged by the driver but back", k -> new ArrayList<>()).add(shown);
                    } else if (m == null) {
                        problems.computeIfAbsent("not put there by the driver", k -> new ArrayList<>()).add(shown);
                    } else if (!m.mailbox.equals(e.getKey())) {
                        problems.computeIfAbsent("in the wrong mailbox", k -> new ArrayList<>()).add(shown + " (expected in " + m.mailbox + ")");
                    } else if (!flags.equals(m.flags)) {
                        Set<String> allowed = new TreeSet<>(m.flags);
                        allowed.addAll(m.history);
                        if (flags.containsAll(m.flags) && allowed.containsAll(flags)) {
                            sideUnions++;
                        } else {
                            problems.computeIfAbsent("with wrong flags", k -> new ArrayList<>())
                                    .add(shown + " " + flags + " (expected " + m.flags + ")");
                        }
                    }
                }
            }
            for (Msg m : live.values()) {
                if (!seen.containsKey(m.id)) {
                    problems.computeIfAbsent("missing", k -> new ArrayList<>()).add(m.mailbox + ":#" + m.number);
                }
            }
            problems.forEach((what, items) -> violations.add(who + items.size() + " message(s) " + what + ": "
                    + (items.size() > 8 ? items.subList(0, 8) + "..." : items)));
            unions = Math.max(unions, sideUnions);
        }

        void printSummary() {
            StringBuilder s = new StringBuilder();
            long total = (System.nanoTime() - started) / 1_000_000_000L;
            s.append("---- NotifySoakIT summary ----\n");
            s.append(String.format(Locale.ROOT, "seed %d | driving %d s (%d rounds) | total %d s | result %s%n", seed,
                    drivingMillis / 1000, rounds, total, violations.isEmpty() ? "PASS" : "FAIL (" + violations.size() + " violation(s))"));
            StringBuilder o = new StringBuilder();
            ops.forEach((k, v) -> o.append(o.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
            s.append("operations: ").append(o).append(" | model at the end: ").append(live.size()).append(" messages in ")
                    .append(mailboxes.size()).append(" mailboxes, ").append(expunged.size()).append(" expunged\n");
            StringBuilder fl = new StringBuilder();
            faults.forEach((k, v) -> fl.append(fl.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
            s.append("faults: ").append(fl.length() == 0 ? "none" : fl)
                    .append(String.format(Locale.ROOT, " | longest Dovecot outage %.1f s%n", maxOutage));
            int passes = 0;
            int stack = 0;
            StringBuilder bl = new StringBuilder();
            for (Map.Entry<String, Bucket> e : buckets.entrySet()) {
                Bucket b = e.getValue();
                passes += b.passes;
                stack += b.stack;
                bl.append(bl.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(b.errors).append('/')
                        .append(b.warnings).append(b.framework > 0 ? " +" + b.framework + " framework" : "");
            }
            s.append("daemon: ").append(daemonRuns).append(" run(s), died on its own ").append(diedOnItsOwn)
                    .append(", stack trace lines ").append(stack).append(", passes ")
                    .append(debug ? String.valueOf(passes) : "not counted (-Dsoak.debug=true counts them)").append('\n');
            s.append("daemon ERROR/WARNING lines after each kind of fault: ").append(bl).append('\n');
            s.append("end: ").append(settled).append(" | final one-shot ").append(finalRun).append(" | re-run ")
                    .append(silentRun).append(" | flag unions ").append(unions).append(" (conflict warnings ")
                    .append(conflictWarnings).append(")\n");
            s.append("violations: ").append(violations.isEmpty() ? "none" : String.join("\n  ", violations)).append('\n');
            s.append("replay: -Dsoak.seed=").append(seed).append(" -Dsoak.seconds=").append(seconds)
                    .append(" (same random choices, not the same timing); daemon output in ").append(logDir).append('\n');
            s.append("------------------------------\n");
            if (!notable.isEmpty()) {
                s.append("daemon lines by kind (fault before | level | line, digits as N: count):\n");
                notable.forEach((k, v) -> s.append("  ").append(k).append(" : ").append(v).append('\n'));
            }
            if (!stackTraces.isEmpty()) {
                s.append("stack trace lines:\n  ").append(String.join("\n  ", stackTraces)).append('\n');
            }
            System.out.print(s);
            timeline.close();
            try {
                Files.writeString(logDir.resolve("summary.txt"), s);
            } catch (IOException e) {
                // the summary is on stdout anyway
            }
        }
    }
}
