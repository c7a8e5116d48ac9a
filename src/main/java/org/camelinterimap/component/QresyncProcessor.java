package org.camelinterimap.component;

import java.util.List;
import java.util.Map;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.camelinterimap.sync.Appender;
import org.camelinterimap.sync.SyncException;
import org.camelinterimap.sync.SyncPass;
import org.camelinterimap.sync.SyncStats;

/**
 * Runs the sync pass carried by the exchange: for every mailbox whose UIDNEXT/HIGHESTMODSEQ moved,
 * computes the QRESYNC diff against the stored state and applies it to both servers. Leaves the
 * pass's {@link SyncStats} as body.
 *
 * <p>With an {@linkplain #setAppendUri append URI}, every batch of copied messages is sent there as
 * an {@link AppendBatch} exchange, synchronously, and the route must end in an {@code interimap:}
 * producer (or anything else that APPENDs the batch and replies with its new UIDs). Without one, the
 * engine appends directly.
 */
public class QresyncProcessor implements Processor {
    private String appendUri;
    private volatile ProducerTemplate template;

    public String getAppendUri() {
        return appendUri;
    }

    /** Where each APPEND batch goes, e.g. {@code direct:interimap-append}; null to append directly. */
    public void setAppendUri(String appendUri) {
        this.appendUri = appendUri;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        SyncPass pass = exchange.getIn().getMandatoryBody(SyncPass.class);
        if (appendUri != null) {
            pass.appender(dispatcher(exchange));
        }
        SyncStats stats = pass.run();
        exchange.getIn().setBody(stats);
        exchange.getIn().setHeader(InterimapConstants.PASS_OK, stats.ok());
    }

    private Appender dispatcher(Exchange exchange) {
        if (template == null) {
            template = exchange.getContext().createProducerTemplate();
        }
        ProducerTemplate producer = template;
        String uri = appendUri;
        return (side, target, mailbox, messages) -> {
            AppendBatch batch = new AppendBatch(side, target, mailbox, messages);
            try {
                @SuppressWarnings("unchecked")
                List<Long> uids = producer.requestBodyAndHeaders(uri, batch, Map.of(
                        InterimapConstants.SIDE, side.label(), InterimapConstants.MAILBOX, mailbox,
                        InterimapConstants.MESSAGES, messages.size()), List.class);
                if (uids == null) {
                    throw new SyncException(side.label() + "(" + mailbox + "): " + uri + " replied without the new UIDs", true, null);
                }
                return uids;
            } catch (CamelExecutionException e) {
                if (e.getCause() instanceof SyncException s) {
                    throw s;
                }
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new SyncException(side.label() + "(" + mailbox + "): APPEND through " + uri + " failed: "
                        + cause.getMessage(), true, cause);
            }
        };
    }
}
