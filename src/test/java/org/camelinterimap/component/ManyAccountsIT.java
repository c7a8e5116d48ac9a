package org.camelinterimap.component;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.camelinterimap.rig.DovecotRig;
import org.camelinterimap.rig.TestImap;
import org.camelinterimap.sync.SyncStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Many account pairs in one plain Camel context, each a route made from one route template, in
 * notification mode: all of them sync at start; a change in one account is propagated by its
 * watchers alone (no interval elapses); between passes each account holds only its two watcher
 * connections, one per server; and the threads do not grow with the passes: two watchers per
 * account, the component's shared scheduler threads, nothing per pass left behind.
 */
@ExtendWith(DovecotRig.class)
class ManyAccountsIT {
    private static final int ACCOUNTS = 5;
    private static final int SCHEDULER_THREADS = 2;

    @Test
    void manyAccountsInNotifyModeShareThreadsAndKeepOnlyTheirWatchers() throws Exception {
        DovecotRig.ensureStarted();
        Path dir = Files.createTempDirectory("many-accounts");
        List<String> users = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            String user = DovecotRig.user("many");
            users.add(user);
            try (TestImap local = TestImap.connect(DovecotRig.local(), user)) {
                local.append("INBOX", "account " + i + " one");
                local.append("INBOX", "account " + i + " two", "\\Seen");
            }
        }
        Map<String, AtomicLong> passes = new ConcurrentHashMap<>();
        try (CamelContext context = new DefaultCamelContext()) {
            InterimapComponent component = new InterimapComponent();
            component.setSchedulerPoolSize(SCHEDULER_THREADS);
            context.addComponent("interimap", component);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    routeTemplate("account").templateParameter("name").templateParameter("user")
                            .from("interimap:{{name}}?notify=true&delay=600000&initialDelay=0&notifyCheckInterval=200"
                                    + "&localType=imap&localHost=127.0.0.1&localPort=" + DovecotRig.local().imapPort()
                                    + "&localSslCaFile=" + DovecotRig.caFile() + "&localUsername={{user}}"
                                    + "&localPassword=RAW(" + DovecotRig.PASSWORD + ")"
                                    + "&remoteType=imaps&remoteHost=127.0.0.1&remotePort=" + DovecotRig.remote().imapsPort()
                                    + "&remoteSslCaFile=" + DovecotRig.caFile() + "&remoteUsername={{user}}"
                                    + "&remotePassword=RAW(" + DovecotRig.PASSWORD + ")"
                                    + "&database=" + dir + "/{{name}}.db&maxConnections=1")
                            .routeId("{{name}}")
                            .process(new QresyncProcessor())
                            .process(exchange -> {
                                if (exchange.getIn().getBody(SyncStats.class).ok()) {
                                    passes.computeIfAbsent(exchange.getFromRouteId(), k -> new AtomicLong()).incrementAndGet();
                                }
                            });
                }
            });
            for (int i = 0; i < ACCOUNTS; i++) {
                context.addRouteFromTemplate("account-" + i, "account", Map.of("name", "account-" + i, "user", users.get(i)));
            }
            context.start();

            // all in sync
            for (String user : users) {
                await().atMost(Duration.ofSeconds(90)).until(() -> remoteCount(user, "INBOX") == 2);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> passes.size() == ACCOUNTS);
            // between passes: the two watchers of each account, no sync connection
            await().atMost(Duration.ofSeconds(30)).until(() -> watchersOnly(users));
            Map<String, Integer> settled = threads();
            assertEquals(2 * ACCOUNTS, settled.getOrDefault("interimap-notify-local", 0)
                    + settled.getOrDefault("interimap-notify-remote", 0), settled.toString());
            assertTrue(settled.getOrDefault("interimap-pass", 0) <= SCHEDULER_THREADS, settled.toString());

            // a change in one account: its watcher wakes its consumer, which syncs it
            for (int round = 1; round <= 3; round++) {
                String user = users.get(round);
                try (TestImap remote = TestImap.connect(DovecotRig.remote(), user)) {
                    remote.append("INBOX", "change " + round);
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> localCount(user, "INBOX") == 3);
                await().atMost(Duration.ofSeconds(30)).until(() -> watchersOnly(users));
            }
            Map<String, Integer> after = threads();
            for (Map.Entry<String, Integer> e : after.entrySet()) {
                // the pass threads and BothSides' helpers (one per running pass) are pools shared by
                // the accounts: they follow how many passes overlap, at most one per scheduler thread
                boolean pooled = e.getKey().equals("interimap-pass") || e.getKey().equals("interimap-side");
                assertTrue(e.getValue() <= settled.getOrDefault(e.getKey(), 0) || pooled && e.getValue() <= SCHEDULER_THREADS,
                        "threads grew with the passes: " + settled + " -> " + after);
            }
            for (int i = 0; i < ACCOUNTS; i++) {
                assertEquals(i >= 1 && i <= 3 ? 3 : 2, remoteCount(users.get(i), "INBOX"), users.get(i));
            }
        }
    }

    private static int remoteCount(String user, String folder) throws Exception {
        try (TestImap remote = TestImap.connect(DovecotRig.remote(), user)) {
            return remote.messages(folder).size();
        }
    }

    private static int localCount(String user, String folder) throws Exception {
        try (TestImap local = TestImap.connect(DovecotRig.local(), user)) {
            return local.messages(folder).size();
        }
    }

    /** Whether every account holds exactly one IMAP connection per server (its watcher). */
    private static boolean watchersOnly(List<String> users) throws IOException, InterruptedException {
        for (DovecotRig.Server server : List.of(DovecotRig.local(), DovecotRig.remote())) {
            Map<String, Integer> who = who(server);
            for (String user : users) {
                if (who.getOrDefault(user, 0) != 1) {
                    return false;
                }
            }
        }
        return true;
    }

    /** {@code doveadm who}: the IMAP connections of each user on a server. */
    private static Map<String, Integer> who(DovecotRig.Server server) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("doveadm", "-c", DovecotRig.dovecotConfig(server).toString(), "who")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(1, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("doveadm who failed: " + out);
        }
        Map<String, Integer> counts = new TreeMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[1].matches("\\d+") && f[2].equals("imap")) {
                counts.merge(f[0], Integer.parseInt(f[1]), Integer::sum);
            }
        }
        return counts;
    }

    /** The live threads of the sync (the component's, the IMAP layer's, Camel's), by name. */
    private static Map<String, Integer> threads() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (name.contains("interimap-pass")) {
                name = "interimap-pass";
            }
            // the connecting pool is a JVM-wide cached pool whose idle threads expire
            if ((name.startsWith("interimap") || name.startsWith("imap-") || name.startsWith("Camel"))
                    && !name.equals("interimap-connect")) {
                counts.merge(name, 1, Integer::sum);
            }
        }
        return counts;
    }
}
