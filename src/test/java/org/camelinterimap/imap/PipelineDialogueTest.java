package org.camelinterimap.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.camelinterimap.config.ConnectionConfig;
import org.camelinterimap.config.Credentials;
import org.junit.jupiter.api.Test;

/**
 * The commands that go out together, against a scripted server that answers only once it has read
 * all of them (a client that waited for each reply would hang there): ENABLE QRESYNC with the
 * listing's {@code LIST "" ""} and LIST-STATUS, and what becomes of a refusal or a BYE in the middle.
 * (Every sync does the same against a real Dovecot in the integration tests.)
 */
class PipelineDialogueTest {
    private static final String LOGGED_IN = "T1 OK [CAPABILITY IMAP4rev1 ENABLE QRESYNC LIST-EXTENDED LIST-STATUS] Logged in";

    /** A server that reads the client's lines in steps and answers each step with one block. */
    private static final class ScriptedServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        final List<String> received = new ArrayList<>();
        final CompletableFuture<Void> done;

        /**
         * @param steps pairs of (number of lines to read, reply): in the reply, {@code T1}, {@code T2}...
         *              are the tags of the step's first, second... line; a null reply closes the connection
         */
        ScriptedServer(Object... steps) throws Exception {
            done = CompletableFuture.runAsync(() -> {
                try (Socket s = socket.accept()) {
                    s.setSoTimeout(5000);
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    OutputStream out = s.getOutputStream();
                    out.write("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    for (int i = 0; i < steps.length; i += 2) {
                        List<String> tags = new ArrayList<>();
                        for (int n = (Integer) steps[i]; n > 0; n--) {
                            String line = in.readLine();
                            synchronized (received) {
                                received.add(line);
                            }
                            tags.add(line.substring(0, line.indexOf(' ')));
                        }
                        if (steps[i + 1] == null) {
                            return;
                        }
                        String reply = (String) steps[i + 1];
                        for (int t = tags.size(); t > 0; t--) {
                            reply = reply.replace("T" + t, tags.get(t - 1));
                        }
                        out.write(reply.getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        List<String> received() throws Exception {
            done.get(10, TimeUnit.SECONDS);
            return received;
        }

        ImapConnection connect() throws ImapException {
            ConnectionConfig cfg = new ConnectionConfig("remote", ConnectionConfig.Type.IMAP, "127.0.0.1", socket.getLocalPort(),
                    null, false, false, List.of("PLAIN"), "me", "secret", false, false, null, null, List.of(), null, null, null,
                    10, 10, null, null, null, Credentials.NONE);
            return ImapConnection.open(cfg, null, false);
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    @Test
    void enableAndBothListsGoOutTogether() throws Exception {
        try (ScriptedServer server = new ScriptedServer(1, LOGGED_IN + "\r\n",
                3, "* ENABLED QRESYNC\r\nT1 OK Enabled\r\n* LIST (\\Noselect) \"/\" \"\"\r\nT2 OK List\r\n"
                        + "* LIST (\\Subscribed) \"/\" INBOX\r\n* STATUS INBOX (UIDVALIDITY 7 UIDNEXT 5 HIGHESTMODSEQ 9)\r\n"
                        + "* LIST () \"/\" Sent\r\n* STATUS Sent (UIDVALIDITY 8 UIDNEXT 1 HIGHESTMODSEQ 1)\r\nT3 OK List\r\n",
                1, "* BYE bye\r\nT1 OK done\r\n")) {
            try (ImapConnection c = server.connect()) {
                c.enableQresync();
                ImapConnection.Listing listing = c.listWithDelimiter("", List.of("*"), List.of());
                assertEquals('/', listing.delimiter());
                assertEquals(List.of("INBOX", "Sent"), listing.mailboxes().stream().map(ListedMailbox::name).toList());
                assertEquals(9, listing.mailboxes().get(0).highestModSeq());
                assertTrue(listing.mailboxes().get(0).subscribed());
            }
            List<String> lines = server.received();
            assertTrue(lines.get(1).endsWith(" ENABLE QRESYNC"), lines.toString());
            assertTrue(lines.get(2).endsWith(" LIST \"\" \"\""), lines.toString());
            assertTrue(lines.get(3).endsWith(" LIST \"\" (\"*\") RETURN (SUBSCRIBED STATUS (UIDVALIDITY UIDNEXT HIGHESTMODSEQ))"),
                    lines.toString());
        }
    }

    @Test
    void aRefusedEnableFailsTheListingAndEveryLaterCommand() throws Exception {
        try (ScriptedServer server = new ScriptedServer(1, LOGGED_IN + "\r\n",
                3, "T1 NO [CANNOT] not today\r\n* LIST (\\Noselect) \"/\" \"\"\r\nT2 OK List\r\nT3 BAD no QRESYNC\r\n",
                1, "* BYE bye\r\nT1 OK done\r\n")) {
            try (ImapConnection c = server.connect()) {
                c.enableQresync();
                ImapException refused = assertThrows(ImapException.class, () -> c.listWithDelimiter("", List.of("*"), List.of()));
                assertEquals("remote: ENABLE failed: not today", refused.getMessage());
                assertTrue(refused.broken(), "the connection cannot serve the sync");
                // nothing more is sent: the same refusal again
                assertSame(refused, assertThrows(ImapException.class, () -> c.status("INBOX")));
            }
            List<String> lines = server.received();
            assertEquals(5, lines.size(), lines.toString());
            assertTrue(lines.get(4).endsWith(" LOGOUT"), lines.toString());
        }
    }

    @Test
    void aByeInTheMiddleEndsEveryCommandNotAnswered() throws Exception {
        try (ScriptedServer server = new ScriptedServer(1, LOGGED_IN + "\r\n",
                3, "* ENABLED QRESYNC\r\nT1 OK Enabled\r\n* BYE shutting down\r\n", 0, null)) {
            try (ImapConnection c = server.connect()) {
                c.enableQresync();
                ImapException lost = assertThrows(ImapException.class, () -> c.listWithDelimiter("", List.of("*"), List.of()));
                assertTrue(lost.connectionLost(), lost.getMessage());
                assertEquals("remote: connection lost during LIST: shutting down", lost.getMessage());
            }
            assertEquals(4, server.received().size());
        }
    }
}
