package org.camelinterimap.app;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The pullimap(1) command line. */
@Command(name = "pullimap", mixinStandardHelpOptions = true, versionProvider = Launcher.Version.class,
        sortOptions = false,
        description = "Pull mails from an IMAP mailbox and deliver them to an SMTP or LMTP server.",
        footer = "%nConfiguration: $XDG_CONFIG_HOME/pullimap/config (~/.config/pullimap/config); see pullimap(1).")
public final class PullimapCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "Alternate configuration file (relative to $XDG_CONFIG_HOME/pullimap).")
    String config;

    @Option(names = "--idle", arity = "0..1", paramLabel = "SECONDS", fallbackValue = "1740",
            description = "Stay connected and deliver new mail as it arrives (IDLE re-issued every SECONDS, default 29 minutes).")
    Integer idle;

    @Option(names = "--no-delivery", description = "Update the statefile without delivering anything.")
    boolean noDelivery;

    @Option(names = {"-q", "--quiet"}, description = "Try to be quiet.")
    boolean quiet;

    @Option(names = "--debug", description = "Debug mode: log the IMAP traffic; twice to include credentials.")
    boolean[] debug = new boolean[0];

    @Parameters(index = "0", paramLabel = "SECTION", description = "The section of the configuration file to use.")
    String section;

    @Override
    public Integer call() {
        System.err.println("pullimap: not implemented yet");
        return 1;
    }
}
