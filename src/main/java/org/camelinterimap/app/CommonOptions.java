package org.camelinterimap.app;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** The options interimap(1) and pullimap(1) share, and what they mean for logging. */
final class CommonOptions {
    boolean quiet;

    /** How many times --debug was given. */
    int debug;

    /** Adds -q/--quiet and --debug to a tool's options. */
    static Options addTo(Options options) {
        return options
                .addOption(Option.builder("q").longOpt("quiet").desc("Try to be quiet.").get())
                .addOption(Option.builder().longOpt("debug").desc("Debug mode: log the IMAP traffic; twice to include credentials.").get());
    }

    void accept(CommandLine line) {
        quiet = line.hasOption("quiet");
        debug = Launcher.occurrences(line, "debug");
    }

    boolean tracing() {
        return debug > 0;
    }

    /** LOGIN/AUTHENTICATE are traced only with --debug given twice. */
    boolean tracingCredentials() {
        return debug > 1;
    }

    /** The protocol trace of one connection, its lines prefixed with its name, into the log; null when not tracing. */
    PrintStream trace(ConsoleLog log, String connection) {
        return tracing() ? new PrintStream(new LinePrefixStream(log.stream(), connection + ": "), true, StandardCharsets.UTF_8)
                : null;
    }

    /** Where a failure's stack trace goes: the log under --debug, nowhere otherwise. */
    void stackTrace(ConsoleLog log, Throwable e) {
        if (tracing()) {
            e.printStackTrace(log.stream());
        }
    }
}
