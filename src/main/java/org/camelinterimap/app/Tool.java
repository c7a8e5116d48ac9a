package org.camelinterimap.app;

import java.util.concurrent.Callable;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * One tool of the cli jar (interimap, pullimap, routes): its command line, parsed by {@link Launcher}
 * with commons-cli, then its run. {@code -h/--help} and {@code -V/--version} are the launcher's.
 */
interface Tool extends Callable<Integer> {
    /** The tool's own options. */
    Options options();

    /** The usage line's operands, e.g. {@code [MAILBOX ...]}. */
    String operands();

    /** One line on what the tool does, for --help. */
    String description();

    /** What --help prints after the options; may be empty. */
    String footer();

    /** The arguments as the parser is to see them (see {@link OptionalSeconds}); by default as given. */
    default String[] rewrite(String[] args) {
        return args;
    }

    /**
     * Takes the parsed command line: option values and operands. A value the parser cannot judge
     * (a number, a missing operand) is refused here, with the message the user sees.
     */
    void accept(CommandLine line) throws ParseException;
}
