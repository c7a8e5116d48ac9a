package org.camelinterimap.component;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code interimap:} component: {@code interimap:name?job=#bean} polls an account pair, one
 * synchronization pass per poll. The job bean ({@link InterimapJob}) carries the configuration,
 * connections and state store; {@code repeatCount=1} gives interimap's one-shot run and a
 * {@code delay} its {@code --watch} interval.
 */
@org.apache.camel.spi.annotations.Component("interimap")
public class InterimapComponent extends DefaultComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        InterimapEndpoint endpoint = new InterimapEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
