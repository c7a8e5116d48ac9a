package org.camelinterimap.imap;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;

import org.camelinterimap.config.ConnectionConfig;
import org.camelinterimap.rig.DovecotRig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** interimap's TLS options against the rig's self-signed certificate, over IMAPS and STARTTLS. */
@ExtendWith(DovecotRig.class)
class TlsOptionsIT {

    private static ConnectionConfig config(ConnectionConfig.Type type, boolean verify, Path ca, List<String> pins) {
        DovecotRig.Server server = DovecotRig.remote();
        int port = type == ConnectionConfig.Type.IMAPS ? server.imapsPort() : server.imapPort();
        return new ConnectionConfig("remote", type, "localhost", port, null, false, true, List.of("PLAIN", "LOGIN"),
                DovecotRig.user("tls"), DovecotRig.PASSWORD, false, verify, ca, null, pins, null, null);
    }

    private static String spkiSha256() throws Exception {
        try (InputStream in = Files.newInputStream(DovecotRig.caFile())) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded()));
        }
    }

    @Test
    void pinnedFingerprintIsEnoughWithoutAnyCa() throws Exception {
        for (ConnectionConfig.Type type : List.of(ConnectionConfig.Type.IMAPS, ConnectionConfig.Type.IMAP)) {
            try (ImapConnection c = ImapConnection.open(config(type, true, null, List.of("sha256$" + spkiSha256())), null, false)) {
                assertTrue(c.hasCapability("QRESYNC"));
            }
        }
    }

    @Test
    void anyOfSeveralFingerprintsMatches() throws Exception {
        String other = "0".repeat(64);
        try (ImapConnection c = ImapConnection.open(config(ConnectionConfig.Type.IMAPS, true, null,
                List.of(other, spkiSha256())), null, false)) {
            assertTrue(c.hasCapability("IMAP4REV1"));
        }
    }

    @Test
    void wrongFingerprintAbortsTheHandshakeWithAClearMessage() {
        ImapException e = assertThrows(ImapException.class, () -> ImapConnection.open(
                config(ConnectionConfig.Type.IMAPS, true, null, List.of("sha256$" + "ab".repeat(32))), null, false));
        assertTrue(e.getMessage().startsWith("remote: cannot connect to imaps://localhost:"), e.getMessage());
        assertTrue(e.getMessage().contains("SSL_fingerprint"), e.getMessage());
    }

    @Test
    void untrustedCertificateIsRefusedUnlessVerificationIsOff() throws Exception {
        ImapException e = assertThrows(ImapException.class, () -> ImapConnection.open(
                config(ConnectionConfig.Type.IMAPS, true, null, List.of()), null, false));
        assertTrue(e.getMessage().contains("TLS handshake failed"), e.getMessage());
        try (ImapConnection c = ImapConnection.open(config(ConnectionConfig.Type.IMAPS, false, null, List.of()), null, false)) {
            assertTrue(c.hasCapability("IMAP4REV1"));
        }
    }

    @Test
    void caFileMakesTheSelfSignedCertificateTrusted() throws Exception {
        try (ImapConnection c = ImapConnection.open(config(ConnectionConfig.Type.IMAP, true, DovecotRig.caFile(), List.of()),
                null, false)) {
            assertTrue(c.hasCapability("IMAP4REV1"));
        }
    }
}
