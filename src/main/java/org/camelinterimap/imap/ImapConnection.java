package org.camelinterimap.imap;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import javax.net.ssl.SSLException;

import org.camelinterimap.config.ConnectionConfig;
import org.camelinterimap.support.DaemonThreads;
import org.camelinterimap.sync.MessageBody;
import org.camelinterimap.sync.UidRanges;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.ConnectionException;
import org.eclipse.angus.mail.iap.Literal;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.util.MailLogger;

/**
 * One authenticated IMAP connection, UID-based, on Angus Mail's protocol layer
 * ({@link IMAPProtocol}: socket, TLS, literals, authentication, COMPRESS). Commands are sent
 * with raw arguments and their responses read by {@link ResponseParser}, so that mailbox names,
 * flags and INTERNALDATEs travel unchanged.
 *
 * <p>Not thread-safe: one thread drives a connection at a time (only {@link #stopIdle} may be called
 * from another). Unsolicited VANISHED responses seen during any command on the selected mailbox are
 * kept until {@link #drainUnsolicited} is called, so no expunge slips by; unsolicited flag changes
 * need no such care, as the next {@code CHANGEDSINCE} fetch reports them again.
 */
public class ImapConnection implements AutoCloseable {
    private final String name;
    private final SaslIrProtocol protocol;
    private final MeteredStreams streams;
    private UidRanges unsolicitedVanished = UidRanges.EMPTY;
    private String selected;
    private boolean qresyncEnabled;
    /** ENABLE QRESYNC asked for and not sent yet: it goes ahead of the next command. */
    private boolean enablePending;
    /** The server's refusal of ENABLE QRESYNC, thrown again by every later command; null when none. */
    private ImapException enableRefused;
    private static final String ENABLE_QRESYNC = "ENABLE QRESYNC";
    private long bytesIn;

    /** Opens a connection to a configured server (with whatever trace and meter the opener keeps). */
    @FunctionalInterface
    public interface Opener {
        ImapConnection open(ConnectionConfig cfg) throws ImapException;
    }

    private ImapConnection(String name, SaslIrProtocol protocol, MeteredStreams streams) {
        this.name = name;
        this.protocol = protocol;
        this.streams = streams;
    }

    /**
     * Connects, upgrades with STARTTLS when configured, authenticates with the first of the
     * configured mechanisms the server offers, and turns on COMPRESS=DEFLATE when wanted.
     *
     * @param trace where to write the protocol trace, or null for none
     * @param traceAuth whether LOGIN/AUTHENTICATE appear in the trace (else redacted)
     */
    public static ImapConnection open(ConnectionConfig cfg, PrintStream trace, boolean traceAuth) throws ImapException {
        return open(cfg, trace, traceAuth, new TrafficMeter());
    }

    /**
     * As {@link #open(ConnectionConfig, PrintStream, boolean)}, counting the connection's traffic
     * into {@code meter} (shared by the connections of one side).
     */
    public static ImapConnection open(ConnectionConfig cfg, PrintStream trace, boolean traceAuth, TrafficMeter meter)
            throws ImapException {
        String who = cfg.name();
        long connectMillis = cfg.connectTimeoutSeconds() * 1000L;
        long ioMillis = cfg.timeoutSeconds() * 1000L;
        StreamWatchdog watchdog = new StreamWatchdog(who, ioMillis);
        MeteredStreams streams = new MeteredStreams(meter, watchdog, ResponseLimits.forHeap(Runtime.getRuntime().maxMemory()));
        // the greeting, TLS and login must all end within connect-timeout, however the server trickles
        watchdog.startPhase((cfg.proxy() != null && cfg.type() != ConnectionConfig.Type.TUNNEL ? "proxy handshake, " : "")
                + "greeting, TLS and login", connectMillis);
        boolean ssl = cfg.type() == ConnectionConfig.Type.IMAPS;
        String proto = ssl ? "imaps" : "imap";
        Properties props = new Properties();
        props.put("mail." + proto + ".connectiontimeout", String.valueOf(connectMillis));
        props.put("mail." + proto + ".timeout", String.valueOf(ioMillis));
        javax.net.ssl.SSLSocketFactory tlsContext = Tls.socketFactory(cfg);
        // the TLS name (SNI, certificate check): SSL_hostname, else the server's name, never the proxy's
        javax.net.ssl.SSLSocketFactory tls = MeteredSockets.tls(tlsContext, streams, cfg.sslHostname(), cfg.host());
        // no second try with Java's default trust: a refused certificate must stay refused
        props.put("mail." + proto + ".socketFactory.fallback", "false");
        props.put("mail." + proto + ".ssl.checkserveridentity",
                String.valueOf(cfg.sslVerify()));
        props.put("mail." + proto + ".ssl.protocols", Tls.protocols(cfg));
        String suites = Tls.cipherSuites(cfg);
        if (suites != null) {
            props.put("mail." + proto + ".ssl.ciphersuites", suites);
        }
        props.put("mail.debug.auth", String.valueOf(traceAuth));
        String host = cfg.host();
        int port = cfg.port();
        // socks5h: the proxy resolves the name, and it must not be looked up here either; Angus makes
        // an address of the host it is given, so it gets an IP literal (no lookup) and the socket
        // factories, which know the real name, send that to the proxy
        String proxiedName = null;
        if (cfg.type() != ConnectionConfig.Type.TUNNEL && cfg.proxy() != null && cfg.proxy().remoteDns()) {
            proxiedName = host;
            host = "0.0.0.0";
        }
        if (cfg.type() == ConnectionConfig.Type.TUNNEL) {
            props.put("mail." + proto + ".ssl.socketFactory", tls);
            props.put("mail." + proto + ".socketFactory", new TunnelSocketFactory(cfg.command(), cfg.nullStderr() && trace == null, streams));
            host = "localhost";
            port = 143;
        } else if (!ssl) {
            // STARTTLS layers TLS (the ssl factory) over the plain socket, proxied or not
            props.put("mail." + proto + ".ssl.socketFactory", tls);
            props.put("mail." + proto + ".socketFactory", MeteredSockets.plain(streams, cfg.proxy(), proxiedName));
        } else if (cfg.proxy() == null) {
            props.put("mail." + proto + ".ssl.socketFactory", tls);
        } else {
            // no SSL factory: Angus would connect the socket under it directly, not through the proxy
            props.put("mail." + proto + ".socketFactory", MeteredSockets.proxiedTls(cfg.proxy(), proxiedName, tlsContext, streams,
                    cfg.sslHostname(), cfg.host()));
        }
        MailLogger logger = new MailLogger(ImapConnection.class, "DEBUG " + who, trace != null,
                trace != null ? trace : new PrintStream(PrintStream.nullOutputStream()));
        SaslIrProtocol protocol;
        try {
            protocol = new SaslIrProtocol(proto, host, port, props, ssl, logger);
        } catch (UnknownHostException e) {
            watchdog.release();
            throw new ImapException(who + ": cannot connect to " + cfg.describe() + ": unknown host " + e.getMessage(), true, e);
        } catch (IOException e) {
            watchdog.release();
            // a refused certificate or proxy password stays refused; anything else (refused, reset, timed out) may pass later
            String expired = watchdog.expired(); // what closed the socket, when it was the watchdog
            String why = expired == null ? describe(e) : expired.startsWith(who + ": ") ? expired.substring(who.length() + 2) : expired;
            throw new ImapException(who + ": cannot connect to " + cfg.describe() + ": " + why,
                    !certificateRefused(e) && !proxyAuthenticationRefused(e), e);
        } catch (ProtocolException e) {
            watchdog.release();
            String why = watchdog.expired() != null ? watchdog.expired() : ResponseParser.printable(String.valueOf(e.getMessage()));
            throw new ImapException(who + ": " + cfg.describe() + " did not greet as an IMAP server: " + why, true, e);
        } catch (RuntimeException e) {
            watchdog.release();
            throw new ImapException(who + ": cannot connect to " + cfg.describe() + ": " + describe(e), true, e);
        }
        ImapConnection c = new ImapConnection(who, protocol, streams);
        try {
            c.startTlsAndLogin(cfg, traceAuth);
        } catch (ImapException e) {
            protocol.disconnect();
            watchdog.release();
            throw e;
        } catch (RuntimeException e) {
            protocol.disconnect();
            watchdog.release();
            throw new ImapException(who + ": cannot log in to " + cfg.describe() + ": " + describe(e), true, e);
        }
        watchdog.endPhase();
        return c;
    }

    /**
     * Refuses, before any connection, connection settings that cannot work: {@code SSL_cipherlist}
     * or {@code SSL_ciphersuites} selecting no suite the TLS provider supports, and the like.
     *
     * @throws org.camelinterimap.config.ConfigException naming the section and the option
     */
    public static void checkSettings(ConnectionConfig cfg) {
        Tls.check(cfg);
    }

    private static boolean proxyAuthenticationRefused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Socks5.AuthenticationRefused) {
                return true;
            }
        }
        return false;
    }

    /** Whether the failure is the server's certificate being refused (by the chain, the host name or a pin). */
    static boolean certificateRefused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // certificate, path-validation and pin failures are all GeneralSecurityExceptions
            if (t instanceof java.security.GeneralSecurityException || t instanceof javax.net.ssl.SSLPeerUnverifiedException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        if (m != null && m.contains("Connection dropped by server")) {
            return "the server closed the connection"; // Angus's words for an end of stream, as a synthetic BYE
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof UnknownHostException) {
            return "unknown host " + root.getMessage();
        }
        if (root instanceof ConnectException || root instanceof SocketTimeoutException) {
            return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        }
        boolean tls = e instanceof SSLException || root instanceof java.security.cert.CertificateException;
        for (Throwable t = e; t != null && !tls; t = t.getCause() == t ? null : t.getCause()) {
            tls = t instanceof javax.net.ssl.SSLHandshakeException; // under Angus's STARTTLS failure, say
        }
        if (tls && root instanceof java.io.EOFException) {
            // a server that shares no protocol or suite with us may hang up without an alert
            return "TLS handshake failed: the server closed the connection (no protocol or cipher suite in common? "
                    + "see SSL_protocol_min, SSL_protocol_max, SSL_cipherlist, SSL_ciphersuites)";
        }
        if (tls) {
            return "TLS handshake failed: " + root.getMessage();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    private void startTlsAndLogin(ConnectionConfig cfg, boolean traceAuth) throws ImapException {
        try {
            if (cfg.type() == ConnectionConfig.Type.IMAP && cfg.startTls()) {
                if (!protocol.hasCapability("STARTTLS")) {
                    throw new ImapException(name + ": server did not advertise STARTTLS capability (set STARTTLS = NO to connect in clear text)");
                }
                protocol.startTLS();
                protocol.capability();
            }
            if (!protocol.isAuthenticated()) {
                login(cfg, traceAuth);
            }
            if (protocol.getCapabilities() == null || !protocol.hasCapability("IMAP4REV1")) {
                protocol.capability();
            }
            if (cfg.compress() && protocol.hasCapability("COMPRESS=DEFLATE")) {
                // deflate below our byte count (see MeteredStreams), not in Angus's compress()
                protocol.simpleCommand("COMPRESS DEFLATE", null);
                try {
                    streams.startCompression();
                } catch (IOException e) {
                    throw new ImapException(name + ": cannot start compression: " + e.getMessage(), true, e);
                }
            }
        } catch (ImapException e) {
            throw e;
        } catch (ProtocolException e) {
            String why = streams.watchdog().expired() != null ? streams.watchdog().expired() : describe(e);
            throw new ImapException(name + ": " + why, !certificateRefused(e), e);
        }
    }

    private void login(ConnectionConfig cfg, boolean traceAuth) throws ImapException, ProtocolException {
        String mechanism = null;
        boolean onlyOAuth = cfg.auth().stream().allMatch(ConnectionConfig::isOAuth);
        for (String m : cfg.auth()) {
            // an OAuth 2.0 mechanism needs a token source, unless it is all that was asked for
            // (then the missing source is the error to report)
            boolean usable = !ConnectionConfig.isOAuth(m) || onlyOAuth || cfg.credentials().hasTokenSource();
            if (usable && protocol.hasCapability("AUTH=" + m)) {
                mechanism = m;
                break;
            }
        }
        if (mechanism != null && ConnectionConfig.isOAuth(mechanism)) {
            loginOAuth(cfg, mechanism, traceAuth);
            return;
        }
        boolean passwordMechanism = cfg.auth().stream().anyMatch(m -> !ConnectionConfig.isOAuth(m));
        if (mechanism == null && !passwordMechanism) {
            // OAuth 2.0 alone was asked for: no falling back to LOGIN with a password
            throw new ImapException(name + ": none of the authentication mechanisms " + cfg.auth() + " is offered");
        }
        if (mechanism == null && protocol.hasCapability("LOGINDISABLED")) {
            throw new ImapException(name + ": none of the authentication mechanisms " + cfg.auth()
                    + " is offered, and LOGIN is disabled");
        }
        if (cfg.username() == null || (cfg.password() == null && cfg.credentials().passwordCommand() == null)) {
            throw new ImapException(name + ": missing username or password (the server requires authentication)");
        }
        String password = passwordOutsideLoginBound(cfg);
        try {
            if ("PLAIN".equals(mechanism) && protocol.hasCapability("SASL-IR")) {
                protocol.authenticatePlainInitialResponse(cfg.username(), password, traceAuth);
            } else if ("PLAIN".equals(mechanism)) {
                protocol.authplain(null, cfg.username(), password);
            } else if ("LOGIN".equals(mechanism)) {
                protocol.authlogin(cfg.username(), password);
            } else {
                protocol.login(cfg.username(), password);
            }
        } catch (CommandFailedException e) {
            // [UNAVAILABLE] (RFC 5530): the server's authentication backend is down, try again later
            String[] code = ResponseParser.responseCode(e.getResponse());
            boolean temporary = code != null && "UNAVAILABLE".equals(code[0]);
            throw new ImapException(name + ": Login failed: " + ResponseParser.text(e.getResponse()), temporary, e);
        }
    }

    /** A secret that {@link Secrets} gets by running a command. */
    @FunctionalInterface
    private interface SecretSource {
        String get(ConnectionConfig cfg) throws ImapException;
    }

    /**
     * The password ({@code password}, or {@code password-command} run now): a command's run is not
     * counted in connect-timeout's bound on the login (it has a bound of its own).
     */
    private String passwordOutsideLoginBound(ConnectionConfig cfg) throws ImapException {
        return cfg.password() != null ? cfg.password() : outsideLoginBound(cfg, Secrets::password);
    }

    /** A fresh access token (see {@link #passwordOutsideLoginBound}). */
    private String tokenOutsideLoginBound(ConnectionConfig cfg) throws ImapException {
        return outsideLoginBound(cfg, Secrets::token);
    }

    private String outsideLoginBound(ConnectionConfig cfg, SecretSource source) throws ImapException {
        streams.watchdog().endPhase();
        try {
            return source.get(cfg);
        } finally {
            streams.watchdog().startPhase("login", cfg.connectTimeoutSeconds() * 1000L);
        }
    }

    /**
     * XOAUTH2 or OAUTHBEARER with a token fetched now. A refused token may just have expired between
     * the command and the server: the command is run once more and the new token tried once; a second
     * refusal is final.
     */
    private void loginOAuth(ConnectionConfig cfg, String mechanism, boolean traceAuth) throws ImapException, ProtocolException {
        if (cfg.username() == null) {
            throw new ImapException(name + ": missing username (auth " + mechanism + " logs in as a user)");
        }
        if (!cfg.credentials().hasTokenSource()) {
            throw new ImapException(name + ": auth " + mechanism + " needs an access token: set oauth2-token-command");
        }
        // OAUTHBEARER tells the server where the client connected (RFC 7628 section 3.1)
        String host = cfg.type() == ConnectionConfig.Type.TUNNEL ? "localhost" : cfg.host();
        int port = cfg.type() == ConnectionConfig.Type.TUNNEL ? 143 : cfg.port();
        for (int attempt = 1; ; attempt++) {
            String token = tokenOutsideLoginBound(cfg);
            try {
                protocol.authenticateOAuth(mechanism, cfg.username(), token, host, port, traceAuth);
                return;
            } catch (CommandFailedException e) {
                String[] code = ResponseParser.responseCode(e.getResponse());
                boolean temporary = code != null && "UNAVAILABLE".equals(code[0]);
                if (temporary || attempt == 2) {
                    String status = protocol.saslError();
                    throw new ImapException(name + ": authentication failed (" + mechanism + " as "
                            + ResponseParser.printable(cfg.username()) + "): " + ResponseParser.text(e.getResponse())
                            + (status == null ? "" : " (server status " + ResponseParser.printable(status.strip()) + ")")
                            + (temporary ? "" : "; the token was refused twice, the second time a fresh one"), temporary, e);
                }
            }
        }
    }

    public String name() {
        return name;
    }

    public boolean hasCapability(String capability) {
        return protocol.hasCapability(capability);
    }

    /** The server's capabilities, upper case, sorted. */
    public Set<String> capabilities() {
        Map<String, String> caps = protocol.getCapabilities();
        return caps == null ? Set.of() : new TreeSet<>(caps.keySet());
    }

    /** Fails unless every capability is advertised, naming the missing ones. */
    public void requireCapabilities(String... required) throws ImapException {
        List<String> missing = new ArrayList<>();
        for (String c : required) {
            if (!protocol.hasCapability(c)) {
                missing.add(c);
            }
        }
        if (!missing.isEmpty()) {
            throw new ImapException(name + ": server lacks required extension" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing));
        }
    }

    /** Sends a command and returns its responses; fails on NO/BAD, and on BYE or a lost connection. */
    Response[] run(String command, Argument args) throws ImapException {
        if (enableRefused != null) {
            throw enableRefused;
        }
        if (enablePending) {
            // no argument, or LITERAL+: nothing waits for a continuation, the command can follow ENABLE at once
            return runPipelined(List.of(command), java.util.Collections.singletonList(args), args == null).get(0);
        }
        Response[] responses = protocol.command(command, args);
        check(command, responses);
        return responses;
    }

    /**
     * Sends the commands without waiting for each reply, after a pending ENABLE, and returns each
     * one's responses; fails on the first NO/BAD, BYE or lost connection, in the order sent (the
     * later commands' replies are read all the same). One after the other instead when an argument
     * may need a synchronising literal ({@code literalFree} false and no LITERAL+).
     */
    List<Response[]> runPipelined(List<String> commands, List<Argument> args, boolean literalFree) throws ImapException {
        if (enableRefused != null) {
            throw enableRefused;
        }
        List<String> all = new ArrayList<>(commands);
        List<Argument> allArgs = new ArrayList<>(args);
        boolean enabling = enablePending;
        if (enabling) {
            enablePending = false;
            all.add(0, ENABLE_QRESYNC);
            allArgs.add(0, null);
        }
        List<Response[]> out = new ArrayList<>();
        Response[][] pipelined = literalFree || protocol.supportsNonSyncLiterals() ? protocol.pipeline(all, allArgs) : null;
        for (int i = 0; i < all.size(); i++) {
            Response[] responses = pipelined != null ? pipelined[i] : protocol.command(all.get(i), allArgs.get(i));
            try {
                check(all.get(i), responses);
            } catch (ImapException e) {
                if (enabling && i == 0) {
                    // without QRESYNC the connection cannot serve the sync: it refuses every later command
                    enableRefused = new ImapException(e.getMessage(), e.connectionLost(), true, e.serverCode(), e);
                    throw enableRefused;
                }
                throw e;
            }
            out.add(responses);
        }
        return enabling ? out.subList(1, out.size()) : out;
    }

    /**
     * Whether strings can go in a pipeline as they are: none would be sent as a literal (longer
     * than 1024 bytes, a NUL, CR or LF, 8-bit without UTF8=ACCEPT), or the server takes LITERAL+.
     */
    boolean pipelinable(Collection<String> strings) {
        if (protocol.supportsNonSyncLiterals()) {
            return true;
        }
        for (String s : strings) {
            if (s.length() > 1024) {
                return false;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == 0 || c == '\r' || c == '\n' || c > 0x7f && !protocol.supportsUtf8()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Checks one command's responses: fails on NO/BAD, and on BYE or a lost connection. */
    private void check(String command, Response[] responses) throws ImapException {
        Response last = responses[responses.length - 1];
        parse(command, () -> {
            collectUnsolicited(responses);
            return null;
        });
        if (last.isBYE()) {
            String why = last.getException() != null ? describe(last.getException()) : ResponseParser.text(last);
            throw new ImapException(name + ": connection lost during " + verb(command) + ": " + why, true, last.getException());
        }
        if (!last.isTagged() || !last.isOK()) {
            String[] code = ResponseParser.responseCode(last);
            throw new ImapException(name + ": " + verb(command) + (selected != null ? " in " + ResponseParser.printable(selected) : "")
                    + " failed: " + ResponseParser.text(last), false, false, code == null ? null : code[0], null);
        }
    }

    private static String verb(String command) {
        int sp = command.indexOf(' ', command.startsWith("UID ") ? 4 : 0);
        return sp < 0 ? command : command.substring(0, sp);
    }

    private void collectUnsolicited(Response[] responses) throws MalformedResponseException {
        for (Response r : responses) {
            if ("VANISHED".equals(ResponseParser.keyword(r))) {
                ResponseParser.Vanished v = ResponseParser.parseVanished(r);
                if (!v.earlier()) {
                    unsolicitedVanished = unsolicitedVanished.union(v.uids());
                }
            }
        }
    }

    /** A parse of the responses to one command. */
    @FunctionalInterface
    private interface Parse<T> {
        T run() throws MalformedResponseException, ImapException;
    }

    /**
     * Runs a parse; a malformed response becomes one error naming the side and the command. The
     * connection is then {@linkplain ImapException#broken() broken}: what else the server meant to
     * say is unknown, so it must not serve another command.
     */
    private <T> T parse(String command, Parse<T> parse) throws ImapException {
        try {
            return parse.run();
        } catch (MalformedResponseException e) {
            throw new ImapException(name + ": malformed response to " + verb(command)
                    + (selected != null ? " in " + ResponseParser.printable(selected) : "") + ": " + e.getMessage(), false, true, e);
        }
    }

    /**
     * Enables QRESYNC (RFC 7162 section 3.2.3): VANISHED instead of EXPUNGE from now on. The ENABLE
     * goes out with the next command, in the same write (RFC 5161 sets no limit on pipelining it),
     * and its failure is that command's: a round trip less on every connection.
     */
    public void enableQresync() {
        if (!qresyncEnabled) {
            enablePending = true;
            qresyncEnabled = true;
        }
    }

    /** Sends a pending ENABLE alone, for what does not go through {@link #run} (IDLE). */
    private void flushPending() throws ImapException {
        if (enablePending) {
            runPipelined(List.of(), List.of(), true);
        }
    }

    /** The hierarchy delimiter of the personal name space ({@code LIST "" ""}), or null for a flat one. */
    public Character delimiter() throws ImapException {
        Response[] responses = run("LIST", delimiterArgs());
        return parse("LIST", () -> delimiterIn(responses));
    }

    private static Argument delimiterArgs() {
        return new Argument().writeString("").writeString("");
    }

    private static Character delimiterIn(Response[] responses) throws MalformedResponseException {
        for (Response r : responses) {
            if ("LIST".equals(ResponseParser.keyword(r))) {
                return ResponseParser.parseList(r).delimiter();
            }
        }
        return null;
    }

    /** The hierarchy delimiter and the mailboxes of one listing. */
    public record Listing(Character delimiter, List<ListedMailbox> mailboxes) {
    }

    /**
     * {@link #delimiter} and {@link #listWithStatus} in one round trip, for patterns that do not
     * depend on the delimiter: both commands go out together.
     */
    public Listing listWithDelimiter(String reference, List<String> patterns, List<String> selectOpts) throws ImapException {
        List<String> strings = new ArrayList<>(patterns);
        strings.add(reference);
        List<Response[]> responses = runPipelined(List.of("LIST", "LIST"),
                List.of(delimiterArgs(), listStatusArgs(reference, patterns, selectOpts)), pipelinable(strings));
        return parse("LIST", () -> new Listing(delimiterIn(responses.get(0)), listedIn(responses.get(1))));
    }

    /**
     * {@code LIST (selectOpts) reference (patterns) RETURN (SUBSCRIBED STATUS (UIDVALIDITY UIDNEXT
     * HIGHESTMODSEQ))} (RFC 5258, RFC 5819): every matching mailbox with its subscription and status.
     */
    public List<ListedMailbox> listWithStatus(String reference, List<String> patterns, List<String> selectOpts) throws ImapException {
        Response[] responses = run("LIST", listStatusArgs(reference, patterns, selectOpts));
        return parse("LIST", () -> listedIn(responses));
    }

    private static Argument listStatusArgs(String reference, List<String> patterns, List<String> selectOpts) {
        Argument args = new Argument();
        if (!selectOpts.isEmpty()) {
            args.writeAtom("(" + String.join(" ", selectOpts) + ")");
        }
        args.writeString(reference);
        Argument pats = new Argument();
        for (String p : patterns) {
            pats.writeString(p);
        }
        args.writeArgument(pats);
        args.writeAtom("RETURN (SUBSCRIBED STATUS (UIDVALIDITY UIDNEXT HIGHESTMODSEQ))");
        return args;
    }

    private static List<ListedMailbox> listedIn(Response[] responses) throws MalformedResponseException {
        Map<String, ListedMailbox> byName = new LinkedHashMap<>();
        for (Response r : responses) {
            String kw = ResponseParser.keyword(r);
            if ("LIST".equals(kw)) {
                ListedMailbox m = ResponseParser.parseList(r);
                byName.put(m.name(), m);
            } else if ("STATUS".equals(kw)) {
                ResponseParser.StatusResponse s = ResponseParser.parseStatus(r);
                ListedMailbox m = byName.get(s.mailbox());
                if (m != null) {
                    byName.put(m.name(), m.withStatus(s.get("UIDVALIDITY"), s.get("UIDNEXT"), s.get("HIGHESTMODSEQ")));
                }
            }
        }
        return new ArrayList<>(byName.values());
    }

    /** {@code STATUS mailbox (UIDVALIDITY UIDNEXT HIGHESTMODSEQ)} as {uidvalidity, uidnext, highestmodseq}. */
    public long[] status(String mailbox) throws ImapException {
        Argument args = new Argument().writeString(mailbox);
        args.writeAtom("(UIDVALIDITY UIDNEXT HIGHESTMODSEQ)");
        Response[] responses = run("STATUS", args);
        long[] status = parse("STATUS", () -> {
            for (Response r : responses) {
                if ("STATUS".equals(ResponseParser.keyword(r))) {
                    ResponseParser.StatusResponse s = ResponseParser.parseStatus(r);
                    return new long[] {s.get("UIDVALIDITY"), s.get("UIDNEXT"), s.get("HIGHESTMODSEQ")};
                }
            }
            return null;
        });
        if (status == null) {
            throw new ImapException(name + ": no STATUS response for " + ResponseParser.printable(mailbox));
        }
        return status;
    }

    public void create(String mailbox) throws ImapException {
        run("CREATE", new Argument().writeString(mailbox));
    }

    public void delete(String mailbox) throws ImapException {
        run("DELETE", new Argument().writeString(mailbox));
    }

    public void rename(String from, String to) throws ImapException {
        run("RENAME", new Argument().writeString(from).writeString(to));
    }

    public void subscribe(String mailbox, boolean subscribe) throws ImapException {
        run(subscribe ? "SUBSCRIBE" : "UNSUBSCRIBE", new Argument().writeString(mailbox));
    }

    /**
     * What SELECT told: the mailbox's UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ and, with QRESYNC
     * parameters, the UIDs expunged and the messages changed since the given MODSEQ; the number of
     * messages ({@code EXISTS}), -1 when the server did not say.
     */
    public record Selected(long uidValidity, long uidNext, long highestModSeq, UidRanges vanished,
                           List<FetchedMessage> changed, long exists) {
    }

    /**
     * SELECT, with {@code (QRESYNC (uidValidity modseq))} when a previous state is known
     * (RFC 7162 section 3.2.5). QRESYNC must be enabled first.
     */
    public Selected select(String mailbox, long knownUidValidity, long knownModSeq) throws ImapException {
        Argument args = new Argument().writeString(mailbox);
        if (knownUidValidity > 0 && knownModSeq > 0) {
            args.writeAtom("(QRESYNC (" + knownUidValidity + " " + knownModSeq + "))");
        } else {
            args.writeAtom("(CONDSTORE)");
        }
        selected = null;
        unsolicitedVanished = UidRanges.EMPTY;
        Response[] responses = run("SELECT", args);
        selected = mailbox;
        Selected result = parse("SELECT", () -> {
            long uidValidity = -1;
            long uidNext = -1;
            long hms = -1;
            long exists = -1;
            UidRanges vanished = UidRanges.EMPTY;
            List<FetchedMessage> changed = new ArrayList<>();
            for (Response r : responses) {
                String kw = ResponseParser.keyword(r);
                if (kw == null) {
                    String[] code = ResponseParser.responseCode(r);
                    if (code == null) {
                        continue;
                    }
                    switch (code[0]) {
                        case "UIDVALIDITY" -> uidValidity = ResponseParser.codeNumber(code, UidRanges.MAX_UID);
                        case "UIDNEXT" -> uidNext = ResponseParser.codeNumber(code, UidRanges.MAX_UID);
                        case "HIGHESTMODSEQ" -> hms = ResponseParser.codeNumber(code, Long.MAX_VALUE);
                        case "NOMODSEQ" -> throw new ImapException(name + ": mailbox " + ResponseParser.printable(mailbox)
                                + " does not support persistent mod-sequences (NOMODSEQ)");
                        default -> { }
                    }
                } else if ("EXISTS".equals(kw)) {
                    exists = ResponseParser.leadingNumber(r);
                } else if ("VANISHED".equals(kw)) {
                    vanished = vanished.union(ResponseParser.parseVanished(r).uids());
                } else if ("FETCH".equals(kw)) {
                    changed.add(ResponseParser.parseFetch(r));
                }
            }
            if (uidValidity <= 0) {
                throw new MalformedResponseException("no UIDVALIDITY in the reply");
            }
            return new Selected(uidValidity, uidNext, hms, vanished, changed, exists);
        });
        unsolicitedVanished = UidRanges.EMPTY; // those of SELECT are returned above
        return result;
    }

    /** UNSELECT when offered (no implicit expunge), else CLOSE. */
    public void unselect() throws ImapException {
        if (selected == null) {
            return;
        }
        run(protocol.hasCapability("UNSELECT") ? "UNSELECT" : "CLOSE", null);
        selected = null;
    }

    public String selectedMailbox() {
        return selected;
    }

    /**
     * {@code UID FETCH set (items) [(CHANGEDSINCE modseq [VANISHED])]}. Messages whose UID falls
     * outside {@code set}'s bounds are dropped (a {@code n:*} range always returns the highest UID).
     * VANISHED (EARLIER) UIDs are added to {@code vanishedOut} when given.
     */
    public List<FetchedMessage> uidFetch(String set, String items, long changedSince, Consumer<UidRanges> vanishedOut)
            throws ImapException {
        StringBuilder cmd = new StringBuilder("UID FETCH ").append(set).append(" (").append(items).append(')');
        if (changedSince > 0) {
            cmd.append(" (CHANGEDSINCE ").append(changedSince).append(vanishedOut != null ? " VANISHED)" : ")");
        }
        Response[] responses = run(cmd.toString(), null);
        return parse(cmd.toString(), () -> {
            List<FetchedMessage> out = new ArrayList<>();
            for (Response r : responses) {
                String kw = ResponseParser.keyword(r);
                if ("FETCH".equals(kw)) {
                    FetchedMessage m = ResponseParser.parseFetch(r);
                    if (m.body() != null) {
                        bytesIn += m.body().length;
                    }
                    if (m.uid() > 0) {
                        out.add(m);
                    }
                } else if ("VANISHED".equals(kw) && vanishedOut != null) {
                    ResponseParser.Vanished v = ResponseParser.parseVanished(r);
                    if (v.earlier()) {
                        vanishedOut.accept(v.uids());
                    }
                }
            }
            return out;
        });
    }

    /**
     * Bytes fetched per FETCH of a message's body ({@code BODY.PEEK[]<offset.BODY_CHUNK>}): a 64th of
     * the heap, between 256 KiB and 4 MiB. A message of BODY_CHUNK bytes or more is spooled to a file
     * chunk by chunk, so no literal the server sends, and no body held, is larger than this.
     */
    public static final int BODY_CHUNK = (int) Math.max(256L << 10, Math.min(4L << 20, Runtime.getRuntime().maxMemory() / 64));

    /**
     * The whole body of a message from the first piece a {@code BODY.PEEK[]<0.BODY_CHUNK>} fetch gave
     * (with its RFC822.SIZE when asked): that piece itself when it is shorter than a chunk, else a
     * spool file filled chunk by chunk, digested on the way. Null when the message vanished meanwhile.
     */
    public MessageBody completeBody(FetchedMessage first) throws ImapException, IOException {
        byte[] piece = first.body();
        if (piece.length < BODY_CHUNK) {
            return MessageBody.of(piece);
        }
        try (MessageBody.Spooler spool = new MessageBody.Spooler()) {
            spool.write(piece, 0, piece.length);
            while (piece.length == BODY_CHUNK && (first.size() < 0 || spool.size() < first.size())) {
                piece = null;
                for (FetchedMessage p : uidFetch(String.valueOf(first.uid()),
                        "UID BODY.PEEK[]<" + spool.size() + "." + BODY_CHUNK + ">", 0, null)) {
                    if (p.uid() == first.uid() && p.body() != null) {
                        piece = p.body();
                    }
                }
                if (piece == null) {
                    return null;
                }
                spool.write(piece, 0, piece.length);
            }
            return spool.finish();
        }
    }

    /**
     * Fails unless every flag is an RFC 3501 atom: flags come from the other server, and anything
     * else (a space, a parenthesis, a CR or LF) could end the list or the command and start another.
     */
    private void requireFlags(Collection<String> flags) throws ImapException {
        for (String f : flags) {
            if (!ResponseParser.isFlag(f) || f.equals("\\*")) {
                throw new ImapException(name + ": refusing to send the invalid flag \"" + ResponseParser.printable(f) + "\"");
            }
        }
    }

    /**
     * {@code UID STORE set FLAGS.SILENT (flags)}, with {@code UNCHANGEDSINCE} when {@code unchangedSince > 0}
     * (RFC 7162 section 3.1.3). Returns the UIDs the server refused to change because they changed
     * meanwhile ({@code [MODIFIED set]}).
     */
    public UidRanges uidStoreFlags(Collection<Long> uids, Collection<String> flags, long unchangedSince) throws ImapException {
        if (uids.isEmpty()) {
            return UidRanges.EMPTY;
        }
        requireFlags(flags);
        StringBuilder cmd = new StringBuilder("UID STORE ").append(UidRanges.format(uids));
        if (unchangedSince > 0) {
            cmd.append(" (UNCHANGEDSINCE ").append(unchangedSince).append(')');
        }
        cmd.append(" FLAGS.SILENT (").append(String.join(" ", flags)).append(')');
        Response[] responses = run(cmd.toString(), null);
        String[] code = ResponseParser.responseCode(responses[responses.length - 1]);
        if (code != null && "MODIFIED".equals(code[0])) {
            return parse("UID STORE", () -> ResponseParser.uidSet(code[1]));
        }
        return UidRanges.EMPTY;
    }

    /**
     * Marks the UIDs \Deleted and removes exactly them with UID EXPUNGE (RFC 4315 section 2.1).
     * Returns the HIGHESTMODSEQ of the tagged reply (RFC 7162 section 3.2.10), or -1.
     */
    public long uidExpunge(Collection<Long> uids) throws ImapException {
        return uidExpunge(UidRanges.of(uids));
    }

    /** As {@link #uidExpunge(Collection)}, for a set of ranges. */
    public long uidExpunge(UidRanges uids) throws ImapException {
        if (uids.isEmpty()) {
            return -1;
        }
        String set = uids.toString();
        run("UID STORE " + set + " +FLAGS.SILENT (\\Deleted)", null);
        Response[] responses = run("UID EXPUNGE " + set, null);
        String[] code = ResponseParser.responseCode(responses[responses.length - 1]);
        if (code == null || !"HIGHESTMODSEQ".equals(code[0])) {
            return -1;
        }
        return parse("UID EXPUNGE", () -> ResponseParser.codeNumber(code, Long.MAX_VALUE));
    }

    /** One message to APPEND: its flags, its INTERNALDATE as the source server wrote it, its bytes. */
    public record AppendItem(List<String> flags, String internalDate, MessageBody body) {
        public AppendItem(List<String> flags, String internalDate, byte[] body) {
            this(flags, internalDate, MessageBody.of(body));
        }
    }

    /** As {@link #append(String, long, List)}, with no UIDVALIDITY to check APPENDUID against. */
    public List<Long> append(String mailbox, List<AppendItem> items) throws ImapException {
        return append(mailbox, -1, items);
    }

    /**
     * Appends the messages in order, in one MULTIAPPEND command when offered (RFC 3502), and returns
     * their new UIDs from APPENDUID (RFC 4315), in the same order.
     *
     * @param uidValidity the target mailbox's UIDVALIDITY, which APPENDUID must repeat (-1: unknown)
     */
    public List<Long> append(String mailbox, long uidValidity, List<AppendItem> items) throws ImapException {
        if (items.isEmpty()) {
            return List.of();
        }
        for (AppendItem item : items) {
            requireFlags(item.flags());
        }
        if (!protocol.hasCapability("MULTIAPPEND") && items.size() > 1) {
            List<Long> uids = new ArrayList<>();
            for (AppendItem item : items) {
                try {
                    uids.addAll(append(mailbox, uidValidity, List.of(item)));
                } catch (ImapException e) {
                    if (uids.isEmpty()) {
                        throw e;
                    }
                    // some are in, without their UIDs recorded: not a clean refusal of the batch (the
                    // intents stay, and the next run matches what got in)
                    throw new ImapException(e.getMessage() + " (after " + uids.size() + " of " + items.size()
                            + " messages were appended one by one)", false, true, e);
                }
            }
            return uids;
        }
        Argument args = new Argument().writeString(mailbox);
        for (AppendItem item : items) {
            args.writeAtom("(" + String.join(" ", item.flags()) + ")");
            if (item.internalDate() != null) {
                args.writeString(item.internalDate());
            }
            MessageBody body = item.body();
            if (body.size() > Integer.MAX_VALUE) {
                throw new ImapException(name + ": a message of " + body.size() + " bytes is more than an APPEND can carry");
            }
            // a spooled body streams from its file: the literal is never held in memory
            args.writeBytes(new Literal() {
                @Override
                public int size() {
                    return (int) body.size();
                }

                @Override
                public void writeTo(java.io.OutputStream os) throws IOException {
                    body.writeTo(os);
                }
            });
        }
        Response[] responses;
        // with LITERAL+ the server waits for no continuation: send the command in full buffers
        streams.skipFlushes(protocol.supportsNonSyncLiterals() ? items.size() : 0);
        try {
            responses = run("APPEND", args);
        } finally {
            streams.skipFlushes(0);
        }
        String[] code = ResponseParser.responseCode(responses[responses.length - 1]);
        String target = ResponseParser.printable(mailbox);
        if (code == null || !"APPENDUID".equals(code[0])) {
            throw new ImapException(name + ": APPEND to " + target + " returned no APPENDUID (UIDPLUS)", false, true, null);
        }
        ResponseParser.AppendUid appendUid = parse("APPEND", () -> ResponseParser.appendUid(code));
        // a lying reply must not be recorded: the connection is dropped, the intents stay for recovery
        if (uidValidity > 0 && appendUid.uidValidity() != uidValidity) {
            throw new ImapException(name + ": APPEND to " + target + " answered for UIDVALIDITY " + appendUid.uidValidity()
                    + ", not the mailbox's " + uidValidity, false, true, null);
        }
        if (appendUid.uids().count() != items.size()) {
            throw new ImapException(name + ": APPEND to " + target + " returned " + appendUid.uids().count()
                    + " UIDs for " + items.size() + " messages", false, true, null);
        }
        // the order of the set is the order of the messages (RFC 4315 section 3)
        return appendUid.uids().toList(items.size());
    }

    /** UIDs the server reported expunged (VANISHED) during commands since the last call; then forgets them. */
    public UidRanges drainUnsolicited() {
        UidRanges out = unsolicitedVanished;
        unsolicitedVanished = UidRanges.EMPTY;
        return out;
    }

    public void noop() throws ImapException {
        run("NOOP", null);
    }

    /** Body bytes received in FETCH responses so far. */
    public long bytesIn() {
        return bytesIn;
    }

    /** LOGOUT (its reply awaited 5 s at most), then close the socket; never fails. */
    @Override
    public void close() {
        streams.watchdog().startPhase("reply to LOGOUT", 5000);
        try {
            protocol.logout();
        } catch (ProtocolException | RuntimeException e) {
            // the connection is going away anyway
        } finally {
            protocol.disconnect();
            streams.watchdog().release();
        }
    }

    static boolean isConnectionLoss(ProtocolException e) {
        return e instanceof ConnectionException;
    }
    // ---- additions for pullimap: plain SELECT, UID SEARCH, +FLAGS, IDLE ----

    /**
     * Plain {@code SELECT mailbox} (RFC 3501 section 6.3.1), without CONDSTORE or QRESYNC: returns
     * {UIDVALIDITY, UIDNEXT}, -1 for what the server did not tell.
     */
    public long[] selectPlain(String mailbox) throws ImapException {
        selected = null;
        unsolicitedVanished = UidRanges.EMPTY;
        Response[] responses = run("SELECT", new Argument().writeString(mailbox));
        selected = mailbox;
        return parse("SELECT", () -> {
            long[] out = {-1, -1};
            for (Response r : responses) {
                String[] code = ResponseParser.keyword(r) == null ? ResponseParser.responseCode(r) : null;
                if (code != null && code[0].equals("UIDVALIDITY")) {
                    out[0] = ResponseParser.codeNumber(code, UidRanges.MAX_UID);
                } else if (code != null && code[0].equals("UIDNEXT")) {
                    out[1] = ResponseParser.codeNumber(code, UidRanges.MAX_UID);
                }
            }
            return out;
        });
    }

    /**
     * {@code UID SEARCH criteria} (RFC 3501 section 6.4.4), as {@code UID SEARCH RETURN (ALL)}
     * (ESEARCH, RFC 4731) when the server offers it; the matching UIDs.
     */
    public UidRanges uidSearch(String criteria) throws ImapException {
        boolean esearch = protocol.hasCapability("ESEARCH");
        Response[] responses = run("UID SEARCH " + (esearch ? "RETURN (ALL) " : "") + criteria, null);
        return parse("UID SEARCH", () -> {
            UidRanges out = UidRanges.EMPTY;
            for (Response r : responses) {
                String kw = ResponseParser.keyword(r);
                if ("SEARCH".equals(kw) || "ESEARCH".equals(kw)) {
                    out = out.union(ResponseParser.parseSearch(r));
                }
            }
            return out;
        });
    }

    /** {@code UID STORE set +FLAGS.SILENT (flags)}: adds flags, keeping the others. */
    public void uidAddFlags(Collection<Long> uids, String... flags) throws ImapException {
        uidAddFlags(UidRanges.of(uids), flags);
    }

    /** As {@link #uidAddFlags(Collection, String...)}, for a set of ranges. */
    public void uidAddFlags(UidRanges uids, String... flags) throws ImapException {
        if (!uids.isEmpty()) {
            requireFlags(List.of(flags));
            run("UID STORE " + uids + " +FLAGS.SILENT (" + String.join(" ", flags) + ")", null);
        }
    }

    private static final java.util.concurrent.ScheduledExecutorService IDLE_TIMER =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("imap-idle-timer"));
    private final Object idleLock = new Object();
    /** Whether an IDLE is in progress that DONE has not yet been sent for; guarded by idleLock. */
    private boolean idleActive;

    /**
     * IDLE (RFC 2177) on the selected mailbox until the server announces messages ({@code EXISTS}),
     * {@code maxMillis} elapse, or {@link #stopIdle} is called from another thread; then DONE.
     * Returns whether new messages were announced. The read timeout of the connection (10 minutes)
     * bounds how long one IDLE may last.
     */
    public boolean idle(long maxMillis) throws ImapException {
        return idle(maxMillis, "EXISTS"::equals);
    }

    /**
     * IDLE until an untagged response whose keyword ({@code EXISTS}, {@code STATUS}, {@code FETCH},
     * {@code VANISHED}, {@code LIST}...) satisfies {@code wake}, {@code maxMillis} elapse, or
     * {@link #stopIdle} is called; then DONE. Returns whether {@code wake} fired. With NOTIFY
     * (RFC 5465) set, the events of every mailbox arrive this way.
     */
    public boolean idle(long maxMillis, java.util.function.Predicate<String> wake) throws ImapException {
        if (!protocol.hasCapability("IDLE")) {
            throw new ImapException(name + ": server lacks the IDLE extension (RFC 2177)");
        }
        flushPending();
        try {
            protocol.idleStart();
        } catch (ProtocolException e) {
            throw new ImapException(name + ": IDLE failed: " + describe(e), isConnectionLoss(e), e);
        }
        synchronized (idleLock) {
            idleActive = true;
        }
        // renewed before the I/O timeout ends a quiet IDLE (servers need not say anything meanwhile)
        long bound = Math.max(1000, Math.min(maxMillis, streams.watchdog().ioTimeoutMillis() * 4 / 5));
        java.util.concurrent.ScheduledFuture<?> timer = IDLE_TIMER.schedule(this::stopIdle, bound,
                java.util.concurrent.TimeUnit.MILLISECONDS);
        boolean woken = false;
        try {
            while (true) {
                Response r = protocol.readIdleResponse();
                if (r == null) {
                    break;
                }
                String keyword = r.isUnTagged() ? ResponseParser.keyword(r) : null;
                if (keyword != null && wake.test(keyword)) {
                    woken = true;
                    stopIdle();
                }
                if (r.isBYE() && r.getException() != null) {
                    throw new ImapException(name + ": connection lost during IDLE: " + describe(r.getException()), true,
                            r.getException());
                }
                if (!protocol.processIdleResponse(r)) {
                    break;
                }
            }
        } catch (ProtocolException e) {
            throw new ImapException(name + ": connection lost during IDLE: " + describe(e), true, e);
        } finally {
            timer.cancel(false);
            synchronized (idleLock) {
                idleActive = false;
            }
        }
        return woken;
    }

    /**
     * {@code NOTIFY SET} (RFC 5465): from now on the server reports new and expunged messages, flag
     * changes, mailbox creations/renames and subscription changes of every personal mailbox.
     */
    public void notifyPersonal() throws ImapException {
        requireCapabilities("NOTIFY");
        run("NOTIFY SET (personal (MessageNew MessageExpunge FlagChange MailboxName SubscriptionChange))", null);
    }

    /** Ends the IDLE in progress, if any (sends DONE once); safe from any thread. */
    public void stopIdle() {
        synchronized (idleLock) {
            if (idleActive) {
                idleActive = false;
                protocol.idleAbort();
            }
        }
    }
}
