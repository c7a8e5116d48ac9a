package org.camelinterimap.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.camelinterimap.config.InterimapConfig;
import org.junit.jupiter.api.Test;

class LogPrefixTest {

    @Test
    void defaultPrefixAsInterimapPrintsIt() {
        LogPrefix p = new LogPrefix(InterimapConfig.DEFAULT_LOG_PREFIX);
        assertEquals("local(INBOX): ", p.expand("local", "INBOX"));
        assertEquals("remote: ", p.expand("remote", null));
        assertEquals("database: ", p.expand("database", ""));
        assertEquals("", p.expand(null, null));
        assertEquals("", p.expand(null, "INBOX"), "%m only shows inside the %n conditional");
    }

    @Test
    void plainTextPercentAndEscapes() {
        assertEquals("[local] 100% INBOX", new LogPrefix("[%n] 100%% %m").expand("local", "INBOX"));
        assertEquals("a?b&c\\d", new LogPrefix("a\\?b\\&c\\\\d").expand("x", "y"));
        assertEquals("mbox=?INBOX", new LogPrefix("%?m?mbox=\\?%m&none?").expand("n", "INBOX"));
        assertEquals("none", new LogPrefix("%?m?mbox=%m&none?").expand("n", null));
        assertEquals("", new LogPrefix("%?m?only?").expand("n", null));
    }

    @Test
    void nestedConditionals() {
        LogPrefix p = new LogPrefix("%?n?<%n%?m?:%m?>&-?");
        assertEquals("<local:INBOX>", p.expand("local", "INBOX"));
        assertEquals("<local>", p.expand("local", null));
        assertEquals("-", p.expand(null, null));
    }

    @Test
    void malformedFormatsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LogPrefix("%?n?unterminated").expand("a", "b"));
        assertThrows(IllegalArgumentException.class, () -> new LogPrefix("%?nX").expand("a", "b"));
        assertThrows(IllegalArgumentException.class, () -> new LogPrefix("stray ? mark").expand("a", "b"));
    }
}
