package org.camelinterimap.rig;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Notices restarts of the shared rig's servers: tests that others run at the same time may stop and
 * start them, and a test that saw its servers go away mid-case can then run again instead of
 * reporting a failure of the code under test.
 */
public final class RigWatch {
    private static final Pattern MASTER = Pattern.compile("dovecot -c \\S+/(?:local|remote)/dovecot\\.conf");

    private RigWatch() {
    }

    /** The process ids of the rig's Dovecot master processes (one per running server). */
    public static Set<Long> servers() {
        Set<Long> out = new TreeSet<>();
        ProcessHandle.allProcesses().forEach(ph -> {
            String cmd = ph.info().commandLine().orElse("");
            if (MASTER.matcher(cmd).find()) {
                out.add(ph.pid());
            }
        });
        return out;
    }

    /** Waits (a minute at most) until both servers accept connections; then {@link #servers()}. */
    public static Set<Long> awaitServers() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            if (accepts(DovecotRig.local().imapPort()) && accepts(DovecotRig.remote().imapPort())) {
                return servers();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the rig's servers do not accept connections");
            }
            Thread.sleep(500);
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            s.setSoTimeout(2000);
            return s.getInputStream().read() == '*'; // the greeting
        } catch (IOException e) {
            return false;
        }
    }
}
