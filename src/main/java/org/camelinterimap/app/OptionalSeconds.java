package org.camelinterimap.app;

import java.util.Stack;

import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * picocli consumer for the options whose number of seconds is optional ({@code --watch[=SECONDS]},
 * {@code --idle[=SECONDS]}): the next argument is taken only when it is a number, so that
 * {@code interimap --watch INBOX} watches INBOX, as with the originals' option parser.
 */
abstract class OptionalSeconds implements IParameterConsumer {
    private static final String NUMBER = "-?[0-9]+";

    /**
     * picocli hands {@code --watch=abc} to the consumer just as {@code --watch abc}, where "abc" is
     * rightly a mailbox; the originals refuse the attached form unless it is a number. Returns that
     * error for the first such argument (before {@code --}), or null.
     */
    static String invalidAttachedValue(String[] args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                break;
            }
            for (String option : new String[] {"--watch", "--idle"}) {
                if (arg.startsWith(option + "=") && !arg.substring(option.length() + 1).matches(NUMBER)) {
                    return "Value \"" + arg.substring(option.length() + 1) + "\" invalid for option "
                            + option.substring(2) + " (number expected)";
                }
            }
        }
        return null;
    }

    /** The value when no number follows. */
    protected abstract int fallback();

    @Override
    public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
        String value = !args.isEmpty() && args.peek().matches(NUMBER) ? args.pop() : String.valueOf(fallback());
        argSpec.setValue(Integer.valueOf(value));
    }

    /** interimap --watch: -1 stands for the default, which depends on --notify. */
    static final class Watch extends OptionalSeconds {
        @Override
        protected int fallback() {
            return -1;
        }
    }

    /** pullimap --idle: 29 minutes by default. */
    static final class Idle extends OptionalSeconds {
        @Override
        protected int fallback() {
            return PullimapCommand.DEFAULT_IDLE_SECONDS;
        }
    }
}
