package org.camelinterimap.imap;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.camelinterimap.config.ConfigException;
import org.camelinterimap.config.ConnectionConfig;
import org.camelinterimap.support.DaemonThreads;

/**
 * interimap --notify: one extra connection per server that asks for NOTIFY events on every
 * personal mailbox (RFC 5465) and waits in IDLE; any event calls {@code onChange}. IDLE is
 * re-issued every {@code keepaliveMillis} (the server must not log an idle client out); a dropped
 * connection is reopened with growing back-off, and since events may have been missed meanwhile,
 * {@code onChange} is called once it is back.
 */
public final class ImapChangeNotifier implements AutoCloseable {
    private final List<Thread> threads = new ArrayList<>();
    private final List<ImapConnection> live = new ArrayList<>();
    private volatile boolean running = true;

    /**
     * @param onError receives a message when a server cannot be watched (no NOTIFY, connection lost)
     */
    public ImapChangeNotifier(List<ConnectionConfig> servers, ImapConnection.Opener opener, long keepaliveMillis,
                              Runnable onChange, Consumer<String> onError) {
        for (ConnectionConfig cfg : servers) {
            threads.add(DaemonThreads.named("interimap-notify-" + cfg.name())
                    .newThread(() -> watch(cfg, opener, keepaliveMillis, onChange, onError)));
        }
    }

    public void start() {
        threads.forEach(Thread::start);
    }

    private void watch(ConnectionConfig cfg, ImapConnection.Opener opener, long keepaliveMillis,
                       Runnable onChange, Consumer<String> onError) {
        long backoff = 1000;
        boolean missedEvents = false;
        while (running) {
            ImapConnection current = null;
            try (ImapConnection c = opener.open(cfg)) {
                current = c;
                synchronized (live) {
                    live.add(c);
                }
                c.notifyPersonal();
                if (missedEvents) {
                    onChange.run();
                }
                backoff = 1000;
                while (running) {
                    if (c.idle(keepaliveMillis, keyword -> true)) {
                        onChange.run();
                    }
                }
            } catch (ImapException | ConfigException e) {
                if (!running) {
                    return;
                }
                onError.accept(e.getMessage() + "; watching again in " + backoff / 1000 + "s");
                missedEvents = true;
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(backoff * 2, 5 * 60_000);
            } finally {
                synchronized (live) {
                    live.remove(current);
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        synchronized (live) {
            live.forEach(ImapConnection::stopIdle);
        }
        threads.forEach(Thread::interrupt);
    }
}
