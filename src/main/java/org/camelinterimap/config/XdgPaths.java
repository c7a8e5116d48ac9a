package org.camelinterimap.config;

import java.nio.file.Path;
import java.util.Map;

/** Where the original tools look for files: the XDG base directories, with their documented fallbacks. */
public final class XdgPaths {
    private final Map<String, String> env;

    public XdgPaths(Map<String, String> env) {
        this.env = env;
    }

    public static XdgPaths fromSystem() {
        return new XdgPaths(System.getenv());
    }

    private Path home() {
        String home = env.get("HOME");
        return Path.of(home != null && !home.isEmpty() ? home : System.getProperty("user.home"));
    }

    /** {@code $XDG_CONFIG_HOME/<tool>}, or {@code ~/.config/<tool>}. */
    public Path configDir(String tool) {
        String xdg = env.get("XDG_CONFIG_HOME");
        return (xdg != null && !xdg.isEmpty() ? Path.of(xdg) : home().resolve(".config")).resolve(tool);
    }

    /** {@code $XDG_DATA_HOME/<tool>}, or {@code ~/.local/share/<tool>}. */
    public Path dataDir(String tool) {
        String xdg = env.get("XDG_DATA_HOME");
        return (xdg != null && !xdg.isEmpty() ? Path.of(xdg) : home().resolve(".local").resolve("share")).resolve(tool);
    }

    /** The configuration file to read: the default one, or {@code --config}, relative paths starting from the config dir. */
    public Path configFile(String tool, String option) {
        if (option == null) {
            return configDir(tool).resolve("config");
        }
        return configDir(tool).resolve(option);
    }
}
