package org.camelinterimap.app;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import picocli.CommandLine.Option;

/** The options interimap(1) and pullimap(1) share, and what they mean for logging. */
final class CommonOptions {
    @Option(names = {"-q", "--quiet"}, description = "Try to be quiet.")
    boolean quiet;

    @Option(names = "--debug", description = "Debug mode: log the IMAP traffic; twice to include credentials.")
    boolean[] debug = new boolean[0];

    boolean tracing() {
        return debug.length > 0;
    }

    /** LOGIN/AUTHENTICATE are traced only with --debug given twice. */
    boolean tracingCredentials() {
        return debug.length > 1;
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
