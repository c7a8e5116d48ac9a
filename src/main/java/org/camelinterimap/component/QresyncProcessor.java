package org.camelinterimap.component;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.camelinterimap.sync.SyncPass;
import org.camelinterimap.sync.SyncStats;

/**
 * Runs the sync pass carried by the exchange: for every mailbox whose UIDNEXT/HIGHESTMODSEQ moved,
 * computes the QRESYNC diff against the stored state and applies it to both servers. Leaves the
 * pass's {@link SyncStats} as body.
 */
public class QresyncProcessor implements Processor {
    @Override
    public void process(Exchange exchange) throws Exception {
        SyncPass pass = exchange.getIn().getMandatoryBody(SyncPass.class);
        SyncStats stats = pass.run();
        exchange.getIn().setBody(stats);
        exchange.getIn().setHeader(InterimapConstants.PASS_OK, stats.ok());
    }
}
