package org.camelinterimap.rig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.camelinterimap.config.ConnectionConfig;
import org.camelinterimap.imap.ImapConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The rig itself: both servers store and serve mail, speak IMAPS with the made certificate, and deliver over LMTP. */
@ExtendWith(DovecotRig.class)
class RigIT {

    @Test
    void appendThenFetchOnEachServer() throws Exception {
        for (DovecotRig.Server server : List.of(DovecotRig.local(), DovecotRig.remote())) {
            String user = DovecotRig.user("rig");
            byte[] raw = TestImap.message("hello " + server.name(), "one message");
            try (TestImap imap = TestImap.connect(server, user)) {
                long uid = imap.append("INBOX", raw, null, "\\Seen");
                List<TestImap.Msg> msgs = imap.messages("INBOX");
                assertEquals(1, msgs.size(), server.name());
                assertEquals(uid, msgs.get(0).uid());
                assertArrayEquals(raw, msgs.get(0).raw());
                assertTrue(msgs.get(0).flags().contains("\\Seen"));
            }
        }
    }

    @Test
    void separatorsDifferSoThatEverySyncTranslatesThem() throws Exception {
        try (TestImap l = TestImap.connect(DovecotRig.local(), DovecotRig.user("sep"));
             TestImap r = TestImap.connect(DovecotRig.remote(), DovecotRig.user("sep"))) {
            assertEquals('/', l.separator());
            assertEquals('.', r.separator());
        }
    }

    @Test
    void imapsAndStarttlsVerifyTheGeneratedCertificateAndOfferEveryExtension() throws Exception {
        for (DovecotRig.Server server : List.of(DovecotRig.local(), DovecotRig.remote())) {
            String user = DovecotRig.user("tls");
            for (String type : List.of("imaps", "imap")) {
                int port = type.equals("imaps") ? server.imapsPort() : server.imapPort();
                ConnectionConfig cfg = new ConnectionConfig(server.name(), ConnectionConfig.Type.valueOf(type.toUpperCase()),
                        "localhost", port, null, false, true, List.of("PLAIN", "LOGIN"), user, DovecotRig.PASSWORD, true,
                        true, DovecotRig.caFile(), null, List.of(), null, null, null);
                try (ImapConnection c = ImapConnection.open(cfg, null, false)) {
                    for (String cap : List.of("QRESYNC", "LIST-EXTENDED", "LIST-STATUS", "UIDPLUS", "LITERAL+",
                            "MULTIAPPEND", "NOTIFY", "UNSELECT", "IDLE", "ESEARCH")) {
                        assertTrue(c.hasCapability(cap), server.name() + " over " + type + " lacks " + cap);
                    }
                }
            }
        }
    }

    @Test
    void lmtpDeliveryLandsInTheMailbox() throws Exception {
        DovecotRig.Server server = DovecotRig.local();
        String user = DovecotRig.user("lmtp");
        try (Socket s = new Socket("127.0.0.1", server.lmtpPort())) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            assertTrue(in.readLine().startsWith("220"));
            send(out, "LHLO test.example");
            String line;
            do {
                line = in.readLine();
            } while (line.startsWith("250-"));
            send(out, "MAIL FROM:<sender@example.org>");
            assertTrue(in.readLine().startsWith("250"));
            send(out, "RCPT TO:<" + user + ">");
            assertTrue(in.readLine().startsWith("250"));
            send(out, "DATA");
            assertTrue(in.readLine().startsWith("354"));
            out.write("Subject: over LMTP\r\n\r\ndelivered\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertTrue(in.readLine().startsWith("250"), "per-recipient reply");
            send(out, "QUIT");
        }
        try (TestImap imap = TestImap.connect(server, user)) {
            List<TestImap.Msg> msgs = imap.messages("INBOX");
            assertEquals(1, msgs.size());
            assertEquals("over LMTP", msgs.get(0).subject());
        }
    }

    private static void send(OutputStream out, String line) throws Exception {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
