package org.camelinterimap.pull;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The reverse-path pullimap gives MAIL FROM, chosen as pullimap(1) chooses it: the first address
 * of the message's ENVELOPE sender (RFC 3501 section 7.4.2: the Sender header, or From when
 * Sender is absent or empty), its local part as is when it is a dot-string, else quoted (RFC 5321
 * section 4.1.2). When that header gives no valid address the null reverse-path ({@code <>}) is
 * used instead, so that an odd header can neither be refused as a malformed command nor put
 * anything but one address on the command line:
 * <ul>
 * <li>the first element of the header must be one mailbox ({@code addr-spec} or
 *     {@code [phrase] <addr-spec>}), followed by nothing or a comma; a group
 *     ({@code undisclosed-recipients:;}) gives none, as it gives no address in the ENVELOPE;</li>
 * <li>the local part must be a dot-string, or printable ASCII without space or angle bracket
 *     (then sent quoted, {@code "} and {@code \} escaped), at most 64 octets as sent;</li>
 * <li>the domain must be a host name (letters, digits, hyphens, dot-separated labels of at most 63)
 *     or an address literal ({@code [192.0.2.1]}, {@code [IPv6:...]});</li>
 * <li>the whole address is at most 254 octets (RFC 5321 section 4.5.3.1.3: a path of 256).</li>
 * </ul>
 * A control character (CR, LF, NUL...) anywhere before the end of the first mailbox makes the
 * header invalid. Everything here is printable ASCII without space, {@code <} or {@code >}.
 */
final class EnvelopeSender {
    static final int MAX_LOCAL_PART = 64;
    static final int MAX_ADDRESS = 254;

    private static final String ATEXT = "A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~";
    private static final Pattern DOT_STRING = Pattern.compile("[" + ATEXT + "]+(?:\\.[" + ATEXT + "]+)*");
    private static final Pattern QUOTABLE = Pattern.compile("[\\x21-\\x3b=\\x3f-\\x7e]+");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern ADDRESS_LITERAL = Pattern.compile("\\[[A-Za-z0-9.:\\-]{1,253}]");

    private EnvelopeSender() {
    }

    /** The reverse-path for a message (its raw bytes), without angle brackets; empty for {@code <>}. */
    static String of(byte[] raw) {
        String[] fields = fields(raw, "Sender", "From");
        String sender = fields[0] != null ? fromHeader(fields[0]) : null;
        if (sender != null) {
            return sender;
        }
        String from = fields[1] != null ? fromHeader(fields[1]) : null;
        return from != null ? from : "";
    }

    /**
     * The reverse-path a header value gives (unfolded, without the field name): the first mailbox's
     * address, or empty when it has no valid one; null when the value is empty (nothing but white
     * space and comments), which for Sender means "use From".
     */
    static String fromHeader(String value) {
        Parser p = new Parser(value);
        try {
            return p.firstMailbox();
        } catch (Malformed e) {
            return "";
        }
    }

    /**
     * The address as MAIL FROM carries it: the local part as is if it is a dot-string, else quoted,
     * then @ and the domain; empty when either part is not valid (see the class comment).
     */
    static String address(String localPart, String domain) {
        if (localPart.length() > MAX_LOCAL_PART || domain.length() > MAX_ADDRESS) {
            return ""; // too long anyway; and no regular expression runs over a long header
        }
        String local;
        if (DOT_STRING.matcher(localPart).matches()) {
            local = localPart;
        } else if (QUOTABLE.matcher(localPart).matches()) {
            local = '"' + localPart.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        } else {
            return "";
        }
        if (local.length() > MAX_LOCAL_PART || !validDomain(domain)) {
            return "";
        }
        String address = local + "@" + domain;
        return address.length() <= MAX_ADDRESS ? address : "";
    }

    private static boolean validDomain(String domain) {
        if (domain.startsWith("[")) {
            return ADDRESS_LITERAL.matcher(domain).matches();
        }
        if (domain.isEmpty() || domain.length() > 253) {
            return false;
        }
        for (String label : domain.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The unfolded values of the first fields with the given names (case-insensitive) in the
     * message's header (up to the first empty line; lines end with LF or CRLF), null for a field
     * that is not there. A bare CR stays in the value, where the parser refuses it.
     */
    static String[] fields(byte[] raw, String... names) {
        String[] values = new String[names.length];
        StringBuilder current = null;
        int currentIndex = -1;
        int start = 0;
        while (start < raw.length) {
            int end = start;
            while (end < raw.length && raw[end] != '\n') {
                end++;
            }
            int lineEnd = end > start && raw[end - 1] == '\r' && end < raw.length ? end - 1 : end;
            String line = new String(raw, start, lineEnd - start, StandardCharsets.ISO_8859_1);
            start = end + 1;
            if (line.isEmpty()) {
                break; // end of the header
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (current != null) {
                    current.append(line); // unfolding removes the line break only
                }
                continue;
            }
            if (current != null) {
                values[currentIndex] = current.toString();
                current = null;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue; // not a field (an mbox "From " line, say)
            }
            boolean all = true;
            for (String v : values) {
                all &= v != null;
            }
            if (all) {
                break;
            }
            String name = line.substring(0, colon).stripTrailing();
            for (int i = 0; i < names.length; i++) {
                if (values[i] == null && names[i].equalsIgnoreCase(name)) {
                    current = new StringBuilder(line.substring(colon + 1));
                    currentIndex = i;
                    break;
                }
            }
        }
        if (current != null) {
            values[currentIndex] = current.toString();
        }
        return values;
    }

    /** The header is not a list that starts with a valid mailbox. */
    private static final class Malformed extends Exception {
        Malformed() {
            super(null, null, false, false);
        }
    }

    /** Just enough of RFC 5322's address-list grammar (obsolete forms included) to find the first mailbox. */
    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        /** See {@link EnvelopeSender#fromHeader}. */
        String firstMailbox() throws Malformed {
            skipCfws();
            while (peek() == ',') { // obs-addr-list: empty elements first
                i++;
                skipCfws();
            }
            if (i == s.length()) {
                return null;
            }
            // a phrase (the display name, or a group's name) or the local part of an addr-spec
            StringBuilder words = new StringBuilder();
            boolean wordLast = false;
            int wordCount = 0;
            boolean adjacentWords = false;
            while (true) {
                char c = peek();
                if (c == '"') {
                    adjacentWords |= wordLast;
                    words.append(quotedString());
                    wordLast = true;
                    wordCount++;
                } else if (c == '.') {
                    i++;
                    words.append('.');
                    wordLast = false;
                } else if (isAtext(c)) {
                    adjacentWords |= wordLast;
                    words.append(atom());
                    wordLast = true;
                    wordCount++;
                } else {
                    break;
                }
                skipCfws();
            }
            char c = peek();
            String address;
            if (c == '<') {
                i++;
                address = angleAddr();
            } else if (c == '@' && wordCount > 0 && !adjacentWords) {
                i++;
                address = EnvelopeSender.address(words.toString(), domain());
            } else {
                // ':' a group, or no '@' at all ("foo"), or anything else
                throw new Malformed();
            }
            skipCfws();
            if (i < s.length() && s.charAt(i) != ',') {
                throw new Malformed(); // something after the mailbox
            }
            return address;
        }

        /** After '<': [obs-route] addr-spec '>'. */
        private String angleAddr() throws Malformed {
            skipCfws();
            if (peek() == '@') { // obs-route: @domain *("," [CFWS] ["@" domain]) ":"
                while (true) {
                    char c = peek();
                    if (c == '@') {
                        i++;
                        domain();
                    } else if (c == ',') {
                        i++;
                        skipCfws();
                    } else {
                        break;
                    }
                }
                expect(':');
            }
            StringBuilder local = new StringBuilder();
            boolean wordLast = false;
            while (true) {
                char c = peek();
                if (c == '"' || isAtext(c)) {
                    if (wordLast) {
                        throw new Malformed();
                    }
                    local.append(c == '"' ? quotedString() : atom());
                    wordLast = true;
                } else if (c == '.') {
                    i++;
                    local.append('.');
                    wordLast = false;
                } else {
                    break;
                }
                skipCfws();
            }
            if (local.length() == 0) {
                throw new Malformed();
            }
            expect('@');
            String domain = domain();
            expect('>');
            return EnvelopeSender.address(local.toString(), domain);
        }

        /** After '@': a dot-atom (obs: atoms and dots with CFWS between) or a domain literal. */
        private String domain() throws Malformed {
            skipCfws();
            StringBuilder d = new StringBuilder();
            if (peek() == '[') {
                int close = s.indexOf(']', i);
                if (close < 0) {
                    throw new Malformed();
                }
                d.append(s, i, close + 1);
                checkNoControl(i, close + 1);
                i = close + 1;
                skipCfws();
                return d.toString();
            }
            while (true) {
                char c = peek();
                if (isAtext(c)) {
                    d.append(atom());
                } else if (c == '.') {
                    i++;
                    d.append('.');
                } else {
                    break;
                }
                skipCfws();
            }
            return d.toString();
        }

        private void expect(char c) throws Malformed {
            skipCfws();
            if (peek() != c) {
                throw new Malformed();
            }
            i++;
            skipCfws();
        }

        private String atom() {
            int start = i;
            while (i < s.length() && isAtext(s.charAt(i))) {
                i++;
            }
            return s.substring(start, i);
        }

        /** A quoted string's content, quoted-pairs resolved; refuses control characters but HTAB. */
        private String quotedString() throws Malformed {
            StringBuilder out = new StringBuilder();
            i++; // the opening quote
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\') {
                    if (i == s.length()) {
                        break;
                    }
                    c = s.charAt(i++);
                }
                if (isControl(c)) {
                    throw new Malformed();
                }
                out.append(c);
            }
            throw new Malformed(); // unterminated
        }

        /** White space and (nested) comments; a control character or an unterminated comment is malformed. */
        private void skipCfws() throws Malformed {
            int depth = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\\' && depth > 0) {
                    i++;
                    if (i == s.length() || isControl(s.charAt(i))) {
                        throw new Malformed();
                    }
                } else if (c == '(') {
                    depth++;
                } else if (c == ')' && depth > 0) {
                    depth--;
                } else if (isControl(c)) {
                    throw new Malformed();
                } else if (depth == 0 && c != ' ' && c != '\t') {
                    return;
                }
                i++;
            }
            if (depth > 0) {
                throw new Malformed();
            }
        }

        private void checkNoControl(int from, int to) throws Malformed {
            for (int k = from; k < to; k++) {
                if (isControl(s.charAt(k))) {
                    throw new Malformed();
                }
            }
        }

        private char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        /**
         * RFC 5322 atext, and 8-bit characters (RFC 6532; the header is read as ISO-8859-1, so a
         * UTF-8 display name is a run of them), which no address accepts in the end.
         */
        private static boolean isAtext(char c) {
            return c > 0x20 && c != 0x7f && "()<>[]:;@\\,.\"".indexOf(c) < 0;
        }

        private static boolean isControl(char c) {
            return (c < 0x20 && c != '\t') || c == 0x7f;
        }
    }
}
