package org.camelinterimap.imap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.camelinterimap.sync.UidRanges;
import org.eclipse.angus.mail.iap.Response;
import org.junit.jupiter.api.Test;

/** Server lines as Angus Mail hands them over ({@code new Response(String)} parses tag and type). */
class ResponseParserTest {

    @Test
    void keywordOfUntaggedData() throws Exception {
        assertEquals("FETCH", ResponseParser.keyword(new Response("* 3 FETCH (UID 7 FLAGS ())")));
        assertEquals("LIST", ResponseParser.keyword(new Response("* LIST () \"/\" INBOX")));
        assertEquals("VANISHED", ResponseParser.keyword(new Response("* VANISHED (EARLIER) 1:3")));
        assertNull(ResponseParser.keyword(new Response("* OK [UIDNEXT 12] Predicted next UID")));
        assertNull(ResponseParser.keyword(new Response("A1 OK done")));
    }

    @Test
    void responseCodes() throws Exception {
        assertArrayEquals(new String[] {"UIDNEXT", "12"},
                ResponseParser.responseCode(new Response("* OK [UIDNEXT 12] Predicted next UID")));
        assertArrayEquals(new String[] {"APPENDUID", "1600000000 4:6"},
                ResponseParser.responseCode(new Response("A3 OK [APPENDUID 1600000000 4:6] Append completed.")));
        assertArrayEquals(new String[] {"MODIFIED", "7,9"},
                ResponseParser.responseCode(new Response("A4 OK [MODIFIED 7,9] Conditional STORE failed")));
        assertArrayEquals(new String[] {"READ-WRITE", ""},
                ResponseParser.responseCode(new Response("A2 OK [READ-WRITE] Select completed.")));
        assertNull(ResponseParser.responseCode(new Response("A5 OK done")));
        assertEquals("Authentication failed.", ResponseParser.text(new Response("A1 NO [AUTHENTICATIONFAILED] Authentication failed.")));
    }

    @Test
    void fetchWithFlagsModseqDateAndLiteralBody() throws Exception {
        byte[] body = "Subject: x\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII);
        Response r = new Response("* 3 FETCH (UID 42 MODSEQ (1234567890123) FLAGS (\\Seen $Label1 \\Recent) "
                + "INTERNALDATE \"29-Feb-2024 23:59:59 -0800\" RFC822.SIZE 18 BODY[] {" + body.length + "}\r\n"
                + new String(body, StandardCharsets.US_ASCII) + ")");
        FetchedMessage m = ResponseParser.parseFetch(r);
        assertEquals(42, m.uid());
        assertEquals(1234567890123L, m.modseq());
        assertEquals(List.of("\\Seen", "$Label1", "\\Recent"), m.flags());
        assertEquals("29-Feb-2024 23:59:59 -0800", m.internalDate(), "INTERNALDATE kept exactly as sent");
        assertEquals(18, m.size());
        assertArrayEquals(body, m.body());
    }

    @Test
    void fetchOfFlagsOnlyAndEmptyFlagList() throws Exception {
        FetchedMessage m = ResponseParser.parseFetch(new Response("* 1 FETCH (FLAGS () UID 5 MODSEQ (9))"));
        assertEquals(5, m.uid());
        assertEquals(9, m.modseq());
        assertEquals(List.of(), m.flags());
        assertNull(m.body());
        assertEquals(-1, m.size());
    }

    @Test
    void normalisedFlagsDropRecentAndCanonicaliseCase() throws Exception {
        assertEquals(Set.of("\\Seen", "\\Answered", "$Label1"),
                ImapMailServer.normalise(List.of("\\SEEN", "\\answered", "\\Recent", "$Label1")));
    }

    @Test
    void listWithQuotedNameAndDelimiter() throws Exception {
        ListedMailbox m = ResponseParser.parseList(new Response("* LIST (\\HasNoChildren \\Subscribed) \".\" \"say \\\"hi\\\"\""));
        assertEquals("say \"hi\"", m.name());
        assertEquals('.', m.delimiter());
        assertTrue(m.subscribed());
        assertTrue(m.selectable());
        ListedMailbox parent = ResponseParser.parseList(new Response("* LIST (\\Noselect \\HasChildren) \"/\" Work"));
        assertFalse(parent.selectable());
        assertEquals("Work", parent.name());
        ListedMailbox utf7 = ResponseParser.parseList(new Response("* LIST () \"/\" Caf&AOk-"));
        assertEquals("Caf&AOk-", utf7.name(), "modified UTF-7 kept as on the wire");
        ListedMailbox flat = ResponseParser.parseList(new Response("* LIST () NIL INBOX"));
        assertNull(flat.delimiter());
    }

    @Test
    void listWithLiteralName() throws Exception {
        ListedMailbox m = ResponseParser.parseList(new Response("* LIST () \"/\" {8}\r\nback\\sla"));
        assertEquals("back\\sla", m.name());
    }

    @Test
    void status() throws Exception {
        ResponseParser.StatusResponse s = ResponseParser.parseStatus(
                new Response("* STATUS \"A b\" (UIDNEXT 12 UIDVALIDITY 1700000000 HIGHESTMODSEQ 99)"));
        assertEquals("A b", s.mailbox());
        assertEquals(12, s.get("UIDNEXT"));
        assertEquals(1700000000L, s.get("UIDVALIDITY"));
        assertEquals(99, s.get("HIGHESTMODSEQ"));
        assertEquals(-1, s.get("MESSAGES"));
    }

    @Test
    void vanished() throws Exception {
        ResponseParser.Vanished v = ResponseParser.parseVanished(new Response("* VANISHED (EARLIER) 1:3,7"));
        assertTrue(v.earlier());
        assertEquals("1:3,7", v.uids().toString());
        ResponseParser.Vanished now = ResponseParser.parseVanished(new Response("* VANISHED 5"));
        assertFalse(now.earlier());
        assertEquals("5", now.uids().toString());
    }

    @Test
    void flagsThatAreNotAtomsAreKeptApart() throws Exception {
        FetchedMessage m = ResponseParser.parseFetch(new Response(
                "* 1 FETCH (UID 4 FLAGS (\\Seen !\nZ1 DELETE Victim\nZ2 ok$1 a\"b x{3} 100% \\* y] \u0001))", false));
        // the smuggled lines go whole (their atoms too); what holds a special byte is left apart
        assertEquals(List.of("\\Seen", "ok$1", "\\*"), m.flags());
        assertEquals(List.of("!\nZ1", "DELETE", "Victim\nZ2", "a\"b", "x{3}", "100%", "y]", "\u0001"), m.invalidFlags());
        assertTrue(ResponseParser.isFlag("$Label1") && ResponseParser.isFlag("\\Answered"));
        assertFalse(ResponseParser.isFlag("\\") || ResponseParser.isFlag("") || ResponseParser.isFlag("a b")
                || ResponseParser.isFlag("a\r") || ResponseParser.isFlag("(x") || ResponseParser.isFlag("\u00e9"));
    }

    @Test
    void malformedRepliesFailWithTheParsersOwnError() {
        for (String bad : List.of(
                "* 1 FETCH (UID 1 BODY[",
                "* 1 FETCH (UID 1 BODY[] {2000000000}\r\nabc)",
                "* 1 FETCH (UID \"x\")",
                "* 1 FETCH (UID 99999999999999999999)",
                "* 1 FETCH (UID 0)",
                "* 1 FETCH (MODSEQ (x))",
                "* 1 FETCH (RFC822.SIZE -5)",
                "* 1 FETCH (FLAGS (\\Seen",
                "* 1 FETCH UID 1",
                "* LIST (\\Noselect) \"ab\" x",
                "* LIST () \"/\"",
                "* STATUS INBOX (UIDNEXT abc)",
                "* STATUS INBOX (UIDVALIDITY 0)",
                "* STATUS INBOX (UIDNEXT 5",
                "* VANISHED 1:*",
                "* VANISHED 0:4",
                "* VANISHED 1:4294967296",
                "* SEARCH 1 x")) {
            Response r = new Response(bad, false);
            MalformedResponseException e = assertThrows(MalformedResponseException.class, () -> {
                switch (ResponseParser.keyword(r)) {
                    case "FETCH" -> ResponseParser.parseFetch(r);
                    case "LIST" -> ResponseParser.parseList(r);
                    case "STATUS" -> ResponseParser.parseStatus(r);
                    case "VANISHED" -> ResponseParser.parseVanished(r);
                    default -> ResponseParser.parseSearch(r);
                }
            }, bad);
            assertTrue(e.getMessage().length() < 200, e.getMessage());
            assertFalse(e.getMessage().contains("\r") || e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void oddButValidRepliesAreRead() throws Exception {
        ResponseParser.StatusResponse s = ResponseParser.parseStatus(
                new Response("* STATUS INBOX (UIDNEXT 5 X-ODD \"y\" X-LIST (1 (2) {1}\r\n)) MESSAGES 2)", false));
        assertEquals(5, s.get("UIDNEXT"));
        assertEquals(2, s.get("MESSAGES"));
        FetchedMessage m = ResponseParser.parseFetch(new Response(
                "* 2 FETCH (X-GM-LABELS (a \"b c\") UID 8 BODY[HEADER.FIELDS (FROM)] {3}\r\nab) FLAGS ())", false));
        assertEquals(8, m.uid());
        assertNull(m.body(), "only BODY[] is a message body");
        assertEquals(List.of(), m.flags());
    }

    @Test
    void hugeSetsStayRanges() throws Exception {
        ResponseParser.Vanished v = ResponseParser.parseVanished(new Response("* VANISHED 1:4294967295", false));
        assertEquals(4294967295L, v.uids().count());
        assertEquals(UidRanges.parse("1:4294967295"), ResponseParser.parseSearch(
                new Response("* ESEARCH (TAG \"A1\") UID ALL 1:4294967295 COUNT 4294967295", false)));
        ResponseParser.AppendUid a = ResponseParser.appendUid(new String[] {"APPENDUID", "77 1:4294967295"});
        assertEquals(77, a.uidValidity());
        assertEquals(4294967295L, a.uids().count());
        assertThrows(MalformedResponseException.class, () -> ResponseParser.appendUid(new String[] {"APPENDUID", "77"}));
        assertThrows(MalformedResponseException.class, () -> ResponseParser.codeNumber(new String[] {"UIDNEXT", "12x"}, 100));
    }

    @Test
    void serverTextIsMadePrintableAndShort() {
        String t = ResponseParser.text(new Response("A1 NO [X] bad\u001b[31mred " + "x".repeat(500), false));
        assertFalse(t.contains("\u001b"));
        assertTrue(t.length() <= 203, t);
    }
}
