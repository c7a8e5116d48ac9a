package org.camelinterimap.sync;

import static org.camelinterimap.sync.HostileWorld.droppedFlag;
import static org.camelinterimap.sync.HostileWorld.droppedFlagOrError;
import static org.camelinterimap.sync.HostileWorld.error;
import static org.camelinterimap.sync.HostileWorld.tolerateOrError;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.stream.Stream;

import org.camelinterimap.rig.DovecotRig;
import org.camelinterimap.rig.HostileProxy.Rule;
import org.camelinterimap.rig.RigWatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
 *
 * <p>Run alone with {@code mvn verify -Dit.test=HostileServerIT -Dtest=NONE
 * -Dsurefire.failIfNoSpecifiedTests=false}. Every run of the tool is killed after
 * {@link HostileWorld#BOUND} (the case then fails as HUNG, with the frame it hung in); the cases that
 * need the tool's own timeouts set {@code timeout = 3} and {@code connect-timeout = 3} on the hostile
 * side, and {@code -Dhostile.timeouts=off} leaves those options out.
 */
@ExtendWith(DovecotRig.class)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class HostileServerIT {
    /** An untagged FETCH response about UID 1 (Dovecot puts UID first). */
    private static final String FETCH_UID1 = "^\\* \\d+ FETCH \\(UID 1 ";
    private static final String FETCH_UID1_BODY = FETCH_UID1 + "[^\\r\\n]*BODY\\[\\](<\\d+>)? \\{";
    private static final String TAGGED_OK = "^[A-Z]+\\d+ OK";
    private static final String INJECTION = "!\nZ1 DELETE Victim\nZ2";

    /** The body of one case, given a fresh world. */
    @FunctionalInterface
    interface Case {
        void run(HostileWorld w) throws Exception;
    }

    /**
     * Runs a case in a fresh world and fails it with every problem found. The rig is shared: when
     * its servers were restarted meanwhile (by someone else), a failed attempt says nothing about
     * the tool, and the case runs again (three attempts at most).
     */
    private static void hostileCase(Path dir, HostileWorld.Side side, Case body) throws Exception {
        for (int attempt = 1; ; attempt++) {
            Set<Long> rig = RigWatch.awaitServers();
            Path attemptDir = Files.createDirectories(dir.resolve("attempt-" + attempt));
            try (HostileWorld w = new HostileWorld(attemptDir, side)) {
                body.run(w);
                w.verdict();
                return;
            } catch (Exception | AssertionError e) {
                if (attempt < 3 && !RigWatch.servers().equals(rig)) {
                    System.err.println("the rig's servers were restarted during the case; running it again");
                    continue;
                }
                throw e;
            }
        }
    }

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
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.put(true, "Odd", "o1");
            w.hostileRun(tolerateOrError());
            if (w.result.exit() != 0) {
                w.problem("a run through rule-less proxies failed: " + w.result.output());
            }
            w.recover();
        });
    }

    // ---- 1. flags carrying a command ----

    @Test
    void flagWithBareLfAndInjectedCommand(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(extraFlagOnUid1(INJECTION));
            w.hostileRun(droppedFlag("INBOX", 1, "r1"));
            w.recover();
        });
    }

    @Test
    void flagWithBareLfInChangedSinceFetchOfIncrementalRun(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.baseline();
            w.flag(true, "INBOX", "r1", true, "\\Flagged");
            // the QRESYNC SELECT and the CHANGEDSINCE fetch both report it (with MODSEQ)
            w.rule(inbox(FETCH_UID1 + "[^\\r\\n]*MODSEQ").rewrite("FLAGS \\(([^)]*)\\)", "FLAGS ($1 " + q(INJECTION) + ")"));
            w.hostileRun(droppedFlag("INBOX", 1, "r1"));
            w.recover();
        });
    }

    @Test
    void flagWithBareLfFromHostileLocalSide(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.LOCAL, w -> {
            w.seed();
            w.rule(extraFlagOnUid1(INJECTION));
            w.hostileRun(droppedFlag("INBOX", 1, "r1"));
            w.recover();
        });
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
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(extraFlagOnUid1(flag));
            w.hostileRun(breaksSyntax ? droppedFlagOrError("INBOX", 1, "r1") : droppedFlag("INBOX", 1, "r1"));
            w.recover();
        });
    }

    // ---- 3. mailbox names ----

    @Test
    void mailboxNameWithCrLfAndCommandAsLiteral(@TempDir Path dir) throws Exception {
        String odd = "Odd\r\nZ1 DELETE Victim";
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
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
        });
    }

    /**
     * A mailbox whose name holds a LIST wildcard matching "Victim" (Dovecot accepts such names, so the
     * hostile server really has it, and the proxy only watches): its messages must land in a mailbox
     * of exactly that name on the other side, never in Victim, whatever a LIST of that name returns.
     */
    @ParameterizedTest(name = "mailbox name {0}")
    @ValueSource(strings = {"Vic*", "Vic%"})
    void mailboxNameWithWildcards(String name, @TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.put(true, name, "o1");
            w.rule(Rule.response("^\\* LIST \\([^)]*\\) \"\\.\" \"" + java.util.regex.Pattern.quote(name) + "\"\\r\\n").after("LIST"));
            w.hostileRun(tolerateOrError());
            w.recover();
        });
    }

    // ---- 4. STATUS ----

    @Test
    void statusWithUnknownItem(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(Rule.response("^\\* STATUS INBOX \\(").rewrite("\\)\\r\\n$", q(" X-ODD \"y\")\r\n")));
            w.hostileRun(tolerateOrError());
            w.recover();
        });
    }

    @Test
    void statusWithParenthesisedValue(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(Rule.response("^\\* STATUS INBOX \\(").rewrite("UIDNEXT (\\d+)", "UIDNEXT ($1 (x))"));
            w.hostileRun(error());
            w.recover();
        });
    }

    // ---- 5. FETCH structure ----

    @Test
    void truncatedFetchResponse(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(inbox(FETCH_UID1_BODY).after("BODY.PEEK").replaceWith("* 1 FETCH (UID 1 BODY[\r\n"));
            w.hostileRun(error());
            w.recover();
        });
    }

    @Test
    void fetchWithUnknownItemHoldingNestedList(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(inbox(FETCH_UID1).after("UID FETCH").rewrite("^(\\* \\d+ FETCH \\(UID 1) ",
                    "$1 X-ODD (a (b \"c\" (d NIL)) ()) "));
            w.hostileRun(tolerateOrError());
            w.recover();
        });
    }

    @Test
    void fetchUidOfWrongType(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(inbox(FETCH_UID1).after("UID FETCH").rewrite("^(\\* \\d+ FETCH \\()UID 1 ", "$1UID \"x\" "));
            w.hostileRun(error());
            w.recover();
        });
    }

    // ---- 6. bad numbers ----

    @Test
    void uidnextNotANumber(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(Rule.response("^\\* OK \\[UIDNEXT ").after("SELECT INBOX").rewrite("\\[UIDNEXT \\d+\\]", "[UIDNEXT abc]"));
            w.hostileRun(error());
            w.recover();
        });
    }

    @ParameterizedTest(name = "UIDVALIDITY {0}")
    @ValueSource(strings = {"0", "-1"})
    void uidvalidityOutOfRange(String value, @TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(Rule.response("^\\* STATUS INBOX \\(").rewrite("UIDVALIDITY \\d+", "UIDVALIDITY " + value));
            w.also(Rule.response("^\\* OK \\[UIDVALIDITY ").after("SELECT INBOX").rewrite("UIDVALIDITY \\d+", "UIDVALIDITY " + value));
            w.hostileRun(error());
            w.recover();
        });
    }

    @Test
    void uidOverflowingLong(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(inbox(FETCH_UID1).after("UID FETCH").rewrite("^(\\* \\d+ FETCH \\()UID 1 ", "$1UID 99999999999999999999 "));
            w.hostileRun(error());
            w.recover();
        });
    }

    @Test
    void modseqNotANumber(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.baseline();
            w.flag(true, "INBOX", "r1", true, "\\Answered");
            w.rule(inbox(FETCH_UID1 + "[^\\r\\n]*MODSEQ \\(").rewrite("MODSEQ \\((\\d+)\\)", "MODSEQ (x$1)"));
            w.hostileRun(error());
            w.recover();
        });
    }

    @Test
    void negativeMessageSize(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(inbox(FETCH_UID1 + "[^\\r\\n]*RFC822\\.SIZE").rewrite("RFC822\\.SIZE (\\d+)", "RFC822.SIZE -$1"));
            w.hostileRun(error());
            w.recover();
        });
    }

    // ---- 7. huge UID sets (bounded memory: the tool runs with -Xmx64m) ----

    @Test
    void unsolicitedVanishedOfEveryUid(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            // from above the real UIDs, so that honouring it has nothing to delete: the point is memory and time
            w.rule(Rule.response(TAGGED_OK).after("UID FETCH 1:\\* \\(UID FLAGS RFC822.SIZE\\)").times(1)
                    .prepend("* VANISHED 100:4294967295\r\n"));
            w.hostileRun(tolerateOrError());
            w.recover();
        });
    }

    @Test
    void vanishedEarlierOfEveryUidInQresyncSelect(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.baseline();
            w.put(true, "INBOX", "r3");
            w.rule(Rule.response(TAGGED_OK).after("SELECT INBOX \\(QRESYNC").prepend("* VANISHED (EARLIER) 100:4294967295\r\n"));
            w.hostileRun(tolerateOrError());
            w.recover();
        });
    }

    @Test
    void modifiedOfEveryUidOnStore(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.baseline();
            w.flag(false, "Victim", "v1", true, "\\Answered");
            w.rule(Rule.response(TAGGED_OK).after("UID STORE").rewrite("^([A-Z]+\\d+) OK ", "$1 OK [MODIFIED 1:4294967295] "));
            w.hostileRun(tolerateOrError());
            w.recover();
        });
    }

    @Test
    void appendUidOfEveryUid(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(Rule.response(TAGGED_OK + " \\[APPENDUID ").after("APPEND")
                    .rewrite("\\[APPENDUID (\\d+) [^\\]]+\\]", "[APPENDUID $1 1:4294967295]"));
            w.hostileRun(error("APPENDUID", "UID"));
            w.recover();
        });
    }

    // ---- 8. APPENDUID lies ----

    @Test
    void appendUidWithWrongUidvalidity(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(Rule.response(TAGGED_OK + " \\[APPENDUID ").after("APPEND").rewrite("\\[APPENDUID \\d+ ", "[APPENDUID 12345 "));
            w.hostileRun(error("APPENDUID", "UIDVALIDITY"));
            w.recover();
        });
    }

    @Test
    void appendUidWithFewerUidsThanMessages(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.put(false, "Victim", "v2", "v3");
            w.rule(Rule.response(TAGGED_OK + " \\[APPENDUID ").after("APPEND").rewrite("\\[APPENDUID (\\d+) [^\\]]+\\]", "[APPENDUID $1 1]"));
            w.hostileRun(error("APPEND", "UID"));
            w.recover();
        });
    }

    // ---- 9. announced literals ----

    @Test
    void hugeLiteralThenClose(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(inbox(FETCH_UID1_BODY).after("BODY.PEEK").rewrite("BODY\\[\\](<\\d+>)? \\{\\d+\\}", "BODY[]$1 {2000000000}")
                    .closeAfter(Long.MAX_VALUE));
            w.hostileRun(error());
            w.recover();
        });
    }

    @Test
    void hugeLiteralThenGarbage(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.hostileOptions(HostileWorld.TIMEOUTS).seed();
            w.rule(inbox(FETCH_UID1_BODY).after("BODY.PEEK").rewrite("BODY\\[\\](<\\d+>)? \\{\\d+\\}", "BODY[]$1 {2000000000}")
                    .flood(4L << 20, true));
            w.hostileRun(error(), HostileWorld.TIMEOUT_BOUND);
            w.recover();
        });
    }

    @Test
    void literalShorterThanTheMessage(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(inbox(FETCH_UID1_BODY).after("BODY.PEEK").rewrite("BODY\\[\\](<\\d+>)? \\{\\d+\\}", "BODY[]$1 {10}"));
            w.hostileRun(error());
            w.recover();
        });
    }

    // ---- 10. lying capabilities ----

    @Test
    void capabilitiesWithoutQresync(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(Rule.response("CAPABILITY[^\\r\\n]* QRESYNC").rewrite(" QRESYNC", ""));
            w.hostileRun(error("QRESYNC"));
            w.recover();
        });
    }

    @Test
    void enableQresyncRefused(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(Rule.command("^\\S+ ENABLE ").respond("<TAG> NO [CANNOT] not today\r\n"));
            w.hostileRun(error("QRESYNC", "ENABLE"));
            w.recover();
        });
    }

    @Test
    void literalPlusAdvertisedButContinuationRequired(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.hostileOptions(HostileWorld.TIMEOUTS).seed();
            w.rule(Rule.command("^\\S+ APPEND ").respond("+ Ready for literal data\r\n").thenSilence());
            w.hostileRun(error(), HostileWorld.TIMEOUT_BOUND);
            w.recover();
        });
    }

    // ---- 11. tags and BYE ----

    @Test
    void wrongTagOnTaggedResponse(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.hostileOptions(HostileWorld.TIMEOUTS).seed();
            w.rule(Rule.response(TAGGED_OK).after("SELECT INBOX").rewrite("^[A-Z]+(\\d+) OK", "Q$1 OK"));
            w.hostileRun(error(), HostileWorld.TIMEOUT_BOUND);
            w.recover();
        });
    }

    @Test
    void taggedResponseToACommandNeverSent(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(Rule.response(TAGGED_OK).after("SELECT INBOX").prepend("Q999 OK [READ-WRITE] never asked\r\n"));
            w.hostileRun(tolerateOrError());
            w.recover();
        });
    }

    @Test
    void untaggedByeInTheMiddleOfAFetch(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(Rule.response("^\\* \\d+ FETCH \\(UID 2 [^\\r\\n]*BODY\\[\\](<\\d+>)? \\{").after("BODY.PEEK")
                    .replaceWith("* BYE server shutting down\r\n").closeAfter(Long.MAX_VALUE));
            w.hostileRun(error());
            w.recover();
        });
    }

    // ---- 12. disconnects ----

    @Test
    void disconnectInTheMiddleOfAMessageBody(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(inbox(FETCH_UID1_BODY).after("BODY.PEEK").closeInLiteral());
            w.hostileRun(error());
            w.recover();
        });
    }

    @Test
    void disconnectRightAfterTheGreeting(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(Rule.greeting().closeAfter(Long.MAX_VALUE));
            w.hostileRun(error());
            w.recover();
        });
    }

    @Test
    void disconnectDuringLogin(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(Rule.command("^\\S+ (AUTHENTICATE|LOGIN) ").close());
            w.hostileRun(error());
            w.recover();
        });
    }

    @Test
    void byeInsteadOfAGreeting(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(Rule.greeting().replaceWith("* BYE too many connections\r\n").closeAfter(Long.MAX_VALUE));
            w.hostileRun(error());
            w.recover();
        });
    }

    // ---- 13. silence (timeout = 3, connect-timeout = 3 on the hostile side) ----

    @Test
    void neverGreets(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.hostileOptions(HostileWorld.TIMEOUTS).seed();
            w.rule(Rule.greeting().silence());
            w.hostileRun(error(), HostileWorld.TIMEOUT_BOUND);
            w.recover();
        });
    }

    @Test
    void silentAfterSelect(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.hostileOptions(HostileWorld.TIMEOUTS).seed();
            w.rule(Rule.response(TAGGED_OK).after("SELECT INBOX").thenSilence());
            w.hostileRun(error(), HostileWorld.TIMEOUT_BOUND);
            w.recover();
        });
    }

    @Test
    void slowLorisGreeting(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.hostileOptions(HostileWorld.TIMEOUTS).seed();
            w.rule(Rule.greeting().dribble(1000));
            w.hostileRun(error(), HostileWorld.TIMEOUT_BOUND);
            w.recover();
        });
    }

    @Test
    void stopsReadingDuringTheAppendOfABigMessage(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.hostileOptions(HostileWorld.TIMEOUTS).noMemoryLimit().seed();
            w.putBig(false, "INBOX", "big1", 10 << 20);
            w.rule(Rule.command("^\\S+ APPEND INBOX ").stopReading());
            w.hostileRun(error(), HostileWorld.TIMEOUT_BOUND);
            w.recover();
        });
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
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(Rule.response(TAGGED_OK).after("SELECT INBOX").prepend(line + "\r\n"));
            w.hostileRun(tolerateOrError());
            w.recover();
        });
    }

    @Test
    void nulBytesInAResponse(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(inbox(FETCH_UID1).after("UID FETCH").rewrite("^(\\* \\d+ FETCH \\(UID 1) ", "$1\0\0 "));
            w.hostileRun(tolerateOrError());
            w.recover();
        });
    }

    @Test
    void responseLineOfManyMebibytesWithoutCrlf(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.hostileOptions(HostileWorld.TIMEOUTS).seed();
            w.rule(Rule.response(TAGGED_OK).after("SELECT INBOX").replaceWith("* OK ").flood(256L << 20, false));
            w.hostileRun(error(), HostileWorld.TIMEOUT_BOUND);
            w.recover();
        });
    }

    @Test
    void deeplyNestedList(@TempDir Path dir) throws Exception {
        String deep = "(".repeat(200_000) + ")".repeat(200_000);
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(inbox(FETCH_UID1).after("UID FETCH").rewrite("^(\\* \\d+ FETCH \\(UID 1) ", "$1 X-DEEP " + deep + " "));
            w.hostileRun(tolerateOrError());
            w.recover();
        });
    }

    // ---- 15. INTERNALDATE ----

    @Test
    void internalDateMalformed(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(inbox(FETCH_UID1 + "[^\\r\\n]*INTERNALDATE").rewrite("INTERNALDATE \"[^\"]*\"",
                    "INTERNALDATE \"31-Foo-99999 25:61:61 +9999\""));
            w.hostileRun(tolerateOrError());
            w.recover();
        });
    }

    @Test
    void internalDateWithCrLfAndCommand(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
            w.seed();
            w.rule(inbox(FETCH_UID1 + "[^\\r\\n]*INTERNALDATE").rewrite("INTERNALDATE \"([^ \"]*) ([^\"]*)\"",
                    "INTERNALDATE \"$1\r\nZ1 DELETE Victim\r\n$2\""));
            w.hostileRun(tolerateOrError());
            w.recover();
        });
    }

    @Test
    void internalDateAsLiteralHoldingACommand(@TempDir Path dir) throws Exception {
        hostileCase(dir, HostileWorld.Side.REMOTE, w -> {
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
        });
    }
}
