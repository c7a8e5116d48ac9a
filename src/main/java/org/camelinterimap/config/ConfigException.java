package org.camelinterimap.config;

/** A configuration problem the user must fix; its message is one line naming the file and line when known. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
