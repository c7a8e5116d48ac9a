package org.camelinterimap.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The envelope sender (MAIL FROM) of a pulled message: taken as pullimap(1) takes it, and the null
 * reverse-path when the header gives no valid address, whatever the header holds.
 */
class RawMailEnvelopeTest {
    private static String from(String header) {
        return RawMail.envelopeFrom((header + "\r\nSubject: s\r\n\r\nbody\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "From: a@example.org                                  | a@example.org",
        "From: John Doe <john.doe@example.org>                 | john.doe@example.org",
        "From: \"Doe, John\" <john@example.org>                 | john@example.org",
        "From: \"Doe, \\\"JD\\\" John\" <jd@example.org>          | jd@example.org",
        "From: Doe, John <john@example.org>                    | ''",
        "From: john@example.org (Doe, John)                    | john@example.org",
        "From: (a (nested) comment) <a@b.example> (and <x@y>)  | a@b.example",
        "From: =?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <jorg@example.org> | jorg@example.org",
        "From: \"=?utf-8?q?Doe,_J?=\" <j@example.org>             | j@example.org",
        "From: =?utf-8?q?x?=@example.org                        | =?utf-8?q?x?=@example.org",
        "From: a@example.org, b@example.org                    | a@example.org",
        "From: , a@example.org                                 | a@example.org",
        "FROM : a@example.org                                  | a@example.org",
        "From: <@relay.example,@other.example:a@example.org>   | a@example.org",
        "From: a . b @ example . org                           | a.b@example.org",
        "From: a@[192.0.2.1]                                   | a@[192.0.2.1]",
        "From: a@[IPv6:2001:db8::1]                            | a@[IPv6:2001:db8::1]",
        // quoted local parts: unquoted when a dot-string, else quoted as RFC 5321 wants
        "From: \"a.b\"@example.org                             | a.b@example.org",
        "From: \"a..b\"@example.org                            | \"a..b\"@example.org",
        "From: a.@example.org                                  | \"a.\"@example.org",
        "From: \"a\\\"b\\\\c\"@example.org                     | \"a\\\"b\\\\c\"@example.org",
        "From: \"a b\"@example.org                             | ''",
        "From: \"<x>\"@example.org                             | ''",
        "From: \"\"@example.org                                | ''",
        // group syntax: the ENVELOPE has no address first
        "From: undisclosed-recipients:;                       | ''",
        "From: friends: a@example.org, b@example.org;          | ''",
        "From: :;                                              | ''",
        // empty, missing parts
        "From:                                                 | ''",
        "From: (only a comment)                                | ''",
        "From: foo                                             | ''",
        "From: <foo>                                           | ''",
        "From: a@                                              | ''",
        "From: @example.org                                    | ''",
        "From: <>                                              | ''",
        "From: a@example.org>                                  | ''",
        "From: <a@example.org> trailing words                  | ''",
        "From: a@example.org b@example.org                     | ''",
        "From: John Smith@example.org                          | ''",
        "From: \"unterminated <a@example.org>                  | ''",
        "From: (unterminated <a@example.org>                   | ''",
        "From: <a@example.org                                  | ''",
        // domains
        "From: a@b_c.example                                   | ''",
        "From: a@-b.example                                    | ''",
        "From: a@b..example                                    | ''",
        "From: a@example.org.                                  | ''",
        "From: a@[1.2.3.4 ]                                    | ''",
        "From: a@[<x>]                                         | ''",
        "From: a@localhost                                     | a@localhost",
    })
    void headerGivesTheAddressOrTheNullReversePath(String header, String expected) {
        assertEquals(expected, from(header.strip()));
    }

    @Test
    void senderComesFirstUnlessEmpty() {
        assertEquals("s@example.net", from("From: f@example.org\r\nSender: s@example.net"));
        assertEquals("f@example.org", from("Sender:\r\nFrom: f@example.org"));
        assertEquals("f@example.org", from("Sender:   (nobody)\r\nFrom: f@example.org"));
        // a Sender that gives no address is the envelope sender all the same (Dovecot's ENVELOPE
        // says MISSING_MAILBOX@MISSING_DOMAIN): the null reverse-path, not From
        assertEquals("", from("Sender: garbage here\r\nFrom: f@example.org"));
        assertEquals("", from("Sender: list:;\r\nFrom: f@example.org"));
    }

    @Test
    void firstFieldOfANameWinsAndOnlyTheHeaderCounts() {
        assertEquals("one@example.org", from("From: one@example.org\r\nFrom: two@example.org"));
        assertEquals("", RawMail.envelopeFrom("Subject: no from\r\n\r\nFrom: body@example.org\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("", RawMail.envelopeFrom(new byte[0]));
        assertEquals("a@example.org", RawMail.envelopeFrom("From: a@example.org".getBytes(StandardCharsets.US_ASCII)),
                "no line end, no body");
        assertEquals("a@example.org", RawMail.envelopeFrom("From: a@example.org\nSubject: LF only\n\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("c@example.org", from("From a@example.org Mon Jan  1 00:00:00 2024\r\nFrom: c@example.org"),
                "an mbox From_ line is not a field");
        assertEquals("f@example.org", from("From:\r\n  f@example.org\r\n  (folded)"));
        assertEquals("f@example.org", from("From: \"Long,\r\n\tname\" <f@example.org>"));
    }

    @Test
    void eightBitDisplayNamesAreFineButNotEightBitAddresses() {
        byte[] utf8 = "From: Jörg Müller € <jorg@example.org>\r\n\r\n".getBytes(StandardCharsets.UTF_8);
        assertEquals("jorg@example.org", RawMail.envelopeFrom(utf8));
        assertEquals("", RawMail.envelopeFrom("From: jörg@example.org\r\n\r\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("", RawMail.envelopeFrom("From: jorg@bücher.example\r\n\r\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void lineBreakInjectionNeverReachesTheCommand() {
        for (String header : List.of(
                "From: a@b>\r\nRCPT TO:<x@y",
                "From: a@b>\r\nRCPT TO:<x@y>",
                "From: <a@b>\r\n RCPT TO:<x@y>",
                "From: <a@b\rRCPT TO:<x@y>>",
                "From: <a@b>\rRCPT TO:<x@y>",
                "From: a@b\nRCPT TO:<x@y>",
                "From: \"a@b>\rRCPT TO:<x\"@y",
                "From: \"x\r\n y\"@example.org",
                "From: <a@example.org\u0000>",
                "From: a@[1.2.3.4\r]",
                "From: (comment\r) a@example.org",
                "From: \"a\\\r\"@example.org")) {
            String sender = from(header);
            assertTrue(sender.isEmpty() || sender.matches("[\\x21-\\x3b=\\x3f-\\x7e]+"), header + " gave " + sender);
            assertTrue(!sender.contains("RCPT") && !sender.contains(">"), header + " gave " + sender);
        }
        assertEquals("", from("From: a@b>\r\nRCPT TO:<x@y"));
        assertEquals("", from("From: <a@b>\r\n RCPT TO:<x@y>"));
        assertEquals("", from("From: <a@b\rRCPT TO:<x@y>>"));
    }

    @Test
    void lengthsAreBounded() {
        String local64 = "l".repeat(64);
        assertEquals(local64 + "@example.org", from("From: " + local64 + "@example.org"));
        assertEquals("", from("From: " + local64 + "l@example.org"));
        String quoted62 = "x.." + "y".repeat(59);
        assertEquals("\"" + quoted62 + "\"@example.org", from("From: \"" + quoted62 + "\"@example.org"), "64 octets with its quotes");
        assertEquals("", from("From: \"" + quoted62 + "y\"@example.org"), "65 octets with its quotes");
        String label = "d".repeat(63);
        String domain = label + "." + label + "." + label + "." + "d".repeat(57); // 249 octets
        assertEquals("ab@" + domain, from("From: ab@" + domain));
        assertEquals("", from("From: abcdef@" + domain), "255 octets");
        assertEquals("", from("From: a@" + "d".repeat(64) + ".example"), "a label of 64");
        // a long header costs time in proportion to its length, no more
        assertEquals("", from("From: " + "(".repeat(200_000)));
        assertEquals("", from("From: " + "a.".repeat(200_000) + "@example.org"));
    }
}
