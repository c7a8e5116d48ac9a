package org.camelinterimap.imap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import org.junit.jupiter.api.Test;

/** The counting connection streams, with and without COMPRESS=DEFLATE, and the traffic line's units. */
class MeteredStreamsTest {
    private static final byte[] GREETING = "* OK ready\r\na1 OK COMPRESS active\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMMAND = "a1 COMPRESS DEFLATE\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void clearTextTrafficIsCountedOnce() throws Exception {
        TrafficMeter meter = new TrafficMeter();
        MeteredStreams streams = new MeteredStreams(meter);
        InputStream in = streams.input(new ByteArrayInputStream(GREETING));
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        OutputStream out = streams.output(wire);
        out.write(COMMAND);
        assertArrayEquals(GREETING, in.readAllBytes());
        assertEquals(GREETING.length, meter.received());
        assertEquals(COMMAND.length, meter.sent());
        assertEquals("IMAP traffic (bytes): recv 35 sent 21", meter.summary());
    }

    @Test
    void afterCompressBothDirectionsDeflateBelowTheCount() throws Exception {
        byte[] response = ("* 1 FETCH (UID 7 BODY[] {4000}\r\n" + "x".repeat(4000) + ")\r\na2 OK done\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] command = ("a2 UID FETCH 1:* BODY.PEEK[]\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] fromServer = concat(GREETING, deflate(response));

        TrafficMeter meter = new TrafficMeter();
        MeteredStreams streams = new MeteredStreams(meter);
        InputStream in = streams.input(new ByteArrayInputStream(fromServer));
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        OutputStream out = streams.output(wire);
        out.write(COMMAND);
        out.flush();
        assertArrayEquals(GREETING, in.readNBytes(GREETING.length));
        streams.startCompression();
        out.write(command);
        out.flush();
        assertArrayEquals(response, in.readNBytes(response.length), "the server's deflated bytes come out inflated");

        byte[] sentCompressed = java.util.Arrays.copyOfRange(wire.toByteArray(), COMMAND.length, wire.size());
        assertArrayEquals(command, inflate(sentCompressed), "each flush delivers the whole command (sync flush)");
        assertEquals(GREETING.length + response.length, meter.received());
        assertEquals(COMMAND.length + command.length, meter.sent());
        String summary = meter.summary();
        String expected = "IMAP traffic (bytes): recv " + TrafficMeter.human(GREETING.length + response.length)
                + " (compr. " + TrafficMeter.human(fromServer.length) + ", factor ";
        assertEquals(expected, summary.substring(0, expected.length()), summary);
    }

    @Test
    void aMultiappendTravelsInFullBuffersAndLeavesWithItsLastFlush() throws Exception {
        MeteredStreams streams = new MeteredStreams(new TrafficMeter());
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        OutputStream out = streams.output(wire);
        out.write(COMMAND);
        out.flush();
        assertEquals(COMMAND.length, wire.size(), "a flush sends what was written");

        byte[] append = "a2 APPEND INBOX () {3+}\r\nabc () {3+}\r\ndef\r\n".getBytes(StandardCharsets.US_ASCII);
        streams.skipFlushes(2); // two non-synchronizing literals: the flushes after their headers
        out.write(append, 0, 25);
        out.flush();
        out.write(append, 25, 13);
        out.flush();
        assertEquals(COMMAND.length, wire.size(), "nothing sent until the command is complete");
        out.write(append, 38, append.length - 38);
        out.flush();
        assertEquals(COMMAND.length + append.length, wire.size(), "the command's final flush sends it whole");
        out.write(COMMAND);
        out.flush();
        assertEquals(2 * COMMAND.length + append.length, wire.size(), "later flushes are not skipped");
    }

    @Test
    void aStreamUnderTlsStopsCountingWhenTheTlsStreamsTakeOver() throws Exception {
        TrafficMeter meter = new TrafficMeter();
        MeteredStreams streams = new MeteredStreams(meter);
        InputStream plain = streams.input(new ByteArrayInputStream(GREETING));
        plain.readNBytes(10);
        streams.suspend();
        plain.readAllBytes(); // the TLS handshake, read by the TLS socket through the plain stream
        streams.input(new ByteArrayInputStream(COMMAND)).readAllBytes();
        assertEquals(10 + COMMAND.length, meter.received());
    }

    @Test
    void unitsAreBinaryWithTwoDecimals() {
        assertEquals("0", TrafficMeter.human(0));
        assertEquals("1023", TrafficMeter.human(1023));
        assertEquals("1.00K", TrafficMeter.human(1024));
        assertEquals("2.61K", TrafficMeter.human(2673));
        assertEquals("2.99M", TrafficMeter.human(3_135_242));
        assertEquals("1.50G", TrafficMeter.human(1_610_612_736L));
    }

    private static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(data);
        byte[] buf = new byte[data.length + 64];
        int n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
        d.end();
        return java.util.Arrays.copyOf(buf, n);
    }

    private static byte[] inflate(byte[] data) throws Exception {
        Inflater i = new Inflater(true);
        i.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = i.inflate(buf)) > 0) {
            out.write(buf, 0, n);
        }
        i.end();
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
