package org.camelinterimap.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

import org.camelinterimap.sync.UidRanges;
import org.eclipse.angus.mail.iap.Response;

/**
 * Property-based fuzzing of everything that reads server bytes: random responses and random
 * mutations of valid ones, fed to every parse. Each must end (a guard fails the try after a
 * generous delay, to report a loop instead of hanging the build), and fail, if at all, with
 * {@link MalformedResponseException} alone: no other exception, no unbounded allocation (the heap of
 * the test JVM would not hold what a {@code {2000000000}} or a {@code 1:4294967295} would cost).
 * The number of tries is {@code jqwik.tries.default} (src/test/resources/junit-platform.properties).
 */
class ResponseParserFuzzTest {
    private static final ExecutorService GUARD = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "parser-fuzz");
        t.setDaemon(true);
        return t;
    });

    /** Responses the tool really receives, as seeds for mutation. */
    private static final List<String> VALID = List.of(
            "* 3 FETCH (UID 42 MODSEQ (1234567890123) FLAGS (\\Seen $Label1 \\Recent) "
                    + "INTERNALDATE \"29-Feb-2024 23:59:59 -0800\" RFC822.SIZE 18 BODY[] {18}\r\nSubject: x\r\n\r\nhi\r\n)",
            "* 1 FETCH (FLAGS () UID 5 MODSEQ (9))",
            "* 7 FETCH (UID 9 BODY[HEADER.FIELDS (FROM TO)]<0> {4}\r\nab\r\n X-OTHER (a (b \"c\")))",
            "* LIST (\\HasNoChildren \\Subscribed) \".\" \"say \\\"hi\\\"\"",
            "* LIST () \"/\" {8}\r\nback\\sla",
            "* LIST (\\Noselect) NIL INBOX (CHILDINFO (\"SUBSCRIBED\"))",
            "* STATUS \"A b\" (UIDNEXT 12 UIDVALIDITY 1700000000 HIGHESTMODSEQ 99)",
            "* STATUS INBOX (MESSAGES 3 X-ODD \"y\" X-LIST (1 2))",
            "* VANISHED (EARLIER) 1:3,7,9:4294967295",
            "* SEARCH 1 2 3 (MODSEQ 7)",
            "* ESEARCH (TAG \"A1\") UID ALL 1:4294967295 COUNT 9");

    @AfterContainer
    static void stopGuard() {
        GUARD.shutdownNow();
    }

    @Property
    void randomBytesAfterAKeyword(@ForAll("keywords") String keyword, @ForAll("junk") byte[] tail) {
        byte[] head = ("* " + keyword).getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        parseEveryWay(all);
    }

    @Property
    void mutatedValidResponses(@ForAll("mutants") byte[] response) {
        parseEveryWay(response);
    }

    @Property
    void uidSetsAreRangesOrRefused(@ForAll("setText") String set) {
        try {
            UidRanges r = ResponseParser.uidSet(set);
            // a parsed set is never empty and round-trips through its own text
            assertEquals(r, UidRanges.parse(r.toString()));
        } catch (MalformedResponseException expected) {
            // refused with the parser's own error
        }
    }

    @Property
    void responseCodeNumbers(@ForAll("setText") String value) {
        try {
            long v = ResponseParser.codeNumber(new String[] {"UIDNEXT", value}, UidRanges.MAX_UID);
            if (v < 1 || v > UidRanges.MAX_UID) {
                fail("out of range: " + v);
            }
        } catch (MalformedResponseException expected) {
            // refused with the parser's own error
        }
    }

    @Provide
    Arbitrary<String> keywords() {
        return Arbitraries.of("1 FETCH (", "1 FETCH ", "LIST ", "LIST (", "STATUS ", "STATUS INBOX (", "VANISHED ",
                "VANISHED (EARLIER) ", "SEARCH ", "ESEARCH ", "1 FETCH (UID 1 BODY[", "1 FETCH (FLAGS (");
    }

    @Provide
    Arbitrary<byte[]> junk() {
        // bytes biased towards the grammar's own punctuation, where parsers go wrong
        List<Byte> punctuation = new ArrayList<>();
        for (byte b : "(){}[]<>\"\\ *%:,~+0123456789\r\nNILUID".getBytes(StandardCharsets.US_ASCII)) {
            punctuation.add(b);
        }
        Arbitrary<Byte> special = Arbitraries.of(punctuation);
        Arbitrary<Byte> any = Arbitraries.bytes();
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(3, special),
                        net.jqwik.api.Tuple.of(1, any))
                .array(byte[].class).ofMaxSize(120);
    }

    @Provide
    Arbitrary<byte[]> mutants() {
        Arbitrary<String> seed = Arbitraries.of(VALID);
        Arbitrary<Integer> position = Arbitraries.integers().between(0, 1000);
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 3);
        Arbitrary<byte[]> insert = junk();
        return Combinators.combine(seed, position, kind, insert).as((s, pos, k, ins) -> {
            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
            int p = pos % (b.length + 1);
            return switch (k) {
                case 0 -> splice(b, p, Math.min(b.length, p + 1 + ins.length % 7), new byte[0]); // delete
                case 1 -> splice(b, p, p, ins); // insert
                case 2 -> splice(b, p, Math.min(b.length, p + ins.length), ins); // overwrite
                default -> splice(b, p, b.length, new byte[0]); // truncate
            };
        });
    }

    @Provide
    Arbitrary<String> setText() {
        return Arbitraries.strings().withChars("0123456789:,*- ").ofMaxLength(40)
                .injectDuplicates(0.05)
                .edgeCases(c -> c.add("1:4294967295").add("4294967296").add("0").add("").add("99999999999999999999"));
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] with) {
        byte[] out = new byte[from + with.length + (b.length - to)];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(with, 0, out, from, with.length);
        System.arraycopy(b, to, out, from + with.length, b.length - to);
        return out;
    }

    /** Feeds the bytes to every parse, as the tool would (the keyword decides which parse a real response gets). */
    private static void parseEveryWay(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        Future<?> f = GUARD.submit(() -> {
            Response r = new Response(text, false);
            for (int i = 0; i < 7; i++) {
                try {
                    switch (i) {
                        case 0 -> ResponseParser.parseFetch(r);
                        case 1 -> ResponseParser.parseList(r);
                        case 2 -> ResponseParser.parseStatus(r);
                        case 3 -> ResponseParser.parseVanished(r);
                        case 4 -> ResponseParser.parseSearch(r);
                        case 5 -> ResponseParser.keyword(r);
                        default -> {
                            String[] code = ResponseParser.responseCode(r);
                            if (code != null) {
                                ResponseParser.text(r);
                            }
                        }
                    }
                } catch (MalformedResponseException expected) {
                    // the parser's own, clear error
                }
            }
            return null;
        });
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            fail("parser did not terminate on: " + ResponseReader.excerpt(bytes, 0, bytes.length));
        } catch (ExecutionException e) {
            throw new AssertionError("parser threw " + e.getCause() + " on: " + ResponseReader.excerpt(bytes, 0, bytes.length),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
