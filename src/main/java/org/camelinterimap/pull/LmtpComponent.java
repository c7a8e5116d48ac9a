package org.camelinterimap.pull;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code lmtp:} component: {@code lmtp:host:port?session=#bean} delivers {@link RawMail}
 * bodies, unchanged, over LMTP (RFC 2033) through a {@link DeliverySession}.
 */
@org.apache.camel.spi.annotations.Component("lmtp")
public class LmtpComponent extends DefaultComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        LmtpEndpoint endpoint = new LmtpEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
