package org.camelinterimap.app;

import java.io.OutputStream;
import java.io.PrintStream;

/** Prefixes every line written through it (protocol traces of one connection). */
final class LinePrefixStream extends OutputStream {
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
