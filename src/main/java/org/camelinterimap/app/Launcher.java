package org.camelinterimap.app;

import java.util.Arrays;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * Entry point of the self-contained jar: {@code java -jar camel-interimap-cli.jar interimap|pullimap|routes ARGS}.
 * bin/interimap and bin/pullimap pass the tool name first; {@code routes} runs Camel routes files
 * (many account pairs in one JVM).
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) {
        // the native libraries load on another core while the command line and configuration are
        // read (about a quarter of a second of a short run): Conscrypt's, then SQLite's
        Thread warmUp = org.camelinterimap.support.DaemonThreads.named("interimap-warm-up").newThread(() -> {
            preferNativeCrypto();
            loadSqlite();
        });
        warmUp.start();
        System.exit(run(args));
    }

    /** Loads sqlite-jdbc's driver and native library ahead of the database's opening. */
    static void loadSqlite() {
        try {
            Class.forName("org.sqlite.JDBC");
        } catch (ClassNotFoundException | LinkageError e) {
            // the database's opening reports it
        }
    }

    /**
     * The tools are short-lived processes: make Conscrypt (BoringSSL) the first JCA provider, so
     * that TLS and the SHA-256 of every copied message run in native code instead of Java code the
     * JIT has no time to optimise. Left alone when embedded: a long-running JVM does fine.
     */
    static void preferNativeCrypto() {
        try {
            if (org.conscrypt.Conscrypt.isAvailable()) {
                java.security.Security.insertProviderAt(org.conscrypt.Conscrypt.newProvider(), 1);
            }
        } catch (LinkageError e) {
            // no native library for this platform: the JDK's providers serve
        }
    }

    public static int run(String[] args) {
        if (args.length == 0 || !(args[0].equals("interimap") || args[0].equals("pullimap") || args[0].equals("routes"))) {
            System.err.println("usage: java -jar camel-interimap-cli.jar interimap|pullimap|routes [OPTION ...]");
            return 2;
        }
        String name = args[0];
        Tool tool = switch (name) {
            case "interimap" -> new InterimapCommand();
            case "pullimap" -> new PullimapCommand();
            default -> new RoutesCommand();
        };
        Options options = tool.options()
                .addOption(Option.builder("h").longOpt("help").desc("Show this help message and exit.").get())
                .addOption(Option.builder("V").longOpt("version").desc("Print version information and exit.").get());
        CommandLine line;
        try {
            // no abbreviations (--conf is not --config), and option values exactly as given (quotes kept)
            line = DefaultParser.builder().setAllowPartialMatching(false).setStripLeadingAndTrailingQuotes(false).get()
                    .parse(options, tool.rewrite(Arrays.copyOfRange(args, 1, args.length)));
            if (line.hasOption("help")) {
                help(name, tool, options);
                return 0;
            }
            if (line.hasOption("version")) {
                System.out.println(name + " (camel-interimap) " + version() + ", compatible with InterIMAP/PullIMAP 0.5.7");
                return 0;
            }
            tool.accept(line);
        } catch (ParseException e) {
            System.err.println(name + ": " + e.getMessage());
            System.err.println("Try '" + name + " --help' for more information.");
            return 2;
        }
        try {
            return tool.call();
        } catch (Exception e) {
            // the tools report their own failures; this is the last resort, on one line
            System.err.println(name + ": " + org.camelinterimap.support.Failures.oneLine(e));
            return 1;
        }
    }

    private static void help(String name, Tool tool, Options options) {
        HelpFormatter formatter = HelpFormatter.builder().setShowDeprecated(false).get();
        formatter.setOptionComparator(null); // the options in the order the tool gives them
        formatter.setLongOptSeparator("=");
        String footer = tool.footer().isEmpty() ? "" : System.lineSeparator() + tool.footer();
        formatter.printHelp(80, name + " [OPTION ...] " + tool.operands(), tool.description(), options, footer);
    }

    /** How many times the option was given ({@code --debug --debug}). */
    static int occurrences(CommandLine line, String longName) {
        int n = 0;
        for (Option o : line.getOptions()) {
            if (longName.equals(o.getLongOpt())) {
                n++;
            }
        }
        return n;
    }

    /** A number of seconds or a count: a value that is not a whole number is a usage error. */
    static long number(CommandLine line, String longName, long absent) throws ParseException {
        String value = line.getOptionValue(longName);
        if (value == null) {
            return absent;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ParseException("Invalid value for option '--" + longName + "': '" + value + "' is not a number");
        }
    }

    /** The version printed by {@code --version}. */
    public static String version() {
        String v = Launcher.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

}
