package org.camelinterimap.pull;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.DefaultProducer;

/** Delivers the exchange's {@link RawMail} to its envelope recipients; a refusal fails the exchange. */
public class LmtpProducer extends DefaultProducer {
    private final LmtpEndpoint endpoint;

    public LmtpProducer(LmtpEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Object body = exchange.getIn().getBody();
        if (!(body instanceof RawMail mail)) {
            throw new InvalidPayloadException(exchange, RawMail.class);
        }
        endpoint.getSession().deliver(mail);
    }
}
