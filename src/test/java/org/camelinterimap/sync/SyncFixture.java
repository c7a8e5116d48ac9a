package org.camelinterimap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.camelinterimap.config.ConnectionConfig;
import org.camelinterimap.imap.ImapConnection;
import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.camelinterimap.rig.TestImap;

/**
 * One account pair on the rig for one test: a fresh user on both servers, an interimap
 * configuration with its own database, and helpers to put mail on the servers, run the tool, and
 * read back what the servers hold.
 */
final class SyncFixture {
    final String user;
    final Path dir;
    final Path config;

    SyncFixture(Path dir, String prefix) throws Exception {
        this(dir, prefix, "");
    }

    SyncFixture(Path dir, String prefix, String extraDefaults) throws Exception {
        this.user = DovecotRig.user(prefix);
        this.dir = dir;
        this.config = DovecotRig.writeInterimapConfig(dir, user, extraDefaults);
    }

    Path database() {
        return dir.resolve("interimap.db");
    }

    static DovecotRig.Server local() {
        return DovecotRig.local();
    }

    static DovecotRig.Server remote() {
        return DovecotRig.remote();
    }

    TestImap imap(DovecotRig.Server server) throws Exception {
        return TestImap.connect(server, user);
    }

    /** Our interimap on this account pair. */
    Cli.Result sync(String... mailboxes) throws Exception {
        return syncEnv(Map.of(), mailboxes);
    }

    Cli.Result syncEnv(Map<String, String> env, String... mailboxes) throws Exception {
        List<String> args = new ArrayList<>();
        args.add("--config=" + config);
        args.addAll(List.of(mailboxes));
        return Cli.finish(Cli.start("interimap", env, args.toArray(String[]::new)));
    }

    /** A run that must succeed. */
    Cli.Result syncOk(String... mailboxes) throws Exception {
        Cli.Result r = sync(mailboxes);
        assertEquals(0, r.exit(), () -> "interimap failed:\n" + r.output());
        return r;
    }

    /**
     * What a run with nothing to do prints, as the reference does: the traffic of each side, the
     * remote one compressed (COMPRESS defaults to YES for [remote]).
     */
    static final java.util.regex.Pattern TRAFFIC_ONLY = java.util.regex.Pattern.compile(
            "local: IMAP traffic \\(bytes\\): recv \\d+(\\.\\d\\dK)? sent \\d+(\\.\\d\\dK)?\n"
            + "remote: IMAP traffic \\(bytes\\): recv \\S+ \\(compr\\. \\S+, factor \\d\\.\\d\\d\\)"
            + " sent \\S+ \\(compr\\. \\S+, factor \\d\\.\\d\\d\\)\n");

    /** Runs again and asserts the run said nothing but its traffic and changed nothing on either server. */
    void assertSilentRun() throws Exception {
        Map<String, long[]> before = statuses();
        Map<String, Snapshot> contentsBefore = Map.of("local", snapshot(local()), "remote", snapshot(remote()));
        Cli.Result r = sync();
        assertEquals(0, r.exit(), () -> "second run failed:\n" + r.output());
        assertTrue(TRAFFIC_ONLY.matcher(r.stderr()).matches() && r.stdout().isEmpty(),
                () -> "a run with nothing to do prints only the traffic lines:\n" + r.output());
        Map<String, long[]> after = statuses();
        assertEquals(render(before), render(after), "a run with nothing to do writes nothing (UIDNEXT, HIGHESTMODSEQ)");
        assertEquals(contentsBefore.get("local"), snapshot(local()));
        assertEquals(contentsBefore.get("remote"), snapshot(remote()));
    }

    private static String render(Map<String, long[]> m) {
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(k).append(" uidvalidity=").append(v[0]).append(" uidnext=").append(v[1])
                .append(" highestmodseq=").append(v[2]).append('\n'));
        return sb.toString();
    }

    /** A raw IMAP connection (the project's own client) in clear text, for STATUS and exact APPENDs. */
    ImapConnection raw(DovecotRig.Server server) throws Exception {
        ConnectionConfig cfg = new ConnectionConfig(server.name(), ConnectionConfig.Type.IMAP, "127.0.0.1",
                server.imapPort(), null, false, false, List.of("PLAIN", "LOGIN"), user, DovecotRig.PASSWORD, false,
                true, null, null, List.of(), null, null, null);
        ImapConnection c = ImapConnection.open(cfg, null, false);
        return c;
    }

    /** "server:mailbox" → {UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ} for every mailbox of both servers. */
    Map<String, long[]> statuses() throws Exception {
        Map<String, long[]> out = new TreeMap<>();
        for (DovecotRig.Server s : List.of(local(), remote())) {
            List<String> folders;
            try (TestImap t = imap(s)) {
                folders = new ArrayList<>();
                for (String name : snapshotNames(t)) {
                    folders.add(name);
                }
            }
            try (ImapConnection c = raw(s)) {
                for (String f : folders) {
                    out.put(s.name() + ":" + f, c.status(encode(f)));
                }
            }
        }
        return out;
    }

    /** The selectable mailboxes' full names (as Jakarta Mail gives them, decoded). */
    private static List<String> snapshotNames(TestImap t) throws Exception {
        List<String> out = new ArrayList<>();
        for (String f : t.folders()) {
            try {
                t.messages(f);
                out.add(f);
            } catch (jakarta.mail.MessagingException e) {
                // \\NoSelect
            }
        }
        return out;
    }

    /** Appends with an exact INTERNALDATE string (null: the server's clock). */
    long append(DovecotRig.Server server, String mailbox, byte[] raw, String internalDate, String... flags)
            throws Exception {
        try (ImapConnection c = raw(server)) {
            return c.append(mailbox, List.of(new ImapConnection.AppendItem(List.of(flags), internalDate, raw))).get(0);
        }
    }

    /** The modified UTF-7 wire form of a mailbox name (RFC 3501 section 5.1.3), as Jakarta Mail encodes it. */
    static String encode(String name) {
        return org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder.encode(name);
    }

    /** One message as compared across servers. */
    record Item(String subject, String flags, String sha256, long internalDate) {
    }

    /** A server's mailboxes (with '/' as delimiter) and their messages, UIDs left out. */
    record Snapshot(Map<String, List<Item>> mailboxes, Map<String, Boolean> subscribed) {
    }

    Snapshot snapshot(DovecotRig.Server server) throws Exception {
        Map<String, List<Item>> out = new TreeMap<>();
        Map<String, Boolean> subs = new TreeMap<>();
        try (TestImap t = imap(server)) {
            char sep = t.separator();
            for (String f : t.folders()) {
                List<Item> items = new ArrayList<>();
                List<TestImap.Msg> msgs;
                try {
                    msgs = t.messages(f);
                } catch (jakarta.mail.MessagingException e) {
                    continue; // a \\NoSelect parent: not a mailbox to sync
                }
                for (TestImap.Msg m : msgs) {
                    items.add(new Item(m.subject(), String.join(" ", m.flags()), sha256(m.raw()),
                            m.internalDate() == null ? 0 : m.internalDate().getTime()));
                }
                items.sort((a, b) -> (a.subject() + a.sha256()).compareTo(b.subject() + b.sha256()));
                String name = f.replace(sep, '/');
                out.put(name, items);
                subs.put(name, t.subscribed(f));
            }
        }
        return new Snapshot(out, subs);
    }

    /** Subject → count, per mailbox: duplicates and losses show as counts other than 1. */
    Map<String, Map<String, Integer>> subjectCounts(DovecotRig.Server server) throws Exception {
        Map<String, Map<String, Integer>> out = new TreeMap<>();
        for (Map.Entry<String, List<Item>> e : snapshot(server).mailboxes().entrySet()) {
            Map<String, Integer> counts = new TreeMap<>();
            for (Item i : e.getValue()) {
                counts.merge(i.subject(), 1, Integer::sum);
            }
            out.put(e.getKey(), counts);
        }
        return out;
    }

    static String sha256(byte[] raw) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
    }

    static byte[] message(String subject) {
        return TestImap.message(subject, "body of " + subject);
    }

    static byte[] message(String subject, int size) {
        StringBuilder body = new StringBuilder();
        while (body.length() < size) {
            body.append("line ").append(body.length()).append(" of ").append(subject).append("\r\n");
        }
        return ("From: test@example.org\r\nSubject: " + subject + "\r\nMessage-ID: <" + subject.replaceAll("[^A-Za-z0-9]", "")
                + "@test>\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, String> linesOf(String output) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : output.split("\n")) {
            m.put(l, l);
        }
        return m;
    }
}
