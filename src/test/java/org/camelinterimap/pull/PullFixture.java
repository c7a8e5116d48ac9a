package org.camelinterimap.pull;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.camelinterimap.rig.TestImap;

/**
 * One pullimap account on the rig for a test: a fresh source user on the local server (IMAP with
 * STARTTLS), a fresh recipient on the remote server reached over the rig's real LMTP, a config
 * file and statefile in the test's own directory.
 */
final class PullFixture {
    final Path dir;
    final String user = DovecotRig.user("pull");
    final String rcpt = DovecotRig.user("dst");
    final Path statefile;
    final Path config;

    PullFixture(Path dir) throws Exception {
        this(dir, "lmtp:[127.0.0.1]:" + DovecotRig.remote().lmtpPort(), "");
    }

    PullFixture(Path dir, String deliverMethod, String extra) throws Exception {
        this.dir = dir;
        this.statefile = dir.resolve("state");
        this.config = dir.resolve("pullimap.conf");
        Files.writeString(config, "[acc]\n" + section(user, deliverMethod, rcpt, statefile) + extra + "\n");
    }

    static String section(String user, String deliverMethod, String rcpt, Path statefile) {
        return "type = imap\nhost = 127.0.0.1\nport = " + DovecotRig.local().imapPort() + "\nSTARTTLS = YES\n"
                + "SSL_CAfile = " + DovecotRig.caFile() + "\nusername = " + user + "\npassword = " + DovecotRig.PASSWORD
                + "\ndeliver-method = " + deliverMethod + "\ndeliver-rcpt = " + rcpt + "\nstatefile = " + statefile + "\n";
    }

    /** Appends {@code n} messages to the source INBOX; returns their bytes in UID order. */
    List<byte[]> put(int n, String prefix) throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (TestImap imap = TestImap.connect(DovecotRig.local(), user)) {
            for (int i = 0; i < n; i++) {
                byte[] raw = TestImap.message(prefix + " " + i, "line one\r\n.a line starting with a dot\r\nend");
                imap.append("INBOX", raw, null);
                out.add(raw);
            }
        }
        return out;
    }

    List<TestImap.Msg> source() throws Exception {
        try (TestImap imap = TestImap.connect(DovecotRig.local(), user)) {
            return imap.messages("INBOX");
        }
    }

    /** What the recipient's INBOX holds (delivered over LMTP). */
    List<TestImap.Msg> delivered() throws Exception {
        try (TestImap imap = TestImap.connect(DovecotRig.remote(), rcpt)) {
            return imap.messages("INBOX");
        }
    }

    /** The statefile as 32-bit unsigned integers. */
    long[] state() throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(statefile));
        long[] out = new long[b.remaining() / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getInt() & 0xffffffffL;
        }
        return out;
    }

    void writeState(long... values) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length);
        for (long v : values) {
            b.putInt((int) v);
        }
        Files.write(statefile, b.array());
    }

    Cli.Result run(String... args) throws Exception {
        return Cli.finish(start(Map.of(), args));
    }

    Process start(Map<String, String> env, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--config=" + config));
        all.addAll(List.of(args));
        if (List.of(args).stream().allMatch(a -> a.startsWith("-"))) {
            all.add("acc");
        }
        return Cli.start("pullimap", env, all.toArray(String[]::new));
    }

    Cli.Result runReference(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--config=" + config));
        all.addAll(List.of(args));
        all.add("acc");
        return Cli.finish(Cli.startReference("pullimap", Map.of(), all.toArray(String[]::new)));
    }

    /** Whether {@code delivered} ends with the source bytes (LMTP prepends Return-Path, Delivered-To, Received). */
    static boolean endsWith(byte[] delivered, byte[] source) {
        if (delivered.length < source.length) {
            return false;
        }
        int off = delivered.length - source.length;
        for (int i = 0; i < source.length; i++) {
            if (delivered[off + i] != source[i]) {
                return false;
            }
        }
        return true;
    }
}
