package org.camelinterimap.imap;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * The byte streams of one IMAP connection as the protocol layer sees them: they count the traffic
 * into the side's {@link TrafficMeter} and, once COMPRESS=DEFLATE is accepted, deflate below the
 * count (RFC 4978: raw deflate, a sync flush after each write burst).
 *
 * <p>Written here rather than using Angus Mail's own {@code compress()}: Angus wraps the socket's
 * streams in its private fields, where neither the uncompressed nor the compressed byte counts can
 * be read. The sockets of {@link MeteredSockets} hand out these streams instead of their own.
 *
 * <p>Invariant: only the outermost layer counts. When TLS is layered over a counted plain socket
 * (STARTTLS), {@link #suspend} stops the plain streams, so the handshake and the TLS records are not
 * taken for IMAP bytes.
 */
final class MeteredStreams {
    private static final int BUFFER = 16 * 1024;
    /** Bytes gathered before a write to the socket below: several full TLS records. */
    private static final int WIRE_BUFFER = 64 * 1024;
    private final TrafficMeter meter;
    private final StreamWatchdog watchdog;
    private final ResponseLimits limits;
    private In in;
    private Out out;

    MeteredStreams(TrafficMeter meter) {
        this(meter, new StreamWatchdog("server", 0), ResponseLimits.forHeap(Runtime.getRuntime().maxMemory()));
    }

    /**
     * @param watchdog bounds every read and write below the protocol layer
     * @param limits   checks the protocol bytes going up (the outermost layer's)
     */
    MeteredStreams(TrafficMeter meter, StreamWatchdog watchdog, ResponseLimits limits) {
        this.meter = meter;
        this.watchdog = watchdog;
        this.limits = limits;
    }

    StreamWatchdog watchdog() {
        return watchdog;
    }

    synchronized InputStream input(InputStream raw) {
        if (in == null || in.raw != raw) {
            in = new In(raw);
        }
        return in;
    }

    synchronized OutputStream output(OutputStream raw) {
        if (out == null || out.raw != raw) {
            out = new Out(raw);
        }
        return out;
    }

    /**
     * The streams handed out so far stop counting and buffering: another layer (TLS) is being put
     * over them, which writes its records when it means to.
     */
    synchronized void suspend() throws IOException {
        if (in != null) {
            in.counting = false;
        }
        if (out != null) {
            out.counting = false;
            out.unbuffer();
        }
    }

    /**
     * Lets the next {@code count} flushes of the protocol layer pass without effect (0: none). The
     * protocol layer flushes after every literal's header, even a non-synchronizing one (LITERAL+),
     * where the server waits for nothing: in a MULTIAPPEND that would send each message in its own
     * TCP segments, TLS records and deflate block, each one more wake-up for the server. A command
     * with {@code count} non-synchronizing literals skips {@code count} flushes, so its final flush
     * (after the closing CRLF) still sends it whole. Skipping fewer flushes than that is always safe.
     */
    synchronized void skipFlushes(int count) {
        if (out != null) {
            out.flushesToSkip = count;
        }
    }

    /**
     * Switches both directions to deflate. Call right after the tagged OK of COMPRESS DEFLATE and
     * before sending anything else (the server sends nothing meanwhile).
     */
    synchronized void startCompression() throws IOException {
        if (in == null || out == null) {
            throw new IOException("no connection streams to compress");
        }
        in.startInflating();
        out.startDeflating();
        meter.compressionStarted();
    }

    /**
     * One direction in: {@code wire} counts what crosses the layer below (always), the stream itself
     * counts the protocol bytes it hands up; they differ once {@code current} inflates.
     */
    private final class In extends InputStream {
        final InputStream raw;
        volatile boolean counting = true;
        private final InputStream wire;
        private final byte[] one = new byte[1];
        private InputStream current;

        In(InputStream raw) {
            this.raw = raw;
            this.wire = new FilterInputStream(raw) {
                private final byte[] one = new byte[1];

                @Override
                public int read() throws IOException {
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n;
                    watchdog.begin(false);
                    try {
                        n = super.read(b, off, len);
                    } catch (IOException e) {
                        throw watchdog.translate(e);
                    } finally {
                        watchdog.end();
                    }
                    if (n < 0 && watchdog.expired() != null) {
                        throw watchdog.translate(new EOFException()); // a tunnel ended by the watchdog
                    }
                    if (n > 0 && counting) {
                        meter.addReceivedWire(n);
                    }
                    return n;
                }
            };
            this.current = wire;
        }

        void startInflating() {
            current = new InflaterInputStream(wire, new Inflater(true), BUFFER);
        }

        @Override
        public int read() throws IOException {
            // through the bulk read, so that the limits see every byte; one reader at a time
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = current.read(b, off, len);
            if (n > 0 && counting) {
                meter.addReceived(n);
                limits.scan(b, off, n);
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return current.available();
        }

        @Override
        public void close() throws IOException {
            current.close();
        }
    }

    /** One direction out, counted as {@link In} is: protocol bytes here, {@code wire} below. */
    private final class Out extends OutputStream {
        final OutputStream raw;
        volatile boolean counting = true;
        volatile int flushesToSkip;
        private final OutputStream wire;
        private final OutputStream buffered;
        private OutputStream current;

        Out(OutputStream raw) {
            this.raw = raw;
            this.wire = new FilterOutputStream(raw) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    watchdog.begin(true);
                    try {
                        out.write(b, off, len);
                    } catch (IOException e) {
                        throw watchdog.translate(e);
                    } finally {
                        watchdog.end();
                    }
                    if (counting) {
                        meter.addSentWire(len);
                    }
                }

                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void flush() throws IOException {
                    watchdog.begin(true);
                    try {
                        out.flush();
                    } catch (IOException e) {
                        throw watchdog.translate(e);
                    } finally {
                        watchdog.end();
                    }
                }
            };
            this.buffered = new BufferedOutputStream(wire, WIRE_BUFFER);
            this.current = buffered;
        }

        void unbuffer() throws IOException {
            buffered.flush();
            current = wire;
        }

        void startDeflating() throws IOException {
            // sync flush: every flush of the protocol layer ends a command, which must reach the server whole
            buffered.flush();
            current = new DeflaterOutputStream(buffered, new Deflater(Deflater.DEFAULT_COMPRESSION, true), BUFFER, true);
        }

        @Override
        public void write(int b) throws IOException {
            current.write(b);
            if (counting) {
                meter.addSent(1);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            current.write(b, off, len);
            if (counting) {
                meter.addSent(len);
            }
        }

        @Override
        public void flush() throws IOException {
            if (flushesToSkip > 0) {
                flushesToSkip--;
                return;
            }
            current.flush();
        }

        @Override
        public void close() throws IOException {
            current.close();
        }
    }
}
