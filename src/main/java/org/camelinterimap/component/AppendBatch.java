package org.camelinterimap.component;

import java.util.List;

import org.camelinterimap.sync.MailServer;
import org.camelinterimap.sync.Side;

/**
 * The body of an append exchange: one batch of copied messages for one mailbox of one side. The
 * {@code interimap:} producer APPENDs it to {@code target} and replies with the new UIDs
 * ({@code List<Long>}, in the order of {@code messages}).
 */
public record AppendBatch(Side side, MailServer target, String mailbox, List<MailServer.Message> messages) {
}
