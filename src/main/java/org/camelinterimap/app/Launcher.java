package org.camelinterimap.app;

import java.util.Arrays;

import picocli.CommandLine;

/**
 * Entry point of the self-contained jar: {@code java -jar camel-interimap.jar interimap|pullimap ARGS}.
 * bin/interimap and bin/pullimap pass the tool name first.
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String[] args) {
        if (args.length == 0 || !(args[0].equals("interimap") || args[0].equals("pullimap"))) {
            System.err.println("usage: java -jar camel-interimap.jar interimap|pullimap [OPTION ...]");
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        Object command = args[0].equals("interimap") ? new InterimapCommand() : new PullimapCommand();
        CommandLine cl = new CommandLine(command);
        cl.setParameterExceptionHandler((ex, a) -> {
            System.err.println(args[0] + ": " + ex.getMessage());
            System.err.println("Try '" + args[0] + " --help' for more information.");
            return 2;
        });
        return cl.execute(rest);
    }

    /** The version printed by {@code --version}. */
    public static String version() {
        String v = Launcher.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    /** picocli version provider shared by both tools. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"${COMMAND-NAME} (camel-interimap) " + version()
                    + ", compatible with InterIMAP/PullIMAP 0.5.7"};
        }
    }
}
