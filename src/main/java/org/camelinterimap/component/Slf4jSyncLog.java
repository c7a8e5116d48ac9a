package org.camelinterimap.component;

import org.camelinterimap.sync.SyncLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The sync's messages through SLF4J, for endpoints configured by file inside another Camel application. */
public final class Slf4jSyncLog implements SyncLog {
    private final Logger logger;

    public Slf4jSyncLog(String name) {
        this.logger = LoggerFactory.getLogger("org.camelinterimap." + name);
    }

    private static String line(String component, String mailbox, String message) {
        if (component == null) {
            return message;
        }
        return component + (mailbox == null ? "" : "(" + mailbox + ")") + ": " + message;
    }

    @Override
    public void info(String component, String mailbox, String message) {
        logger.info(line(component, mailbox, message));
    }

    @Override
    public void warn(String component, String mailbox, String message) {
        logger.warn(line(component, mailbox, message));
    }

    @Override
    public void error(String component, String mailbox, String message) {
        logger.error(line(component, mailbox, message));
    }

    @Override
    public boolean debugEnabled() {
        return logger.isDebugEnabled();
    }

    @Override
    public void debug(String component, String mailbox, String message) {
        logger.debug(line(component, mailbox, message));
    }
}
