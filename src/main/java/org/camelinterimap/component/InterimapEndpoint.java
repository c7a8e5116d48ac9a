package org.camelinterimap.component;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.ScheduledPollEndpoint;

/** An account pair to keep in sync. Consumer only. */
@UriEndpoint(firstVersion = "0.1.0", scheme = "interimap", title = "InterIMAP", syntax = "interimap:name",
        consumerOnly = true, category = {Category.MAIL})
public class InterimapEndpoint extends ScheduledPollEndpoint {
    @UriPath(description = "A name for the account pair, used in logs")
    @Metadata(required = true)
    private final String name;

    @UriParam(label = "consumer", description = "The account pair to sync: configuration, connections and state store")
    @Metadata(required = true)
    private InterimapJob job;

    public InterimapEndpoint(String uri, InterimapComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public InterimapJob getJob() {
        return job;
    }

    public void setJob(InterimapJob job) {
        this.job = job;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("interimap: endpoints only consume (one exchange per sync pass)");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (job == null) {
            throw new IllegalArgumentException("interimap:" + name + " needs the job option (#bean of type InterimapJob)");
        }
        InterimapConsumer consumer = new InterimapConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }
}
