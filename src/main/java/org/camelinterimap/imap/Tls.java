package org.camelinterimap.imap;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
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
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

import org.camelinterimap.config.ConfigException;
import org.camelinterimap.config.ConnectionConfig;

/**
 * TLS settings of interimap(1): {@code SSL_verify}, {@code SSL_CAfile}, {@code SSL_CApath},
 * {@code SSL_fingerprint} (SPKI digests, {@code [ALGO$]HEX}, default sha256) and the protocol bounds.
 *
 * <p>As interimap(1): with {@code SSL_verify = YES} the certificate chain must verify and name the
 * server, and when {@code SSL_fingerprint} is set its public key must match one of the digests as
 * well; with {@code SSL_verify = NO} only the digests are checked, if any. The name is checked by
 * the chain's trust manager during the handshake, against the TLS name (SSL_hostname, else the
 * host), because Angus Mail sets the socket's endpoint identification when
 * {@code ssl.checkserveridentity} is true, which is exactly when SSL_verify is.
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
            X509TrustManager tm = cfg.sslVerify() ? chainTrustManager(cfg) : new TrustAll();
            if (!cfg.sslFingerprints().isEmpty()) {
                // the pins come on top of what SSL_verify asks for, never instead of it
                tm = new FingerprintTrustManager(cfg.name(), cfg.sslFingerprints(), tm, cfg.sslVerify());
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

    /**
     * Runs {@code verifier} (the chain and host name checks of SSL_verify = YES, or {@link TrustAll}),
     * then accepts the server only if its certificate's Subject Public Key Info has one of the pinned
     * digests. Extended, so that the socket reaches the chain's trust manager, which checks the name
     * against it.
     */
    static final class FingerprintTrustManager extends X509ExtendedTrustManager {
        private final X509TrustManager verifier;
        private final boolean verifying;
        /** Pairs of (Java digest name, lowercase hex digest). */
        private final List<String[]> pins = new ArrayList<>();

        /**
         * @param fingerprints {@code [ALGO$]HEX} each, colons allowed in HEX, ALGO sha256 by default
         * @param verifying whether {@code verifier} does SSL_verify's checks (for the message of a refusal)
         * @throws ConfigException for a digest that is not hexadecimal or an unknown algorithm
         */
        FingerprintTrustManager(String who, List<String> fingerprints, X509TrustManager verifier, boolean verifying) {
            this.verifier = verifier;
            this.verifying = verifying;
            for (String f : fingerprints) {
                int dollar = f.indexOf('$');
                String algo = dollar < 0 ? "sha256" : f.substring(0, dollar);
                String hex = (dollar < 0 ? f : f.substring(dollar + 1)).replace(":", "").toLowerCase(Locale.ROOT);
                if (!hex.matches("[0-9a-f]+")) {
                    throw new ConfigException("[" + who + "] SSL_fingerprint '" + f + "' is not [ALGO$]HEX");
                }
                String digest = javaDigestName(algo);
                try {
                    MessageDigest.getInstance(digest);
                } catch (GeneralSecurityException e) {
                    throw new ConfigException("[" + who + "] SSL_fingerprint '" + f + "': unknown digest algorithm " + algo);
                }
                pins.add(new String[] {digest, hex});
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
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            if (verifier instanceof X509ExtendedTrustManager x) {
                verified(() -> x.checkServerTrusted(chain, authType, socket));
            } else {
                verified(() -> verifier.checkServerTrusted(chain, authType));
            }
            checkPins(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            if (verifier instanceof X509ExtendedTrustManager x) {
                verified(() -> x.checkServerTrusted(chain, authType, engine));
            } else {
                verified(() -> verifier.checkServerTrusted(chain, authType));
            }
            checkPins(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            verified(() -> verifier.checkServerTrusted(chain, authType));
            checkPins(chain);
        }

        private interface Check {
            void run() throws CertificateException;
        }

        /**
         * Runs SSL_verify's check; a refusal says why in one line (the root cause's message), and
         * that the pin does not make up for it. The original exception stays attached, suppressed,
         * so that the message is the innermost cause's.
         */
        private void verified(Check check) throws CertificateException {
            try {
                check.run();
            } catch (CertificateException e) {
                if (!verifying) {
                    throw e;
                }
                Throwable root = e;
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                CertificateException refusal = new CertificateException((root.getMessage() == null ? root.toString()
                        : root.getMessage()) + " (with SSL_verify = YES, SSL_fingerprint is checked in addition, not instead)");
                refusal.addSuppressed(e);
                throw refusal;
            }
        }

        private void checkPins(X509Certificate[] chain) throws CertificateException {
            byte[] spki = chain[0].getPublicKey().getEncoded();
            for (String[] pin : pins) {
                try {
                    String digest = HexFormat.of().formatHex(MessageDigest.getInstance(pin[0]).digest(spki));
                    if (digest.equals(pin[1])) {
                        return;
                    }
                } catch (GeneralSecurityException e) {
                    throw new CertificateException("unknown digest algorithm " + pin[0]);
                }
            }
            throw new CertificateException("the server's public key matches no SSL_fingerprint");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return verifier.getAcceptedIssuers();
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
