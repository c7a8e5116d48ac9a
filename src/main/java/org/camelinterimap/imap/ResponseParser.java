package org.camelinterimap.imap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.camelinterimap.sync.UidRanges;
import org.eclipse.angus.mail.iap.Response;

/**
 * Reads the untagged responses a UID-based sync needs (FETCH, LIST, STATUS, VANISHED, SEARCH,
 * ESEARCH, response codes) from Angus Mail's {@link Response} buffers, keeping mailbox names and
 * INTERNALDATE exactly as sent. Angus's own item classes decode names and dates, which a
 * byte-exact sync cannot use.
 *
 * <p>Every parse runs on a {@link ResponseReader}, so it terminates on any input, and fails with
 * {@link MalformedResponseException} (never another exception) on what the grammar does not allow.
 * Values that later travel to the other server are validated here: flags must be atoms.
 */
public final class ResponseParser {
    private static final Pattern CODE = Pattern.compile("^\\[([A-Za-z0-9-]+)(?: ([^\\]]*))?\\]");
    /** The longest server text an error line quotes. */
    private static final int MAX_TEXT = 200;

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
     * The number in front of a message-data response ({@code * 12 EXISTS} gives 12), or -1 when
     * there is none or it is not a plain number that fits.
     */
    public static long leadingNumber(Response r) {
        r.reset();
        String first = r.readAtom();
        r.reset();
        if (first == null || first.isEmpty() || first.length() > 18 || !first.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(first);
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

    /** The human text of a tagged or status response, without its response code, fit for one log line. */
    public static String text(Response r) {
        r.reset();
        String rest = r.getRest();
        r.reset();
        return printable(CODE.matcher(rest).replaceFirst("").trim());
    }

    /** Server text made safe for a log line: control characters as {@code ?}, at most 200 characters. */
    public static String printable(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_TEXT));
        for (int i = 0; i < s.length() && i < MAX_TEXT; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        if (s.length() > MAX_TEXT) {
            sb.append("...");
        }
        return sb.toString();
    }

    /** A number in a response code ({@code [UIDNEXT 12]}), between 1 and {@code max}. */
    public static long codeNumber(String[] code, long max) throws MalformedResponseException {
        ResponseReader in = new ResponseReader(code[1].trim().getBytes(StandardCharsets.ISO_8859_1));
        long v = in.number(max);
        if (v == 0 || !in.atEnd()) {
            throw new MalformedResponseException("bad number in [" + code[0] + " " + printable(code[1]) + "]");
        }
        return v;
    }

    /** A UID set as ranges; never expanded, whatever it spans. */
    public static UidRanges uidSet(String set) throws MalformedResponseException {
        try {
            return UidRanges.parse(set.trim());
        } catch (IllegalArgumentException e) {
            throw new MalformedResponseException(e.getMessage() + ": \"" + printable(set) + "\"");
        }
    }

    /** {@code [APPENDUID uidvalidity uid-set]} (RFC 4315): the UIDVALIDITY and the new UIDs. */
    public record AppendUid(long uidValidity, UidRanges uids) {
    }

    public static AppendUid appendUid(String[] code) throws MalformedResponseException {
        String[] parts = code[1].trim().split(" ");
        if (parts.length != 2) {
            throw new MalformedResponseException("bad [APPENDUID " + printable(code[1]) + "]");
        }
        return new AppendUid(codeNumber(new String[] {code[0], parts[0]}, UidRanges.MAX_UID), uidSet(parts[1]));
    }

    /** A reader over the whole response, positioned after its keyword ({@code * 3 FETCH} or {@code * LIST}). */
    private static ResponseReader afterKeyword(Response r) throws MalformedResponseException {
        ResponseReader in;
        if (r instanceof RawResponse raw) {
            in = new ResponseReader(raw.bytes(), 0, raw.length(), r.supportsUtf8());
        } else {
            byte[] b = r.toString().getBytes(StandardCharsets.ISO_8859_1);
            in = new ResponseReader(b, 0, b.length, r.supportsUtf8());
        }
        in.expect('*');
        in.space();
        if (in.peek() >= '0' && in.peek() <= '9') {
            in.number(Long.MAX_VALUE);
            in.space();
        }
        in.atom();
        return in;
    }

    /** Whether a flag may be sent to a server: {@code \}atom, atom, or {@code \*} (RFC 3501 flag, flag-perm). */
    public static boolean isFlag(String f) {
        int start = f.startsWith("\\") ? 1 : 0;
        if (f.equals("\\*")) {
            return true;
        }
        if (f.length() == start) {
            return false;
        }
        for (int i = start; i < f.length(); i++) {
            if (!ResponseReader.isAtomChar(f.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses {@code * n FETCH (UID u MODSEQ (m) FLAGS (...) INTERNALDATE "..." RFC822.SIZE s BODY[] {n}...)}.
     * Items not asked for are skipped. Flags that are not atoms are kept apart in
     * {@link FetchedMessage#invalidFlags()}, never among the flags.
     */
    public static FetchedMessage parseFetch(Response r) throws MalformedResponseException {
        ResponseReader in = afterKeyword(r);
        in.spaces();
        in.expect('(');
        long uid = -1;
        long modseq = -1;
        long size = -1;
        List<String> flags = null;
        List<String> invalid = List.of();
        String date = null;
        byte[] body = null;
        while (true) {
            in.spaces();
            if (in.skip(')')) {
                break;
            }
            String item = in.word().toUpperCase(Locale.ROOT);
            if (in.peek() == '[') {
                item += section(in);
            }
            in.space();
            switch (item) {
                case "UID" -> uid = in.nzNumber32();
                case "MODSEQ" -> {
                    in.expect('(');
                    in.spaces();
                    modseq = in.modSeq();
                    in.spaces();
                    in.expect(')');
                }
                case "FLAGS" -> {
                    flags = new ArrayList<>();
                    List<String> bad = new ArrayList<>();
                    readFlags(in, flags, bad);
                    invalid = bad;
                }
                case "INTERNALDATE" -> date = in.quoted();
                case "RFC822.SIZE" -> size = in.number(Long.MAX_VALUE);
                case "BODY[]", "RFC822", "BINARY[]" -> body = in.nstringBytes();
                default -> {
                    if (item.startsWith("BODY[]<")) {
                        body = in.nstringBytes(); // a partial fetch: the bytes from the origin on
                    } else {
                        in.skipValue();
                    }
                }
            }
        }
        return new FetchedMessage(uid, modseq, flags, invalid, date, size, body);
    }

    /** A section and partial origin after an item name: {@code []}, {@code [HEADER]<0>}; upper case. */
    private static String section(ResponseReader in) throws MalformedResponseException {
        int depth = 0;
        StringBuilder sb = new StringBuilder();
        in.expect('[');
        sb.append('[');
        while (!in.skip(']')) {
            // the section text is short and printable; lists inside it (HEADER.FIELDS (A B)) are skipped whole
            if (in.peek() == ' ') {
                in.spaces();
                sb.append(' ');
            } else if (in.peek() == '(') {
                in.skipValue();
            } else {
                sb.append(in.word().toUpperCase(Locale.ROOT));
            }
            if (++depth > 64) {
                throw in.error("section too long");
            }
        }
        sb.append(']');
        if (in.skip('<')) {
            sb.append('<').append(in.number(Long.MAX_VALUE)).append('>');
            in.expect('>');
        }
        return sb.toString();
    }

    /**
     * Reads a parenthesized list of flags ({@code (\Seen $Label1)}) into the valid and the invalid
     * ones. A CR or LF inside the list can only smuggle lines into a command: every token from the
     * first to the last token holding one is invalid, atoms between them included ({@code DELETE}
     * in {@code (!\nZ1 DELETE Victim\nZ2 \Seen)}).
     */
    static void readFlags(ResponseReader in, List<String> valid, List<String> invalid) throws MalformedResponseException {
        in.spaces();
        in.expect('(');
        List<String> tokens = new ArrayList<>();
        int firstBreak = -1;
        int lastBreak = -1;
        while (true) {
            in.spaces();
            if (in.skip(')')) {
                break;
            }
            String f = in.token();
            if (f.indexOf('\r') >= 0 || f.indexOf('\n') >= 0) {
                firstBreak = firstBreak < 0 ? tokens.size() : firstBreak;
                lastBreak = tokens.size();
            }
            tokens.add(f);
        }
        for (int i = 0; i < tokens.size(); i++) {
            String f = tokens.get(i);
            boolean smuggled = i >= firstBreak && i <= lastBreak && firstBreak >= 0;
            (!smuggled && isFlag(f) ? valid : invalid).add(f);
        }
    }

    /** Parses {@code * LIST (attributes) "delim" name} (RFC 3501, 5258); extended data is ignored. */
    public static ListedMailbox parseList(Response r) throws MalformedResponseException {
        ResponseReader in = afterKeyword(r);
        in.space();
        Set<String> attributes = new LinkedHashSet<>();
        List<String> attrs = new ArrayList<>();
        readFlags(in, attrs, attrs);
        for (String a : attrs) {
            attributes.add(a.toUpperCase(Locale.ROOT));
        }
        in.space();
        Character delimiter;
        if (in.peek() == '"') {
            String d = in.quoted();
            if (d.length() > 1) {
                throw in.error("hierarchy delimiter of more than one character");
            }
            delimiter = d.isEmpty() ? null : d.charAt(0);
        } else if (in.atom().equalsIgnoreCase("NIL")) {
            delimiter = null;
        } else {
            throw in.error("expected a quoted delimiter or NIL");
        }
        in.space();
        String name = in.astring();
        return new ListedMailbox(name, delimiter, attributes, -1, -1, -1);
    }

    /** A parsed {@code * STATUS name (UIDNEXT n ...)}: the name as sent and its numeric values by upper-case item. */
    public record StatusResponse(String mailbox, Map<String, Long> values) {
        public long get(String item) {
            return values.getOrDefault(item, -1L);
        }
    }

    /** Parses a STATUS response; items with other than a number are skipped unless they are ones the sync reads. */
    public static StatusResponse parseStatus(Response r) throws MalformedResponseException {
        ResponseReader in = afterKeyword(r);
        in.space();
        String name = in.astring();
        in.spaces();
        in.expect('(');
        Map<String, Long> values = new HashMap<>();
        while (true) {
            in.spaces();
            if (in.skip(')')) {
                break;
            }
            String item = in.atom().toUpperCase(Locale.ROOT);
            in.space();
            switch (item) {
                case "UIDNEXT", "UIDVALIDITY" -> values.put(item, in.nzNumber32());
                case "HIGHESTMODSEQ", "MESSAGES", "UNSEEN", "RECENT" -> values.put(item, in.modSeq());
                default -> in.skipValue();
            }
        }
        return new StatusResponse(name, values);
    }

    /** A parsed {@code * VANISHED [(EARLIER)] uid-set} (RFC 7162 section 3.2.10), kept as ranges. */
    public record Vanished(boolean earlier, UidRanges uids) {
    }

    public static Vanished parseVanished(Response r) throws MalformedResponseException {
        ResponseReader in = afterKeyword(r);
        in.space();
        boolean earlier = false;
        if (in.skip('(')) {
            earlier = "EARLIER".equalsIgnoreCase(in.atom());
            in.expect(')');
            in.space();
        }
        return new Vanished(earlier, uidSet(in.word()));
    }

    /** {@code * SEARCH n...} (RFC 3501) or the {@code ALL} of {@code * ESEARCH ... ALL set} (RFC 4731), as ranges. */
    public static UidRanges parseSearch(Response r) throws MalformedResponseException {
        ResponseReader in = afterKeyword(r);
        String kw = keyword(r);
        if ("SEARCH".equals(kw)) {
            List<Long> uids = new ArrayList<>();
            while (true) {
                in.spaces();
                if (in.atEnd()) {
                    return UidRanges.of(uids);
                }
                if (in.peek() == '(') {
                    in.skipValue(); // (MODSEQ n) of a CONDSTORE search
                } else {
                    uids.add(in.nzNumber32());
                }
            }
        }
        UidRanges all = UidRanges.EMPTY;
        in.spaces();
        if (in.peek() == '(') {
            in.skipValue(); // (TAG "A1")
        }
        while (true) {
            in.spaces();
            if (in.atEnd()) {
                return all;
            }
            String name = in.atom().toUpperCase(Locale.ROOT);
            if (name.equals("UID")) {
                continue;
            }
            in.space();
            if (name.equals("ALL")) {
                all = uidSet(in.word());
            } else {
                in.skipValue();
            }
        }
    }
}
