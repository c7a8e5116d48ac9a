package org.camelinterimap.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** --watch[=SECONDS] and --idle[=SECONDS]: a detached word is a mailbox, an attached one must be a number. */
class OptionalSecondsTest {
    @Test
    void aDetachedNumberIsTheValueAndAnythingElseAnOperand() {
        assertArrayEquals(new String[] {"--watch=30", "INBOX"},
                OptionalSeconds.attachValues(new String[] {"--watch", "30", "INBOX"}, "watch", -1));
        assertArrayEquals(new String[] {"--watch=-1", "INBOX"},
                OptionalSeconds.attachValues(new String[] {"--watch", "INBOX"}, "watch", -1), "INBOX is a mailbox");
        assertArrayEquals(new String[] {"-q", "--watch=-1"},
                OptionalSeconds.attachValues(new String[] {"-q", "--watch"}, "watch", -1));
        assertArrayEquals(new String[] {"--watch=5", "--", "--watch", "7"},
                OptionalSeconds.attachValues(new String[] {"--watch=5", "--", "--watch", "7"}, "watch", -1),
                "after --, mailbox names");
    }

    @Test
    void anAttachedValueMustBeANumber() {
        assertEquals(2, Launcher.run(new String[] {"interimap", "--watch=abc"}));
        assertEquals(2, Launcher.run(new String[] {"interimap", "--watch=99999999999"}));
        assertEquals(2, Launcher.run(new String[] {"pullimap", "--idle=soon", "acct"}));
        assertEquals(2, Launcher.run(new String[] {"pullimap", "--idle=", "acct"}));
    }

    @Test
    void theCommandLineIsParsedAsTheOriginalsParseIt() throws Exception {
        InterimapCommand sync = parse(new InterimapCommand(), "--watch", "INBOX", "--debug", "-q", "--debug", "--target", "local",
                "--target=remote", "Sent", "--", "--notify");
        assertEquals(-1, sync.watch);
        assertEquals(java.util.List.of("INBOX", "Sent", "--notify"), sync.mailboxes, "operands around options, and after --");
        assertEquals(2, sync.common.debug);
        assertEquals(true, sync.common.quiet);
        assertEquals(false, sync.notify);
        assertEquals(java.util.List.of("local", "remote"), sync.targets);
        assertEquals(null, parse(new InterimapCommand()).watch);
        assertEquals(45, parse(new InterimapCommand(), "--notify", "--watch=45").watch);
        assertEquals("\"quoted\" file", parse(new InterimapCommand(), "--config", "\"quoted\" file").config, "values as given");

        PullimapCommand pull = parse(new PullimapCommand(), "--idle", "acct", "--no-delivery", "other");
        assertEquals(PullimapCommand.DEFAULT_IDLE_SECONDS, pull.idle);
        assertEquals(java.util.List.of("acct", "other"), pull.sections);
        assertEquals(true, pull.noDelivery);
        assertEquals(60, parse(new PullimapCommand(), "--idle", "60", "acct").idle);
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, Launcher.run(new String[] {"interimap", "--foo"}));
        assertEquals(2, Launcher.run(new String[] {"interimap", "--conf=x"}), "no abbreviations");
        assertEquals(2, Launcher.run(new String[] {"interimap", "--config"}));
        assertEquals(2, Launcher.run(new String[] {"pullimap"}), "a SECTION is needed");
        assertEquals(2, Launcher.run(new String[] {"routes", "--duration", "abc", "x.yaml"}));
        assertEquals(2, Launcher.run(new String[] {"routes"}));
        assertEquals(0, Launcher.run(new String[] {"interimap", "--version"}));
        assertEquals(0, Launcher.run(new String[] {"pullimap", "-h"}));
    }

    private static <T extends Tool> T parse(T tool, String... args) throws Exception {
        org.apache.commons.cli.Options options = tool.options();
        tool.accept(org.apache.commons.cli.DefaultParser.builder().setAllowPartialMatching(false)
                .setStripLeadingAndTrailingQuotes(false).get().parse(options, tool.rewrite(args)));
        return tool;
    }
}
