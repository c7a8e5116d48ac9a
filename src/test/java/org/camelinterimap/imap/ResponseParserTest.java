package org.camelinterimap.imap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.eclipse.angus.mail.iap.Response;
import org.junit.jupiter.api.Test;

/** Server lines as Angus Mail hands them over ({@code new Response(String)} parses tag and type). */
class ResponseParserTest {

    @Test
    void keywordOfUntaggedData() {
        assertEquals("FETCH", ResponseParser.keyword(new Response("* 3 FETCH (UID 7 FLAGS ())")));
        assertEquals("LIST", ResponseParser.keyword(new Response("* LIST () \"/\" INBOX")));
        assertEquals("VANISHED", ResponseParser.keyword(new Response("* VANISHED (EARLIER) 1:3")));
        assertNull(ResponseParser.keyword(new Response("* OK [UIDNEXT 12] Predicted next UID")));
        assertNull(ResponseParser.keyword(new Response("A1 OK done")));
    }

    @Test
    void responseCodes() {
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
    void fetchWithFlagsModseqDateAndLiteralBody() {
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
    void fetchOfFlagsOnlyAndEmptyFlagList() {
        FetchedMessage m = ResponseParser.parseFetch(new Response("* 1 FETCH (FLAGS () UID 5 MODSEQ (9))"));
        assertEquals(5, m.uid());
        assertEquals(9, m.modseq());
        assertEquals(List.of(), m.flags());
        assertNull(m.body());
        assertEquals(-1, m.size());
    }

    @Test
    void normalisedFlagsDropRecentAndCanonicaliseCase() {
        assertEquals(Set.of("\\Seen", "\\Answered", "$Label1"),
                ImapMailServer.normalise(List.of("\\SEEN", "\\answered", "\\Recent", "$Label1")));
    }

    @Test
    void listWithQuotedNameAndDelimiter() {
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
    void listWithLiteralName() {
        ListedMailbox m = ResponseParser.parseList(new Response("* LIST () \"/\" {8}\r\nback\\sla"));
        assertEquals("back\\sla", m.name());
    }

    @Test
    void status() {
        ResponseParser.StatusResponse s = ResponseParser.parseStatus(
                new Response("* STATUS \"A b\" (UIDNEXT 12 UIDVALIDITY 1700000000 HIGHESTMODSEQ 99)"));
        assertEquals("A b", s.mailbox());
        assertEquals(12, s.get("UIDNEXT"));
        assertEquals(1700000000L, s.get("UIDVALIDITY"));
        assertEquals(99, s.get("HIGHESTMODSEQ"));
        assertEquals(-1, s.get("MESSAGES"));
    }

    @Test
    void vanished() {
        ResponseParser.Vanished v = ResponseParser.parseVanished(new Response("* VANISHED (EARLIER) 1:3,7"));
        assertTrue(v.earlier());
        assertEquals(List.of(1L, 2L, 3L, 7L), v.uids());
        ResponseParser.Vanished now = ResponseParser.parseVanished(new Response("* VANISHED 5"));
        assertFalse(now.earlier());
        assertEquals(List.of(5L), now.uids());
    }
}
