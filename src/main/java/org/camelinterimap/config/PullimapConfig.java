package org.camelinterimap.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One account (section) of a pullimap(1) configuration file: where to pull from (the connection
 * options shared with interimap, {@code mailbox}), where to deliver ({@code deliver-*}), the
 * statefile and the retention period.
 *
 * @param purgeAfter retention period in days, or -1 when {@code purge-after} is unset (never purge)
 */
public record PullimapConfig(
        Path file,
        String section,
        Path statefile,
        String mailbox,
        DeliverMethod deliverMethod,
        String deliverEhlo,
        String deliverRcpt,
        int purgeAfter,
        ConnectionConfig connection) {

    public static final String DEFAULT_DELIVER_METHOD = "smtp:[127.0.0.1]:25";
    public static final String DEFAULT_EHLO = "localhost.localdomain";

    private static final Set<String> OPTIONS = Set.of("statefile", "mailbox", "deliver-method", "deliver-ehlo",
            "deliver-rcpt", "purge-after");
    private static final Pattern METHOD = Pattern.compile("(smtp|lmtp):(?:\\[([^\\]]+)\\]|([^:\\[\\]]+)):([0-9]+)",
            Pattern.CASE_INSENSITIVE);

    /** {@code deliver-method}: the protocol and the server to deliver to. */
    public record DeliverMethod(boolean lmtp, String host, int port) {
        public String protocol() {
            return lmtp ? "lmtp" : "smtp";
        }

        @Override
        public String toString() {
            return protocol() + ":[" + host + "]:" + port;
        }
    }

    /** Parses {@code smtp:[ADDRESS]:PORT} or {@code lmtp:[ADDRESS]:PORT} (brackets optional around a host name). */
    public static DeliverMethod parseDeliverMethod(String value) {
        Matcher m = METHOD.matcher(value.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("must be smtp:[ADDRESS]:PORT or lmtp:[ADDRESS]:PORT, not '" + value + "'");
        }
        int port = Integer.parseInt(m.group(4));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range in '" + value + "'");
        }
        return new DeliverMethod(m.group(1).toLowerCase(Locale.ROOT).equals("lmtp"),
                m.group(2) != null ? m.group(2) : m.group(3), port);
    }

    /** Reads section {@code section} of {@code file}; relative statefile paths start from {@code $XDG_DATA_HOME/pullimap}. */
    public static PullimapConfig load(Path file, String section, XdgPaths xdg) {
        IniFile ini = IniFile.load(file);
        if (section.isEmpty() || !ini.hasSection(section)) {
            throw new ConfigException(file + ": no such section [" + section + "]");
        }
        for (String s : ini.sectionNames()) {
            for (String key : ini.section(s).keySet()) {
                if (!OPTIONS.contains(key) && !ConnectionConfig.isConnectionOption(key)) {
                    throw new ConfigException(file + ": unknown option '" + key + "'" + (s.isEmpty() ? "" : " in [" + s + "]"));
                }
            }
        }
        ConnectionConfig.Options o = new ConnectionConfig.Options(ini, section);
        String state = o.get("statefile", section).trim();
        if (state.isEmpty()) {
            throw o.invalid("statefile", "is empty");
        }
        DeliverMethod method;
        try {
            method = parseDeliverMethod(o.get("deliver-method", DEFAULT_DELIVER_METHOD));
        } catch (IllegalArgumentException e) {
            throw o.invalid("deliver-method", e.getMessage());
        }
        String purge = o.get("purge-after", null);
        int purgeAfter = -1;
        if (purge != null && !purge.isBlank()) {
            purgeAfter = o.integer("purge-after", -1);
            if (purgeAfter < 0) {
                throw o.invalid("purge-after", "must be a number of days");
            }
        }
        String rcpt = o.get("deliver-rcpt", System.getProperty("user.name")).trim();
        String mailbox = o.get("mailbox", "INBOX").trim();
        return new PullimapConfig(file, section, xdg.dataDir("pullimap").resolve(state), mailbox.isEmpty() ? "INBOX" : mailbox,
                method, o.get("deliver-ehlo", DEFAULT_EHLO).trim(), rcpt, purgeAfter,
                ConnectionConfig.from(ini, section, true));
    }
}
