package org.camelinterimap.imap;

import java.io.IOException;

/**
 * Watches the server's bytes before the protocol layer reads them, which allocates a literal's
 * announced size at once and grows a line for as long as it lasts: a literal announced above
 * {@code maxLiteral} or a line (outside literals) above {@code maxLine} fails the read before
 * anything is allocated for it. Follows the framing the protocol layer uses: a line ends at CRLF,
 * and a line ending in {@code {n}} CRLF is followed by n bytes of literal.
 */
final class ResponseLimits {
    private final long maxLiteral;
    private final long maxLine;
    private long line;
    private long literalLeft;
    /** 0: nothing; 1: in {@code {digits}; 2: after the closing brace; 3: after that CR. */
    private int state;
    private long announced;
    private int digits;
    private boolean cr;

    ResponseLimits(long maxLiteral, long maxLine) {
        this.maxLiteral = maxLiteral;
        this.maxLine = maxLine;
    }

    /**
     * The bounds for a JVM of this heap: a literal must fit a third of it (the protocol layer holds
     * it whole, and a copy is made), a line an eighth, at most 64 MiB.
     */
    static ResponseLimits forHeap(long maxHeap) {
        return new ResponseLimits(Math.min(Integer.MAX_VALUE - (1 << 20), maxHeap / 3), Math.min(64L << 20, maxHeap / 8));
    }

    void scan(byte[] b, int off, int len) throws IOException {
        int i = off;
        int end = off + len;
        while (i < end) {
            if (literalLeft > 0) {
                int n = (int) Math.min(literalLeft, end - i);
                literalLeft -= n;
                i += n;
                continue;
            }
            byte c = b[i++];
            if (++line > maxLine) {
                throw new IOException("the server sent a line of more than " + maxLine + " bytes");
            }
            if (c == '\n' && cr) {
                if (state == 3) {
                    if (announced > maxLiteral) {
                        throw new IOException("the server announced a literal of " + announced + " bytes, more than the "
                                + maxLiteral + " this process accepts (its heap is too small for that message)");
                    }
                    literalLeft = announced;
                }
                line = 0;
                state = 0;
            } else if (c == '{') {
                state = 1;
                announced = 0;
                digits = 0;
            } else if (state == 1 && c >= '0' && c <= '9') {
                // saturates instead of overflowing: any value this high is refused anyway
                announced = Math.min(announced * 10 + (c - '0'), Long.MAX_VALUE / 100);
                digits++;
            } else if (state == 1 && c == '}' && digits > 0) {
                state = 2;
            } else if (state == 2 && c == '\r') {
                state = 3;
            } else {
                state = 0;
            }
            cr = c == '\r';
        }
    }
}
