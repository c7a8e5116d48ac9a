package org.camelinterimap.sync;

/** The two servers of a pair, named as in the configuration file. */
public enum Side {
    LOCAL, REMOTE;

    public Side other() {
        return this == LOCAL ? REMOTE : LOCAL;
    }

    /** {@code local} or {@code remote}, as in log lines. */
    public String label() {
        return this == LOCAL ? "local" : "remote";
    }
}
