package org.camelinterimap.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.camel.main.Main;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * Runs Camel routes files (YAML, XML) with the interimap: and pullimap: components on camel-main,
 * until SIGTERM or SIGINT: the way to run many account pairs in one JVM, each a route made from a
 * route template (see routes/interimap-accounts.camel.yaml).
 */
public final class RoutesCommand implements Tool {
    List<Path> properties = new ArrayList<>();
    /** --duration: -1 to run until stopped. */
    long duration = -1;
    List<Path> routes = new ArrayList<>();

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("properties").hasArg().argName("FILE")
                        .desc("Properties for the routes' placeholders and camel-main (camel.component.interimap.*) (repeatable).").get())
                .addOption(Option.builder().longOpt("duration").hasArg().argName("SECONDS")
                        .desc("Stop after SECONDS (default: run until stopped).").get());
    }

    @Override
    public String operands() {
        return "ROUTES ...";
    }

    @Override
    public String description() {
        return "Run Camel routes files (interimap: and pullimap: routes, e.g. one per account pair from a"
                + " route template) in one JVM until stopped (SIGTERM, SIGINT). ROUTES: routes files (.camel.yaml, .xml).";
    }

    @Override
    public String footer() {
        return "";
    }

    @Override
    public void accept(CommandLine line) throws ParseException {
        try {
            String[] given = line.getOptionValues("properties");
            if (given != null) {
                for (String p : given) {
                    properties.add(Path.of(p));
                }
            }
            for (String r : line.getArgList()) {
                routes.add(Path.of(r));
            }
        } catch (java.nio.file.InvalidPathException e) {
            throw new ParseException("not a file name: " + e.getMessage());
        }
        duration = Launcher.number(line, "duration", -1);
        if (routes.isEmpty()) {
            throw new ParseException("Missing required parameter: 'ROUTES'");
        }
    }

    @Override
    public Integer call() throws Exception {
        for (Path p : concat(routes, properties)) {
            if (!Files.isReadable(p)) {
                System.err.println("routes: cannot read " + p);
                return 1;
            }
        }
        Main main = new Main();
        main.configure().withRoutesIncludePattern(routes.stream()
                .map(p -> "file:" + p.toAbsolutePath()).collect(Collectors.joining(",")));
        main.configure().withName("camel-interimap");
        main.configure().withJmxEnabled(false);
        main.configure().withShutdownTimeout(5);
        if (duration >= 0) {
            main.configure().withDurationMaxSeconds((int) duration);
        }
        main.setPropertyPlaceholderLocations(properties.isEmpty() ? "classpath:application.properties;optional=true"
                : properties.stream().map(p -> "file:" + p.toAbsolutePath()).collect(Collectors.joining(",")));
        main.run();
        return main.getExitCode();
    }

    private static List<Path> concat(List<Path> a, List<Path> b) {
        List<Path> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
