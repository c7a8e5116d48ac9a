package org.camelinterimap.sync;

import java.util.EnumMap;
import java.util.Map;

/** One connection to each side, used by one thread at a time. */
public record ServerPair(MailServer local, MailServer remote, AutoCloseable closer) implements AutoCloseable {

    public MailServer get(Side side) {
        return side == Side.LOCAL ? local : remote;
    }

    public Map<Side, MailServer> asMap() {
        EnumMap<Side, MailServer> m = new EnumMap<>(Side.class);
        m.put(Side.LOCAL, local);
        m.put(Side.REMOTE, remote);
        return m;
    }

    @Override
    public void close() {
        try {
            closer.close();
        } catch (Exception ignored) {
            // closing is best effort: the servers drop the connections on their side too
        }
    }

    /** Opens connected, authenticated, QRESYNC-enabled pairs. */
    @FunctionalInterface
    public interface Factory {
        ServerPair open() throws SyncException;
    }
}
