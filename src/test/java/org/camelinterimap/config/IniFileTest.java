package org.camelinterimap.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IniFileTest {

    private static IniFile parse(String text) throws Exception {
        return IniFile.parse(Path.of("test.conf"), new StringReader(text));
    }

    @Test
    void defaultSectionSectionsAndVerbatimValues() throws Exception {
        IniFile ini = parse("database = a.db\n# comment\n; another\nlist-mailbox = \"INBOX\" \"a b\\x00c\"\n\n"
                + "[local]\ntype = tunnel\ncommand = /usr/bin/imap -c 'x;y' # not a comment\n[remote]\npassword = p#w;d\\x\n");
        assertEquals("a.db", ini.section(IniFile.DEFAULT_SECTION).get("database"));
        assertEquals("\"INBOX\" \"a b\\x00c\"", ini.section(IniFile.DEFAULT_SECTION).get("list-mailbox"));
        assertEquals("/usr/bin/imap -c 'x;y' # not a comment", ini.section("local").get("command"));
        assertEquals("p#w;d\\x", ini.section("remote").get("password"));
        assertTrue(ini.hasSection("local"));
        assertEquals(java.util.Map.of(), ini.section("nope"));
    }

    @Test
    void lineWithoutEqualsSignIsRefused(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("c"), "database = x\nno equals sign here\n[local]\ntype = imap\n");
        ConfigException e = assertThrows(ConfigException.class, () -> InterimapConfig.load(f, XdgPaths.fromSystem()));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("no equals sign here"), e.getMessage());
    }

    @Test
    void valueEndingInBackslashIsKeptVerbatim() throws Exception {
        IniFile ini = parse("[remote]\npassword = a\\\nport = 2\n");
        assertEquals("a\\", ini.section("remote").get("password"));
        assertEquals("2", ini.section("remote").get("port"));
    }

    @Test
    void missingFileIsAConfigError(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> IniFile.load(dir.resolve("absent")));
        assertTrue(e.getMessage().contains("no such configuration file"), e.getMessage());
    }

    @Test
    void unknownOptionIsRefused(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("c"), "frobnicate = yes\n[local]\ntype = imap\n[remote]\ntype = imap\n");
        XdgPaths xdg = XdgPaths.fromSystem();
        ConfigException e = assertThrows(ConfigException.class, () -> InterimapConfig.load(f, xdg));
        assertTrue(e.getMessage().contains("frobnicate"), e.getMessage());
    }

    @Test
    void maxConnectionsDefaultsToFourAndMustBePositive(@TempDir Path dir) throws Exception {
        XdgPaths xdg = XdgPaths.fromSystem();
        Path f = Files.writeString(dir.resolve("c"), "database = " + dir.resolve("db") + "\n[local]\ntype = imap\n"
                + "[remote]\ntype = imap\n");
        assertEquals(4, InterimapConfig.load(f, xdg).maxConnections());
        Files.writeString(f, "max-connections = 0\n[local]\ntype = imap\n[remote]\ntype = imap\n");
        assertThrows(ConfigException.class, () -> InterimapConfig.load(f, xdg));
        Files.writeString(f, "max-connections = 2\nlist-mailbox = INBOX \"a\\0b\"\n[local]\ntype = imap\n"
                + "[remote]\ntype = imap\nhost = mail.example.org\n");
        InterimapConfig c = InterimapConfig.load(f, xdg);
        assertEquals(2, c.maxConnections());
        assertEquals(List.of("INBOX", "a\0b"), c.listMailbox());
        assertTrue(c.database().endsWith("mail.example.org.db"), c.database().toString());
    }

    @Test
    void mailboxPatterns() {
        assertEquals(List.of("INBOX", "a b", "x\0y", "t\tq\"\\"),
                InterimapConfig.MailboxPatterns.parse("INBOX \"a b\"  \"x\\x00y\" \"t\\tq\\\"\\\\\""));
        assertEquals(List.of("*"), InterimapConfig.MailboxPatterns.parse("*"));
        assertEquals(List.of(), InterimapConfig.MailboxPatterns.parse("  "));
        assertThrows(IllegalArgumentException.class, () -> InterimapConfig.MailboxPatterns.parse("\"open"));
        assertThrows(IllegalArgumentException.class, () -> InterimapConfig.MailboxPatterns.parse("\"\\x1\""));
    }
}
