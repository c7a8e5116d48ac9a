package org.camelinterimap.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** --watch[=SECONDS] and --idle[=SECONDS]: a detached word is a mailbox, an attached one must be a number. */
class OptionalSecondsTest {
    @Test
    void anAttachedValueMustBeANumber() {
        assertEquals("Value \"abc\" invalid for option watch (number expected)",
                OptionalSeconds.invalidAttachedValue(new String[] {"--config=x", "--watch=abc"}));
        assertEquals("Value \"\" invalid for option idle (number expected)",
                OptionalSeconds.invalidAttachedValue(new String[] {"--idle=", "acct"}));
        assertNull(OptionalSeconds.invalidAttachedValue(new String[] {"--watch=30", "INBOX"}));
        assertNull(OptionalSeconds.invalidAttachedValue(new String[] {"--watch", "INBOX"}), "INBOX is a mailbox");
        assertNull(OptionalSeconds.invalidAttachedValue(new String[] {"--", "--watch=abc"}), "after --, a mailbox name");
    }

    @Test
    void theCommandLineIsRefusedAsAUsageError() {
        assertEquals(2, Launcher.run(new String[] {"interimap", "--watch=abc"}));
        assertEquals(2, Launcher.run(new String[] {"pullimap", "--idle=soon", "acct"}));
    }
}
