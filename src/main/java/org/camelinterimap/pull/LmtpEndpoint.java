package org.camelinterimap.pull;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/** An LMTP server to deliver to. Producer only. */
@UriEndpoint(firstVersion = "0.1.0", scheme = "lmtp", title = "LMTP", syntax = "lmtp:server",
        producerOnly = true, category = {Category.MAIL})
public class LmtpEndpoint extends DefaultEndpoint {
    @UriPath(description = "The LMTP server, host:port, as named in deliver-method")
    @Metadata(required = true)
    private final String server;

    @UriParam(label = "producer", description = "The delivery session (one per section) that connects to the server and is ended after each batch")
    @Metadata(required = true)
    private DeliverySession session;

    public LmtpEndpoint(String uri, LmtpComponent component, String server) {
        super(uri, component);
        this.server = server;
    }

    public String getServer() {
        return server;
    }

    public DeliverySession getSession() {
        return session;
    }

    public void setSession(DeliverySession session) {
        this.session = session;
    }

    @Override
    public Producer createProducer() {
        if (session == null) {
            throw new IllegalArgumentException("lmtp:" + server + " needs the session option (#bean of type DeliverySession)");
        }
        if (!session.method().lmtp()) {
            throw new IllegalArgumentException("lmtp:" + server + ": the session delivers over " + session.method());
        }
        return new LmtpProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("lmtp: endpoints only deliver");
    }
}
