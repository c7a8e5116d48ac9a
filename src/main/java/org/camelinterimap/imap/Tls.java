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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
import org.camelinterimap.config.OpenSslCiphers;

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
 *
 * <p>{@code SSL_cipherlist} and {@code SSL_ciphersuites} are OpenSSL cipher strings, turned into
 * the providers' names by {@link OpenSslCiphers} and checked against the provider in use here.
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

    /**
     * The TLS context of each section's settings, made once and shared by all its connections: the
     * CA certificates are read once, and a later connection to the server can resume the first
     * one's TLS session instead of a full handshake. Made again when SSL_CAfile or SSL_CApath has
     * changed since (a long --watch takes up a renewed CA at its next connection).
     */
    private static final Map<ConnectionConfig, Made> MADE = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /** A section's socket factory and the modification times and sizes of the CA files it read. */
    private record Made(SSLSocketFactory factory, List<Long> caStamp) {
    }

    static SSLSocketFactory socketFactory(ConnectionConfig cfg) {
        List<Long> stamp = caStamp(cfg);
        Made made = MADE.get(cfg);
        if (made == null || !made.caStamp().equals(stamp)) {
            // two connections of a section may make it at once: either result serves
            made = new Made(newSocketFactory(cfg), stamp);
            MADE.put(cfg, made);
        }
        return made.factory();
    }

    private static List<Long> caStamp(ConnectionConfig cfg) {
        List<Long> stamp = new ArrayList<>();
        for (Path p : new Path[] {cfg.sslCaFile(), cfg.sslCaPath()}) {
            if (p != null) {
                try {
                    stamp.add(Files.getLastModifiedTime(p).toMillis());
                    stamp.add(Files.size(p));
                } catch (IOException e) {
                    stamp.add(-1L); // missing: making the factory reports it
                }
            }
        }
        return stamp;
    }

    private static SSLSocketFactory newSocketFactory(ConnectionConfig cfg) {
        try {
            X509TrustManager tm = cfg.sslVerify() ? chainTrustManager(cfg) : new TrustAll();
            if (!cfg.sslFingerprints().isEmpty()) {
                // the pins come on top of what SSL_verify asks for, never instead of it
                tm = new FingerprintTrustManager(cfg.name(), cfg.sslFingerprints(), tm, cfg.sslVerify());
            }
            SSLContext ctx = context(conscrypt(cfg));
            ctx.init(null, new TrustManager[] {tm}, null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("[" + cfg.name() + "] cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static SSLContext context(boolean conscrypt) throws GeneralSecurityException {
        return conscrypt ? SSLContext.getInstance("TLS", CONSCRYPT) : SSLContext.getInstance("TLS");
    }

    /**
     * Whether this section's connections use Conscrypt. Not when {@code SSL_hostname} is empty (see
     * below), nor when {@code SSL_ciphersuites} leaves out some of the TLS 1.3 suites Conscrypt has:
     * BoringSSL, under Conscrypt, keeps every TLS 1.3 suite enabled whatever the list says, so such a
     * section uses the JDK's TLS, which honours the list.
     */
    static boolean conscrypt(ConnectionConfig cfg) {
        if (CONSCRYPT == null) {
            return false;
        }
        if (cfg.sslHostname() != null && cfg.sslHostname().isEmpty()) {
            // no SNI: Conscrypt can only send none by forgetting the server's name, and then looks for
            // it in the socket's address by a reflection Java 17 forbids, failing the name check
            return false;
        }
        List<String> tls13 = OpenSslCiphers.cipherSuites(cfg.sslCipherSuites());
        if (tls13 == null || tls13.isEmpty()) {
            return true; // empty: TLS 1.3 is left out of the protocols instead
        }
        return providerSuites(true).tls13().stream().allMatch(tls13::contains);
    }

    /** What a provider offers: every suite it supports, and its default TLS 1.3 and earlier lists. */
    private record ProviderSuites(String name, Set<String> supported, List<String> tls13, List<String> tls12) {
    }

    private static final Map<Boolean, ProviderSuites> PROVIDER_SUITES = new ConcurrentHashMap<>();

    private static ProviderSuites providerSuites(boolean conscrypt) {
        return PROVIDER_SUITES.computeIfAbsent(conscrypt, c -> {
            try {
                SSLContext ctx = context(c);
                ctx.init(null, new TrustManager[] {new TrustAll()}, null);
                Set<String> supported = new LinkedHashSet<>(List.of(ctx.getSupportedSSLParameters().getCipherSuites()));
                List<String> defaults = List.of(ctx.getDefaultSSLParameters().getCipherSuites());
                return new ProviderSuites(c ? "Conscrypt" : "JDK", supported,
                        defaults.stream().filter(OpenSslCiphers.TLS13::contains).toList(),
                        defaults.stream().filter(n -> !OpenSslCiphers.TLS13.contains(n)).toList());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("TLS provider unavailable: " + e.getMessage(), e);
            }
        });
    }

    /**
     * The suites to enable, space separated, from {@code SSL_cipherlist} and {@code SSL_ciphersuites}
     * (the TLS 1.3 suites first, then the earlier ones), or null when neither is set (the provider's
     * defaults).
     *
     * @throws ConfigException when one of them selects no suite the provider supports
     */
    static String cipherSuites(ConnectionConfig cfg) {
        if (cfg.sslCipherList() == null && cfg.sslCipherSuites() == null) {
            return null;
        }
        ProviderSuites provider = providerSuites(conscrypt(cfg));
        List<String> tls13 = supported(cfg, "SSL_ciphersuites", cfg.sslCipherSuites(),
                OpenSslCiphers.cipherSuites(cfg.sslCipherSuites()), provider);
        List<String> tls12 = supported(cfg, "SSL_cipherlist", cfg.sslCipherList(),
                OpenSslCiphers.cipherList(cfg.sslCipherList()), provider);
        List<String> all = new ArrayList<>(tls13 == null ? provider.tls13() : tls13);
        all.addAll(tls12 == null ? provider.tls12() : tls12);
        if (tls12 != null && provider.supported().contains(SCSV)) {
            all.add(SCSV); // the JDK's renegotiation signal, in its default list too
        }
        return String.join(" ", all);
    }

    private static final String SCSV = "TLS_EMPTY_RENEGOTIATION_INFO_SCSV";

    private static List<String> supported(ConnectionConfig cfg, String option, String value, List<String> selected,
                                          ProviderSuites provider) {
        if (selected == null || selected.isEmpty()) {
            return selected;
        }
        List<String> out = new ArrayList<>();
        for (String name : selected) {
            // some providers keep the SSL_ prefix of the old names (Conscrypt: SSL_RSA_WITH_3DES_EDE_CBC_SHA)
            String legacy = name.startsWith("TLS_") ? "SSL_" + name.substring(4) : name;
            if (provider.supported().contains(name)) {
                out.add(name);
            } else if (provider.supported().contains(legacy)) {
                out.add(legacy);
            }
        }
        if (out.isEmpty()) {
            String shown = String.join(" ", selected);
            throw new ConfigException("[" + cfg.name() + "] " + option + " '" + value.trim() + "' selects no cipher suite that "
                    + provider.name() + "'s TLS supports (it selects " + (shown.length() > 200 ? shown.substring(0, 200) + "..." : shown) + ")");
        }
        return out;
    }

    /** Refuses, before any connection, TLS settings that cannot work (see {@link #cipherSuites}, {@link #protocols}). */
    static void check(ConnectionConfig cfg) {
        if (cfg.type() != ConnectionConfig.Type.TUNNEL) {
            cipherSuites(cfg);
            protocols(cfg);
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

    /**
     * The enabled protocols between SSL_protocol_min and SSL_protocol_max, space separated; without
     * TLSv1.3 when SSL_ciphersuites is empty (no TLS 1.3 suite), as with OpenSSL.
     */
    static String protocols(ConnectionConfig cfg) {
        int min = index(cfg, cfg.sslProtocolMin(), 2);
        int max = index(cfg, cfg.sslProtocolMax(), PROTOCOLS.size() - 1);
        List<String> protocols = new ArrayList<>(PROTOCOLS.subList(min, Math.max(min, max) + 1));
        List<String> tls13 = OpenSslCiphers.cipherSuites(cfg.sslCipherSuites());
        if (tls13 != null && tls13.isEmpty()) {
            protocols.remove("TLSv1.3");
            if (protocols.isEmpty()) {
                throw new ConfigException("[" + cfg.name() + "] SSL_ciphersuites is empty (no TLS 1.3 suite), "
                        + "but TLSv1.3 is the only protocol SSL_protocol_min and SSL_protocol_max allow");
            }
        }
        return String.join(" ", protocols);
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
