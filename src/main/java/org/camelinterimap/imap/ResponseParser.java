package org.camelinterimap.imap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.Response;

/**
 * Reads the untagged responses a UID-based sync needs (FETCH, LIST, STATUS, VANISHED, response
 * codes) from Angus Mail's {@link Response} buffers, keeping mailbox names and INTERNALDATE exactly
 * as sent. Angus's own item classes decode names and dates, which a byte-exact sync cannot use.
 */
public final class ResponseParser {
    private static final Pattern CODE = Pattern.compile("^\\[([A-Za-z0-9-]+)(?: ([^\\]]*))?\\]");

    private ResponseParser() {
    }

    /** The keyword of an untagged response ({@code FETCH} for {@code * 3 FETCH ...}), upper case; null for status responses. */
    public static String keyword(Response r) {
        if (!r.isUnTagged() || r.isOK() || r.isNO() || r.isBAD() || r.isBYE()) {
            return null;
        }
        r.reset();
        String first = r.readAtom();
        if (first != null && !first.isEmpty() && Character.isDigit(first.charAt(0))) {
            first = r.readAtom();
        }
        r.reset();
        return first == null ? null : first.toUpperCase(Locale.ROOT);
    }

    /**
     * The response code of an OK/NO/BAD/BYE response ({@code [UIDNEXT 12]} gives
     * {@code {"UIDNEXT", "12"}}), or null.
     */
    public static String[] responseCode(Response r) {
        r.reset();
        String rest = r.getRest();
        r.reset();
        Matcher m = CODE.matcher(rest);
        if (!m.find()) {
            return null;
        }
        return new String[] {m.group(1).toUpperCase(Locale.ROOT), m.group(2) == null ? "" : m.group(2)};
    }

    /** The human text of a tagged or status response, without its response code. */
    public static String text(Response r) {
        r.reset();
        String rest = r.getRest();
        r.reset();
        return CODE.matcher(rest).replaceFirst("").trim();
    }

    /** Parses {@code * n FETCH (UID u MODSEQ (m) FLAGS (...) INTERNALDATE "..." RFC822.SIZE s BODY[] {n}...)}. */
    public static FetchedMessage parseFetch(Response r) {
        r.reset();
        r.readAtom(); // message sequence number
        r.readAtom(); // FETCH
        r.skipSpaces();
        expect(r, '(');
        long uid = -1;
        long modseq = -1;
        long size = -1;
        List<String> flags = null;
        String date = null;
        byte[] body = null;
        while (true) {
            r.skipSpaces();
            if (r.peekByte() == ')') {
                r.readByte();
                break;
            }
            String item = r.readAtom();
            if (r.peekByte() == '[') {
                // section spec such as BODY[] or BODY[HEADER]: read up to the closing bracket
                StringBuilder sb = new StringBuilder(item);
                byte b;
                do {
                    b = r.readByte();
                    sb.append((char) b);
                } while (b != ']');
                item = sb.toString();
            } else if (item.endsWith("[") || item.contains("[")) {
                // readAtom stops at ']' : "BODY[" then "]"
                StringBuilder sb = new StringBuilder(item);
                while (r.peekByte() != ' ' && r.peekByte() != '{' && r.peekByte() != '"') {
                    sb.append((char) r.readByte());
                    if (sb.charAt(sb.length() - 1) == ']') {
                        break;
                    }
                }
                item = sb.toString();
            }
            r.skipSpaces();
            switch (item.toUpperCase(Locale.ROOT)) {
                case "UID" -> uid = r.readLong();
                case "MODSEQ" -> {
                    expect(r, '(');
                    modseq = r.readLong();
                    r.skipSpaces();
                    expect(r, ')');
                }
                case "FLAGS" -> flags = readFlagList(r);
                case "INTERNALDATE" -> date = r.readString();
                case "RFC822.SIZE" -> size = r.readLong();
                case "BODY[]", "RFC822", "BINARY[]" -> {
                    ByteArray ba = r.readByteArray();
                    body = ba == null ? null : ba.getNewBytes();
                }
                default -> throw new IllegalArgumentException("unexpected FETCH item " + item + " in: " + r);
            }
        }
        return new FetchedMessage(uid, modseq, flags, date, size, body);
    }

    /** Reads a parenthesized list of flags ({@code (\Seen $Label1)}); flags hold no space nor parenthesis. */
    static List<String> readFlagList(Response r) {
        r.skipSpaces();
        expect(r, '(');
        List<String> flags = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        while (true) {
            byte b = r.readByte();
            if (b == ')' || b == ' ') {
                if (sb.length() > 0) {
                    flags.add(sb.toString());
                    sb.setLength(0);
                }
                if (b == ')') {
                    return flags;
                }
            } else if (b == 0) {
                throw new IllegalArgumentException("unterminated flag list in: " + r);
            } else {
                sb.append((char) b);
            }
        }
    }

    private static void expect(Response r, char c) {
        byte b = r.readByte();
        if (b != c) {
            throw new IllegalArgumentException("expected '" + c + "' in: " + r);
        }
    }

    /** Parses {@code * LIST (attributes) "delim" name} (RFC 3501, 5258); extended data is ignored. */
    public static ListedMailbox parseList(Response r) {
        r.reset();
        r.readAtom(); // LIST
        r.skipSpaces();
        Set<String> attributes = new LinkedHashSet<>();
        for (String a : readFlagList(r)) {
            attributes.add(a.toUpperCase(Locale.ROOT));
        }
        r.skipSpaces();
        Character delimiter;
        if (r.peekByte() == '"') {
            String d = r.readString();
            delimiter = d == null || d.isEmpty() ? null : d.charAt(0);
        } else {
            r.readAtom(); // NIL
            delimiter = null;
        }
        r.skipSpaces();
        String name = r.readAtomString();
        return new ListedMailbox(name, delimiter, attributes, -1, -1, -1);
    }

    /** A parsed {@code * STATUS name (UIDNEXT n ...)}: the name as sent and its values by upper-case item. */
    public record StatusResponse(String mailbox, Map<String, Long> values) {
        public long get(String item) {
            return values.getOrDefault(item, -1L);
        }
    }

    public static StatusResponse parseStatus(Response r) {
        r.reset();
        r.readAtom(); // STATUS
        r.skipSpaces();
        String name = r.readAtomString();
        r.skipSpaces();
        expect(r, '(');
        Map<String, Long> values = new HashMap<>();
        while (true) {
            r.skipSpaces();
            if (r.peekByte() == ')') {
                r.readByte();
                break;
            }
            String item = r.readAtom().toUpperCase(Locale.ROOT);
            r.skipSpaces();
            values.put(item, r.readLong());
        }
        return new StatusResponse(name, values);
    }

    /** A parsed {@code * VANISHED [(EARLIER)] uid-set} (RFC 7162 section 3.2.10). */
    public record Vanished(boolean earlier, List<Long> uids) {
    }

    public static Vanished parseVanished(Response r) {
        r.reset();
        r.readAtom(); // VANISHED
        r.skipSpaces();
        boolean earlier = false;
        if (r.peekByte() == '(') {
            r.readByte();
            earlier = "EARLIER".equalsIgnoreCase(r.readAtom());
            r.skipSpaces();
            expect(r, ')');
            r.skipSpaces();
        }
        return new Vanished(earlier, UidSet.parse(r.getRest()));
    }
}
