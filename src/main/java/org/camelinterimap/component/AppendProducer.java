package org.camelinterimap.component;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * The APPEND step of the sync as a Camel producer: takes an {@link AppendBatch} body, appends the
 * batch to its target server (MULTIAPPEND when offered) and leaves the new UIDs as body. It runs in
 * the caller's thread: the engine waits for the UIDs to record them.
 */
public class AppendProducer extends DefaultProducer {
    public AppendProducer(InterimapEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        AppendBatch batch = exchange.getIn().getMandatoryBody(AppendBatch.class);
        List<Long> uids = batch.target().append(batch.mailbox(), batch.messages());
        exchange.getMessage().setBody(uids);
    }
}
