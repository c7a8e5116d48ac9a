package org.camelinterimap.sync;

import java.util.List;

/**
 * How the engine performs the APPEND of one batch of copied messages, so that an embedding
 * application (the Camel route) can put the batch through its own endpoint.
 *
 * <p>Contract: synchronous, in the calling thread, on {@code target} (which has no mailbox selected
 * for this purpose and must not be used for anything else meanwhile), returning the new UIDs in
 * the order of {@code messages}. The engine has recorded its intent before the call and records
 * the UID pairs after it returns; an implementation that queued the batch for later would break
 * that crash-safety ordering.
 */
@FunctionalInterface
public interface Appender {
    /** Appends straight to the server. */
    Appender DIRECT = (side, target, mailbox, messages) -> target.append(mailbox, messages);

    List<Long> append(Side side, MailServer target, String mailbox, List<MailServer.Message> messages) throws SyncException;
}
