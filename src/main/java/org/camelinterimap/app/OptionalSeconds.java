package org.camelinterimap.app;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.ParseException;

/**
 * The options whose number of seconds is optional ({@code --watch[=SECONDS]}, {@code --idle[=SECONDS]}):
 * the next argument is taken only when it is a number, so that {@code interimap --watch INBOX}
 * watches INBOX, as with the originals' option parser. commons-cli would take any next argument as
 * an optional value, so the command line is rewritten first: each such option gets its value
 * attached, the number that follows it or the option's fallback.
 */
final class OptionalSeconds {
    private static final String NUMBER = "-?[0-9]+";

    private OptionalSeconds() {
    }

    /** The option for the tool's options; its value is always attached by {@link #attachValues}. */
    static Option option(String name, String description) {
        return Option.builder().longOpt(name).hasArg().optionalArg(true).argName("SECONDS").desc(description).get();
    }

    /**
     * A copy of {@code args} where each {@code --NAME} before {@code --} is {@code --NAME=N}: N the
     * number that follows it (taken), or {@code fallback} when none does.
     */
    static String[] attachValues(String[] args, String name, int fallback) {
        String flag = "--" + name;
        List<String> out = new ArrayList<>(args.length);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                out.addAll(Arrays.asList(args).subList(i, args.length));
                break;
            }
            if (!arg.equals(flag)) {
                out.add(arg);
            } else if (i + 1 < args.length && args[i + 1].matches(NUMBER)) {
                out.add(flag + "=" + args[++i]);
            } else {
                out.add(flag + "=" + fallback);
            }
        }
        return out.toArray(new String[0]);
    }

    /**
     * The option's number of seconds, null when it was not given. An attached value that is not a
     * number ({@code --watch=abc}) is a usage error, as with the originals.
     */
    static Integer value(CommandLine line, String name) throws ParseException {
        String value = line.getOptionValue(name);
        if (value == null) {
            return null;
        }
        try {
            if (value.matches(NUMBER)) {
                return Integer.valueOf(value);
            }
        } catch (NumberFormatException e) {
            // out of range: refused below
        }
        throw new ParseException("Value \"" + value + "\" invalid for option " + name + " (number expected)");
    }
}
