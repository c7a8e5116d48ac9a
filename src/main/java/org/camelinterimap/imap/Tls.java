package org.camelinterimap.imap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.camelinterimap.config.ConfigException;
import org.camelinterimap.config.ConnectionConfig;

/**
 * TLS settings of interimap(1): {@code SSL_verify}, {@code SSL_CAfile}, {@code SSL_CApath},
 * {@code SSL_fingerprint} (SPKI digests, {@code [ALGO$]HEX}, default sha256) and the protocol bounds.
 * Host name checking is done by Angus Mail ({@code ssl.checkserveridentity}) when the chain is verified.
 */
final class Tls {
    private static final List<String> PROTOCOLS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    /** Conscrypt's provider when its native library loads on this platform, else null (JDK TLS). */
    private static final java.security.Provider CONSCRYPT = loadConscrypt();

    private Tls() {
    }

    private static java.security.Provider loadConscrypt() {
        if (Boolean.getBoolean("camelinterimap.jdk-tls")) {
            return null;
        }
        try {
            return org.conscrypt.Conscrypt.isAvailable() ? org.conscrypt.Conscrypt.newProvider() : null;
        } catch (LinkageError e) {
            return null;
        }
    }

    static SSLSocketFactory socketFactory(ConnectionConfig cfg) {
        try {
            TrustManager tm;
            if (!cfg.sslFingerprints().isEmpty()) {
                tm = new FingerprintTrustManager(cfg.name(), cfg.sslFingerprints());
            } else if (!cfg.sslVerify()) {
                tm = new TrustAll();
            } else {
                tm = chainTrustManager(cfg);
            }
            SSLContext ctx = CONSCRYPT != null ? SSLContext.getInstance("TLS", CONSCRYPT) : SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {tm}, null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("[" + cfg.name() + "] cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** SSL_hostname set to the empty string: the ClientHello names no server. */
    static void disableSni(SSLSocket socket) {
        if (CONSCRYPT != null && org.conscrypt.Conscrypt.isConscrypt(socket)) {
            org.conscrypt.Conscrypt.setHostname(socket, null);
        }
        SSLParameters params = socket.getSSLParameters();
        params.setServerNames(List.of());
        socket.setSSLParameters(params);
    }

    /** The enabled protocols between SSL_protocol_min and SSL_protocol_max, space separated. */
    static String protocols(ConnectionConfig cfg) {
        int min = index(cfg, cfg.sslProtocolMin(), 2);
        int max = index(cfg, cfg.sslProtocolMax(), PROTOCOLS.size() - 1);
        return String.join(" ", PROTOCOLS.subList(min, Math.max(min, max) + 1));
    }

    private static int index(ConnectionConfig cfg, String protocol, int def) {
        if (protocol == null || protocol.isBlank()) {
            return def;
        }
        int i = PROTOCOLS.indexOf(protocol.trim());
        if (i < 0) {
            throw new ConfigException("[" + cfg.name() + "] unknown TLS protocol '" + protocol + "' (one of " + PROTOCOLS + ")");
        }
        return i;
    }

    private static X509TrustManager chainTrustManager(ConnectionConfig cfg) throws GeneralSecurityException, IOException {
        KeyStore ks = null;
        if (cfg.sslCaFile() != null || cfg.sslCaPath() != null) {
            ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            List<Path> files = new ArrayList<>();
            if (cfg.sslCaFile() != null) {
                files.add(cfg.sslCaFile());
            }
            if (cfg.sslCaPath() != null) {
                try (DirectoryStream<Path> dir = Files.newDirectoryStream(cfg.sslCaPath())) {
                    dir.forEach(files::add);
                }
            }
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            int n = 0;
            for (Path f : files) {
                if (!Files.isRegularFile(f)) {
                    if (f.equals(cfg.sslCaFile())) {
                        throw new ConfigException("[" + cfg.name() + "] SSL_CAfile " + f + ": no such file");
                    }
                    continue;
                }
                try (InputStream in = Files.newInputStream(f)) {
                    for (Certificate c : cf.generateCertificates(in)) {
                        ks.setCertificateEntry("ca" + n++, c);
                    }
                } catch (CertificateException e) {
                    if (f.equals(cfg.sslCaFile())) {
                        throw new ConfigException("[" + cfg.name() + "] SSL_CAfile " + f + " holds no PEM certificate");
                    }
                }
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X509 trust manager");
    }

    /** Accepts a server whose certificate's Subject Public Key Info has one of the pinned digests. */
    static final class FingerprintTrustManager implements X509TrustManager {
        private final String who;
        private final List<String[]> pins = new ArrayList<>();

        FingerprintTrustManager(String who, List<String> fingerprints) {
            this.who = who;
            for (String f : fingerprints) {
                int dollar = f.indexOf('$');
                String algo = dollar < 0 ? "sha256" : f.substring(0, dollar);
                String hex = (dollar < 0 ? f : f.substring(dollar + 1)).replace(":", "").toLowerCase(Locale.ROOT);
                pins.add(new String[] {javaDigestName(algo), hex});
            }
        }

        private static String javaDigestName(String algo) {
            String a = algo.toLowerCase(Locale.ROOT);
            if (a.startsWith("sha") && !a.contains("-")) {
                return "SHA-" + a.substring(3);
            }
            return algo.toUpperCase(Locale.ROOT);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            byte[] spki = chain[0].getPublicKey().getEncoded();
            for (String[] pin : pins) {
                try {
                    String digest = HexFormat.of().formatHex(MessageDigest.getInstance(pin[0]).digest(spki));
                    if (digest.equals(pin[1])) {
                        return;
                    }
                } catch (GeneralSecurityException e) {
                    throw new CertificateException(who + ": unknown digest algorithm " + pin[0]);
                }
            }
            throw new CertificateException("the server's public key matches no SSL_fingerprint");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** SSL_verify = NO: any certificate. */
    static final class TrustAll implements X509TrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
