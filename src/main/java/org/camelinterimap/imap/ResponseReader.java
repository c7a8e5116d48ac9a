package org.camelinterimap.imap;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A strict cursor over the bytes of one server response (RFC 3501 section 9 grammar), literals
 * inline as the protocol layer stores them ({@code {n}CRLF} then n bytes).
 *
 * <p>Termination invariant: every public read either consumes at least one byte or throws
 * {@link MalformedResponseException}; loops over a response therefore end after at most as many
 * steps as the response has bytes. Nesting is bounded by {@link #MAX_DEPTH}. Numbers are checked
 * for overflow, literal sizes against the bytes actually present. Written by hand because Angus
 * Mail's reader returns defaults instead of failing (an empty atom, -1 for a missing number),
 * which is what let malformed replies spin a parser loop.
 */
final class ResponseReader {
    static final int MAX_DEPTH = 16;
    private final byte[] buf;
    private final int end;
    private final boolean utf8;
    private int pos;

    ResponseReader(byte[] buf, int start, int end, boolean utf8) {
        this.buf = buf;
        this.pos = start;
        this.end = end;
        this.utf8 = utf8;
    }

    ResponseReader(byte[] bytes) {
        this(bytes, 0, bytes.length, false);
    }

    int position() {
        return pos;
    }

    boolean atEnd() {
        return pos >= end;
    }

    /** The next byte (0..255), or -1 at the end. */
    int peek() {
        return pos < end ? buf[pos] & 0xff : -1;
    }

    /** Consumes {@code c} if it comes next. */
    boolean skip(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    void expect(char c) throws MalformedResponseException {
        if (!skip(c)) {
            throw error("expected '" + c + "'");
        }
    }

    /** Skips any spaces (servers are lenient about doubled ones; so are we). */
    void spaces() {
        while (peek() == ' ') {
            pos++;
        }
    }

    /** One or more spaces. */
    void space() throws MalformedResponseException {
        if (peek() != ' ') {
            throw error("expected a space");
        }
        spaces();
    }

    /** ATOM-CHAR: any CHAR but atom-specials ( ) { SP CTL % * " \ ] (RFC 3501 section 9). */
    static boolean isAtomChar(int b) {
        return b > 0x20 && b < 0x7f && b != '(' && b != ')' && b != '{' && b != '%' && b != '*' && b != '"'
                && b != '\\' && b != ']';
    }

    /** An atom of one or more ATOM-CHARs. */
    String atom() throws MalformedResponseException {
        int start = pos;
        while (isAtomChar(peek())) {
            pos++;
        }
        if (pos == start) {
            throw error("expected an atom");
        }
        return new String(buf, start, pos - start, StandardCharsets.US_ASCII);
    }

    /**
     * A run of printable ASCII other than {@code ( ) { " [ ]}: an atom that may also hold {@code \},
     * {@code %} and {@code *} (mailbox names as astrings, item names before a section).
     */
    String word() throws MalformedResponseException {
        int start = pos;
        int b;
        while ((b = peek()) > 0x20 && b < 0x7f && b != '(' && b != ')' && b != '{' && b != '"' && b != '['
                && b != ']') {
            pos++;
        }
        if (pos == start) {
            throw error("expected a word");
        }
        return new String(buf, start, pos - start, StandardCharsets.US_ASCII);
    }

    /** A flag-list token: one or more bytes up to a space or {@code )}, unvalidated (see {@link ResponseParser#isFlag}). */
    String token() throws MalformedResponseException {
        int start = pos;
        int b;
        while ((b = peek()) >= 0 && b != ' ' && b != ')') {
            pos++;
        }
        if (pos == start || b < 0) {
            throw error("unterminated list");
        }
        return new String(buf, start, pos - start, StandardCharsets.ISO_8859_1);
    }

    /** A number of at most {@code max}; digits only, no sign. */
    long number(long max) throws MalformedResponseException {
        int start = pos;
        long v = 0;
        while (peek() >= '0' && peek() <= '9') {
            int d = buf[pos++] - '0';
            if (v > (max - d) / 10) {
                throw error("number out of range", start);
            }
            v = v * 10 + d;
        }
        if (pos == start) {
            throw error("expected a number");
        }
        return v;
    }

    /** A non-zero 32-bit number (nz-number: UIDs, UIDVALIDITY). */
    long nzNumber32() throws MalformedResponseException {
        int start = pos;
        long v = number(0xFFFFFFFFL);
        if (v == 0) {
            throw error("zero where a non-zero number is required", start);
        }
        return v;
    }

    /** A 63-bit mod-sequence (RFC 7162 mod-sequence-value). */
    long modSeq() throws MalformedResponseException {
        return number(Long.MAX_VALUE);
    }

    /** A quoted string, escapes resolved. */
    String quoted() throws MalformedResponseException {
        expect('"');
        byte[] out = new byte[16];
        int n = 0;
        while (true) {
            int b = peek();
            if (b < 0 || b == '\r' || b == '\n') {
                throw error("unterminated quoted string");
            }
            pos++;
            if (b == '"') {
                break;
            }
            if (b == '\\') {
                b = peek();
                if (b != '\\' && b != '"') {
                    throw error("bad escape in quoted string");
                }
                pos++;
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = (byte) b;
        }
        return decode(out, 0, n);
    }

    /** A literal ({@code {n}CRLF} then n bytes, or {@code ~{n}} for literal8): its start and length in the buffer. */
    int[] literal() throws MalformedResponseException {
        skip('~');
        expect('{');
        int start = pos;
        long n = number(Integer.MAX_VALUE);
        skip('+');
        expect('}');
        if (!skip('\r') || !skip('\n')) {
            throw error("literal size not followed by CRLF", start);
        }
        if (n > end - pos) {
            throw error("literal of " + n + " bytes, only " + (end - pos) + " present", start);
        }
        int[] range = {pos, (int) n};
        pos += (int) n;
        return range;
    }

    /** astring: atom, quoted string or literal (RFC 3501), as a string. */
    String astring() throws MalformedResponseException {
        int b = peek();
        if (b == '"') {
            return quoted();
        }
        if (b == '{' || b == '~') {
            int[] l = literal();
            return decode(buf, l[0], l[1]);
        }
        return word();
    }

    /** nstring: NIL, a quoted string or a literal, as bytes; null for NIL. */
    byte[] nstringBytes() throws MalformedResponseException {
        int b = peek();
        if (b == '"') {
            return quoted().getBytes(utf8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        }
        if (b == '{' || b == '~') {
            int[] l = literal();
            return Arrays.copyOfRange(buf, l[0], l[0] + l[1]);
        }
        String atom = atom();
        if (!atom.equalsIgnoreCase("NIL")) {
            throw error("expected a string or NIL");
        }
        return null;
    }

    /** Skips one value of any kind (atom, number, string, literal, NIL, parenthesised list), nesting bounded. */
    void skipValue() throws MalformedResponseException {
        skipValue(0);
    }

    private void skipValue(int depth) throws MalformedResponseException {
        if (depth > MAX_DEPTH) {
            throw error("lists nested too deeply");
        }
        int b = peek();
        if (b == '(') {
            pos++;
            spaces();
            while (!skip(')')) {
                skipValue(depth + 1);
                spaces();
            }
        } else if (b == '"') {
            quoted();
        } else if (b == '{' || b == '~') {
            literal();
        } else {
            word();
            if (peek() == '[') {
                // a section such as BODY[HEADER.FIELDS (A B)]<0>
                pos++;
                spaces();
                while (!skip(']')) {
                    skipValue(depth + 1);
                    spaces();
                }
                if (peek() == '<') {
                    word();
                }
            }
        }
    }

    /** The rest of the response as text, from the cursor on. */
    String rest() {
        String s = decode(buf, pos, end - pos);
        pos = end;
        return s;
    }

    private String decode(byte[] b, int off, int len) {
        return new String(b, off, len, utf8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    MalformedResponseException error(String what) {
        return error(what, pos);
    }

    private MalformedResponseException error(String what, int at) {
        return new MalformedResponseException(what + " at byte " + at + " near \"" + excerpt(buf, at, end) + "\"");
    }

    /**
     * At most 40 bytes from {@code at}, printable ASCII only (others as {@code \xNN}): an error line
     * never carries a message body nor raw control characters.
     */
    static String excerpt(byte[] buf, int at, int end) {
        StringBuilder sb = new StringBuilder();
        int stop = Math.min(end, at + 40);
        for (int i = Math.max(0, at); i < stop; i++) {
            int b = buf[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\\' && b != '"') {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        if (stop < end) {
            sb.append("...");
        }
        return sb.toString();
    }
}
