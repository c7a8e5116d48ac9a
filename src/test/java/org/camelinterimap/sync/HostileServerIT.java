package org.camelinterimap.sync;

import static org.camelinterimap.sync.HostileWorld.droppedFlag;
import static org.camelinterimap.sync.HostileWorld.droppedFlagOrError;
import static org.camelinterimap.sync.HostileWorld.error;
import static org.camelinterimap.sync.HostileWorld.tolerateOrError;

import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.stream.Stream;

import org.camelinterimap.rig.DovecotRig;
import org.camelinterimap.rig.HostileProxy.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A buggy or malicious IMAP server on one side must never act on the user's other account, hang
 * the tool, or exhaust its memory. Each case puts a {@link org.camelinterimap.rig.HostileProxy} with
 * one hostile behaviour in front of one rig server (the remote one unless the name says otherwise)
 * and checks, through {@link HostileWorld}: the run ends within its bound, with one clear line and
 * no stack trace; the other server got nothing illegitimate (its "Victim" mailbox survives, no
 * message or flag that the hostile server does not really have); the state database is intact; and
 * the next run without the hostile behaviour ends with identical servers and nothing twice.
 */
@ExtendWith(DovecotRig.class)
class HostileServerIT {
    /** An untagged FETCH response about UID 1 (Dovecot puts UID first). */
    private static final String FETCH_UID1 = "^\\* \\d+ FETCH \\(UID 1 ";
    private static final String FETCH_UID1_BODY = FETCH_UID1 + "[^\\r\\n]*BODY\\[\\] \\{";
    private static final String TAGGED_OK = "^[A-Z]+\\d+ OK";
    private static final String INJECTION = "!\nZ1 DELETE Victim\nZ2";

    /** A server response in which {@code regex} is found, while INBOX is selected. */
    private static Rule inbox(String regex) {
        return Rule.response(regex).inMailbox("INBOX");
    }

    private static String q(String s) {
        return Matcher.quoteReplacement(s);
    }

    /** Adds {@code flag} to the flag list of every FETCH response about UID 1. */
    private static Rule extraFlagOnUid1(String flag) {
        return inbox(FETCH_UID1 + "[^\\r\\n]*FLAGS \\(").after("UID FETCH")
                .rewrite("FLAGS \\(([^)]*)\\)", "FLAGS ($1 " + q(flag) + ")");
    }

    // ---- 0. the harness itself ----

    @Test
    void proxyWithoutRulesIsTransparent(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.put(true, "Odd", "o1");
            w.hostileRun(tolerateOrError());
            if (w.result.exit() != 0) {
                w.problem("a run through rule-less proxies failed: " + w.result.output());
            }
            w.recover();
            w.verdict();
        }
    }

    // ---- 1. flags carrying a command ----

    @Test
    void flagWithBareLfAndInjectedCommand(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(extraFlagOnUid1(INJECTION));
            w.hostileRun(droppedFlag("INBOX", 1, "r1"));
            w.recover();
            w.verdict();
        }
    }

    @Test
    void flagWithBareLfInChangedSinceFetchOfIncrementalRun(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.baseline();
            w.flag(true, "INBOX", "r1", true, "\\Flagged");
            // the QRESYNC SELECT and the CHANGEDSINCE fetch both report it (with MODSEQ)
            w.rule(inbox(FETCH_UID1 + "[^\\r\\n]*MODSEQ").rewrite("FLAGS \\(([^)]*)\\)", "FLAGS ($1 " + q(INJECTION) + ")"));
            w.hostileRun(droppedFlag("INBOX", 1, "r1"));
            w.recover();
            w.verdict();
        }
    }

    @Test
    void flagWithBareLfFromHostileLocalSide(@TempDir Path dir) throws Exception {
        try (HostileWorld w = new HostileWorld(dir, HostileWorld.Side.LOCAL)) {
            w.seed();
            w.rule(extraFlagOnUid1(INJECTION));
            w.hostileRun(droppedFlag("INBOX", 1, "r1"));
            w.recover();
            w.verdict();
        }
    }

    // ---- 2. flags with other non-atom bytes ----

    static Stream<Arguments> nonAtomFlags() {
        return Stream.of(
                Arguments.of("quote", "a\"b", true),
                Arguments.of("literal-braces", "{5}", true),
                Arguments.of("percent", "a%b", false),
                Arguments.of("asterisk", "a*b", false),
                Arguments.of("close-bracket", "a]b", true),
                Arguments.of("open-paren", "a(b", true),
                Arguments.of("control-char", "a\u0007b", false),
                Arguments.of("8-bit", "caf\u00e9", false));
    }

    @ParameterizedTest(name = "flag with {0}")
    @MethodSource("nonAtomFlags")
    void flagWithNonAtomBytes(String what, String flag, boolean breaksSyntax, @TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(extraFlagOnUid1(flag));
            w.hostileRun(breaksSyntax ? droppedFlagOrError("INBOX", 1, "r1") : droppedFlag("INBOX", 1, "r1"));
            w.recover();
            w.verdict();
        }
    }

    // ---- 3. mailbox names ----

    @Test
    void mailboxNameWithCrLfAndCommandAsLiteral(@TempDir Path dir) throws Exception {
        String odd = "Odd\r\nZ1 DELETE Victim";
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.put(true, "Odd", "o1");
            w.allowNewMailbox(odd.replace('.', '/'));
            w.rule(Rule.response("^\\* LIST \\([^)]*\\) \"\\.\" Odd\\r\\n").after("LIST")
                    .rewrite(" Odd\\r\\n$", q(" {" + odd.length() + "}\r\n" + odd + "\r\n")));
            w.also(Rule.response("^\\* STATUS Odd ").after("LIST")
                    .rewrite("^\\* STATUS Odd ", q("* STATUS {" + odd.length() + "}\r\n" + odd + " ")));
            w.hostileRun(tolerateOrError(true));
            long creates = w.other.clientCommands().stream().filter(c -> c.matches("(?s)\\S+ CREATE .*")).count();
            if (creates > 1) {
                w.problem(creates + " CREATE commands sent to local (at most one)");
            }
            w.recover();
            w.verdict();
        }
    }

    @ParameterizedTest(name = "mailbox name {0}")
    @ValueSource(strings = {"Vic*", "Vic%"})
    void mailboxNameWithWildcards(String name, @TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.put(true, "Odd", "o1");
            w.allowNewMailbox(name);
            w.rule(Rule.response("^\\* LIST \\([^)]*\\) \"\\.\" Odd\\r\\n").after("LIST")
                    .rewrite(" Odd\\r\\n$", q(" \"" + name + "\"\r\n")));
            w.also(Rule.response("^\\* STATUS Odd ").after("LIST").rewrite("^\\* STATUS Odd ", q("* STATUS \"" + name + "\" ")));
            w.hostileRun(tolerateOrError());
            w.recover();
            w.verdict();
        }
    }

    // ---- 4. STATUS ----

    @Test
    void statusWithUnknownItem(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(Rule.response("^\\* STATUS INBOX \\(").rewrite("\\)\\r\\n$", q(" X-ODD \"y\")\r\n")));
            w.hostileRun(tolerateOrError());
            w.recover();
            w.verdict();
        }
    }

    @Test
    void statusWithParenthesisedValue(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(Rule.response("^\\* STATUS INBOX \\(").rewrite("UIDNEXT (\\d+)", "UIDNEXT ($1 (x))"));
            w.hostileRun(error());
            w.recover();
            w.verdict();
        }
    }

    // ---- 5. FETCH structure ----

    @Test
    void truncatedFetchResponse(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(inbox(FETCH_UID1_BODY).after("BODY.PEEK").replaceWith("* 1 FETCH (UID 1 BODY[\r\n"));
            w.hostileRun(error());
            w.recover();
            w.verdict();
        }
    }

    @Test
    void fetchWithUnknownItemHoldingNestedList(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(inbox(FETCH_UID1).after("UID FETCH").rewrite("^(\\* \\d+ FETCH \\(UID 1) ",
                    "$1 X-ODD (a (b \"c\" (d NIL)) ()) "));
            w.hostileRun(tolerateOrError());
            w.recover();
            w.verdict();
        }
    }

    @Test
    void fetchUidOfWrongType(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(inbox(FETCH_UID1).after("UID FETCH").rewrite("^(\\* \\d+ FETCH \\()UID 1 ", "$1UID \"x\" "));
            w.hostileRun(error());
            w.recover();
            w.verdict();
        }
    }

    // ---- 6. bad numbers ----

    @Test
    void uidnextNotANumber(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(Rule.response("^\\* OK \\[UIDNEXT ").after("SELECT INBOX").rewrite("\\[UIDNEXT \\d+\\]", "[UIDNEXT abc]"));
            w.hostileRun(error());
            w.recover();
            w.verdict();
        }
    }

    @ParameterizedTest(name = "UIDVALIDITY {0}")
    @ValueSource(strings = {"0", "-1"})
    void uidvalidityOutOfRange(String value, @TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(Rule.response("^\\* STATUS INBOX \\(").rewrite("UIDVALIDITY \\d+", "UIDVALIDITY " + value));
            w.also(Rule.response("^\\* OK \\[UIDVALIDITY ").after("SELECT INBOX").rewrite("UIDVALIDITY \\d+", "UIDVALIDITY " + value));
            w.hostileRun(error());
            w.recover();
            w.verdict();
        }
    }

    @Test
    void uidOverflowingLong(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(inbox(FETCH_UID1).after("UID FETCH").rewrite("^(\\* \\d+ FETCH \\()UID 1 ", "$1UID 99999999999999999999 "));
            w.hostileRun(error());
            w.recover();
            w.verdict();
        }
    }

    @Test
    void modseqNotANumber(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.baseline();
            w.flag(true, "INBOX", "r1", true, "\\Answered");
            w.rule(inbox(FETCH_UID1 + "[^\\r\\n]*MODSEQ \\(").rewrite("MODSEQ \\((\\d+)\\)", "MODSEQ (x$1)"));
            w.hostileRun(error());
            w.recover();
            w.verdict();
        }
    }

    @Test
    void negativeMessageSize(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(inbox(FETCH_UID1 + "[^\\r\\n]*RFC822\\.SIZE").rewrite("RFC822\\.SIZE (\\d+)", "RFC822.SIZE -$1"));
            w.hostileRun(error());
            w.recover();
            w.verdict();
        }
    }

    // ---- 7. huge UID sets (bounded memory: the tool runs with -Xmx64m) ----

    @Test
    void unsolicitedVanishedOfEveryUid(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            // from above the real UIDs, so that honouring it has nothing to delete: the point is memory and time
            w.rule(Rule.response(TAGGED_OK).after("UID FETCH 1:\\* \\(UID FLAGS RFC822.SIZE\\)").times(1)
                    .prepend("* VANISHED 100:4294967295\r\n"));
            w.hostileRun(tolerateOrError());
            w.recover();
            w.verdict();
        }
    }

    @Test
    void vanishedEarlierOfEveryUidInQresyncSelect(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.baseline();
            w.put(true, "INBOX", "r3");
            w.rule(Rule.response(TAGGED_OK).after("SELECT INBOX \\(QRESYNC").prepend("* VANISHED (EARLIER) 100:4294967295\r\n"));
            w.hostileRun(tolerateOrError());
            w.recover();
            w.verdict();
        }
    }

    @Test
    void modifiedOfEveryUidOnStore(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.baseline();
            w.flag(false, "Victim", "v1", true, "\\Answered");
            w.rule(Rule.response(TAGGED_OK).after("UID STORE").rewrite("^([A-Z]+\\d+) OK ", "$1 OK [MODIFIED 1:4294967295] "));
            w.hostileRun(tolerateOrError());
            w.recover();
            w.verdict();
        }
    }

    @Test
    void appendUidOfEveryUid(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(Rule.response(TAGGED_OK + " \\[APPENDUID ").after("APPEND")
                    .rewrite("\\[APPENDUID (\\d+) [^\\]]+\\]", "[APPENDUID $1 1:4294967295]"));
            w.hostileRun(error("APPENDUID", "UID"));
            w.recover();
            w.verdict();
        }
    }

    // ---- 8. APPENDUID lies ----

    @Test
    void appendUidWithWrongUidvalidity(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(Rule.response(TAGGED_OK + " \\[APPENDUID ").after("APPEND").rewrite("\\[APPENDUID \\d+ ", "[APPENDUID 12345 "));
            w.hostileRun(error("APPENDUID", "UIDVALIDITY"));
            w.recover();
            w.verdict();
        }
    }

    @Test
    void appendUidWithFewerUidsThanMessages(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.put(false, "Victim", "v2", "v3");
            w.rule(Rule.response(TAGGED_OK + " \\[APPENDUID ").after("APPEND").rewrite("\\[APPENDUID (\\d+) [^\\]]+\\]", "[APPENDUID $1 1]"));
            w.hostileRun(error("APPEND", "UID"));
            w.recover();
            w.verdict();
        }
    }

    // ---- 9. announced literals ----

    @Test
    void hugeLiteralThenClose(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(inbox(FETCH_UID1_BODY).after("BODY.PEEK").rewrite("BODY\\[\\] \\{\\d+\\}", "BODY[] {2000000000}")
                    .closeAfter(Long.MAX_VALUE));
            w.hostileRun(error());
            w.recover();
            w.verdict();
        }
    }

    @Test
    void hugeLiteralThenGarbage(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.hostileOptions(HostileWorld.TIMEOUTS).seed();
            w.rule(inbox(FETCH_UID1_BODY).after("BODY.PEEK").rewrite("BODY\\[\\] \\{\\d+\\}", "BODY[] {2000000000}")
                    .flood(4L << 20, true));
            w.hostileRun(error(), HostileWorld.TIMEOUT_BOUND);
            w.recover();
            w.verdict();
        }
    }

    @Test
    void literalShorterThanTheMessage(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(inbox(FETCH_UID1_BODY).after("BODY.PEEK").rewrite("BODY\\[\\] \\{\\d+\\}", "BODY[] {10}"));
            w.hostileRun(error());
            w.recover();
            w.verdict();
        }
    }

    // ---- 10. lying capabilities ----

    @Test
    void capabilitiesWithoutQresync(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(Rule.response("CAPABILITY[^\\r\\n]* QRESYNC").rewrite(" QRESYNC", ""));
            w.hostileRun(error("QRESYNC"));
            w.recover();
            w.verdict();
        }
    }

    @Test
    void enableQresyncRefused(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(Rule.command("^\\S+ ENABLE ").respond("<TAG> NO [CANNOT] not today\r\n"));
            w.hostileRun(error("QRESYNC", "ENABLE"));
            w.recover();
            w.verdict();
        }
    }

    @Test
    void literalPlusAdvertisedButContinuationRequired(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.hostileOptions(HostileWorld.TIMEOUTS).seed();
            w.rule(Rule.command("^\\S+ APPEND ").respond("+ Ready for literal data\r\n").thenSilence());
            w.hostileRun(error(), HostileWorld.TIMEOUT_BOUND);
            w.recover();
            w.verdict();
        }
    }

    // ---- 11. tags and BYE ----

    @Test
    void wrongTagOnTaggedResponse(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.hostileOptions(HostileWorld.TIMEOUTS).seed();
            w.rule(Rule.response(TAGGED_OK).after("SELECT INBOX").rewrite("^[A-Z]+(\\d+) OK", "Q$1 OK"));
            w.hostileRun(error(), HostileWorld.TIMEOUT_BOUND);
            w.recover();
            w.verdict();
        }
    }

    @Test
    void taggedResponseToACommandNeverSent(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(Rule.response(TAGGED_OK).after("SELECT INBOX").prepend("Q999 OK [READ-WRITE] never asked\r\n"));
            w.hostileRun(tolerateOrError());
            w.recover();
            w.verdict();
        }
    }

    @Test
    void untaggedByeInTheMiddleOfAFetch(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(Rule.response("^\\* \\d+ FETCH \\(UID 2 [^\\r\\n]*BODY\\[\\] \\{").after("BODY.PEEK")
                    .replaceWith("* BYE server shutting down\r\n").closeAfter(Long.MAX_VALUE));
            w.hostileRun(error());
            w.recover();
            w.verdict();
        }
    }

    // ---- 12. disconnects ----

    @Test
    void disconnectInTheMiddleOfAMessageBody(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(inbox(FETCH_UID1_BODY).after("BODY.PEEK").closeInLiteral());
            w.hostileRun(error());
            w.recover();
            w.verdict();
        }
    }

    @Test
    void disconnectRightAfterTheGreeting(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(Rule.greeting().closeAfter(Long.MAX_VALUE));
            w.hostileRun(error());
            w.recover();
            w.verdict();
        }
    }

    @Test
    void disconnectDuringLogin(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(Rule.command("^\\S+ (AUTHENTICATE|LOGIN) ").close());
            w.hostileRun(error());
            w.recover();
            w.verdict();
        }
    }

    @Test
    void byeInsteadOfAGreeting(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(Rule.greeting().replaceWith("* BYE too many connections\r\n").closeAfter(Long.MAX_VALUE));
            w.hostileRun(error());
            w.recover();
            w.verdict();
        }
    }

    // ---- 13. silence (timeout = 3, connect-timeout = 3 on the hostile side) ----

    @Test
    void neverGreets(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.hostileOptions(HostileWorld.TIMEOUTS).seed();
            w.rule(Rule.greeting().silence());
            w.hostileRun(error(), HostileWorld.TIMEOUT_BOUND);
            w.recover();
            w.verdict();
        }
    }

    @Test
    void silentAfterSelect(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.hostileOptions(HostileWorld.TIMEOUTS).seed();
            w.rule(Rule.response(TAGGED_OK).after("SELECT INBOX").thenSilence());
            w.hostileRun(error(), HostileWorld.TIMEOUT_BOUND);
            w.recover();
            w.verdict();
        }
    }

    @Test
    void slowLorisGreeting(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.hostileOptions(HostileWorld.TIMEOUTS).seed();
            w.rule(Rule.greeting().dribble(1000));
            w.hostileRun(error(), HostileWorld.TIMEOUT_BOUND);
            w.recover();
            w.verdict();
        }
    }

    @Test
    void stopsReadingDuringTheAppendOfABigMessage(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.hostileOptions(HostileWorld.TIMEOUTS).noMemoryLimit().seed();
            w.putBig(false, "INBOX", "big1", 10 << 20);
            w.rule(Rule.command("^\\S+ APPEND INBOX ").stopReading());
            w.hostileRun(error(), HostileWorld.TIMEOUT_BOUND);
            w.recover();
            w.verdict();
        }
    }

    // ---- 14. garbage ----

    @Test
    void lineOfRandomBytes(@TempDir Path dir) throws Exception {
        byte[] junk = new byte[300];
        new Random(7).nextBytes(junk);
        StringBuilder line = new StringBuilder();
        for (byte b : junk) {
            char c = (char) (b & 0xff);
            line.append(c == '\r' || c == '\n' || c == '}' ? '?' : c);
        }
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(Rule.response(TAGGED_OK).after("SELECT INBOX").prepend(line + "\r\n"));
            w.hostileRun(tolerateOrError());
            w.recover();
            w.verdict();
        }
    }

    @Test
    void nulBytesInAResponse(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(inbox(FETCH_UID1).after("UID FETCH").rewrite("^(\\* \\d+ FETCH \\(UID 1) ", "$1\0\0 "));
            w.hostileRun(tolerateOrError());
            w.recover();
            w.verdict();
        }
    }

    @Test
    void responseLineOfManyMebibytesWithoutCrlf(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.hostileOptions(HostileWorld.TIMEOUTS).seed();
            w.rule(Rule.response(TAGGED_OK).after("SELECT INBOX").replaceWith("* OK ").flood(256L << 20, false));
            w.hostileRun(error(), HostileWorld.TIMEOUT_BOUND);
            w.recover();
            w.verdict();
        }
    }

    @Test
    void deeplyNestedList(@TempDir Path dir) throws Exception {
        String deep = "(".repeat(200_000) + ")".repeat(200_000);
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(inbox(FETCH_UID1).after("UID FETCH").rewrite("^(\\* \\d+ FETCH \\(UID 1) ", "$1 X-DEEP " + deep + " "));
            w.hostileRun(tolerateOrError());
            w.recover();
            w.verdict();
        }
    }

    // ---- 15. INTERNALDATE ----

    @Test
    void internalDateMalformed(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(inbox(FETCH_UID1 + "[^\\r\\n]*INTERNALDATE").rewrite("INTERNALDATE \"[^\"]*\"",
                    "INTERNALDATE \"31-Foo-99999 25:61:61 +9999\""));
            w.hostileRun(tolerateOrError());
            w.recover();
            w.verdict();
        }
    }

    @Test
    void internalDateWithCrLfAndCommand(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(inbox(FETCH_UID1 + "[^\\r\\n]*INTERNALDATE").rewrite("INTERNALDATE \"([^ \"]*) ([^\"]*)\"",
                    "INTERNALDATE \"$1\r\nZ1 DELETE Victim\r\n$2\""));
            w.hostileRun(tolerateOrError());
            w.recover();
            w.verdict();
        }
    }

    @Test
    void internalDateAsLiteralHoldingACommand(@TempDir Path dir) throws Exception {
        try (HostileWorld w = HostileWorld.remoteHostile(dir)) {
            w.seed();
            w.rule(inbox(FETCH_UID1 + "[^\\r\\n]*INTERNALDATE").map(text -> {
                Matcher m = java.util.regex.Pattern.compile("INTERNALDATE \"([^\"]*)\"").matcher(text);
                if (!m.find()) {
                    return text;
                }
                String date = m.group(1) + "\r\nZ1 DELETE Victim\r\n";
                return text.substring(0, m.start()) + "INTERNALDATE {" + date.length() + "}\r\n" + date + text.substring(m.end());
            }));
            w.hostileRun(tolerateOrError());
            w.recover();
            w.verdict();
        }
    }
}
