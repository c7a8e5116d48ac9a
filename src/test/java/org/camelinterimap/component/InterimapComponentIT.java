package org.camelinterimap.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.camelinterimap.rig.DovecotRig;
import org.camelinterimap.rig.TestImap;
import org.camelinterimap.sync.SyncStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The component embedded in another Camel application: a route consumes {@code interimap:} with
 * just a configuration file, runs the QRESYNC processor, and sees each pass's statistics.
 */
@ExtendWith(DovecotRig.class)
class InterimapComponentIT extends CamelTestSupport {
    private static final String USER = DovecotRig.user("embedded");
    private Path dir;

    @Override
    protected RoutesBuilder createRouteBuilder() throws Exception {
        DovecotRig.ensureStarted();
        dir = Files.createTempDirectory("embedded");
        Path config = DovecotRig.writeInterimapConfig(dir, USER, "");
        try (TestImap local = TestImap.connect(DovecotRig.local(), USER)) {
            local.append("INBOX", "embedded one");
            local.append("INBOX", "embedded two", "\\Flagged");
        }
        return new RouteBuilder() {
            @Override
            public void configure() {
                QresyncProcessor qresync = new QresyncProcessor();
                qresync.setAppendUri("direct:append");
                from("interimap:pair?configFile=" + config + "&repeatCount=2&delay=100&initialDelay=0")
                        .routeId("embedded-sync")
                        .process(qresync)
                        .to("mock:passes");
                // the APPEND step as a route of the embedding application: seen, then appended
                from("direct:append").routeId("embedded-append")
                        .to("mock:appends")
                        .to("interimap:append");
            }
        };
    }

    @Test
    void eachPollIsOnePassAndTheSecondHasNothingToDo() throws Exception {
        MockEndpoint passes = getMockEndpoint("mock:passes");
        passes.expectedMessageCount(2);
        passes.expectedHeaderValuesReceivedInAnyOrder(InterimapConstants.PASS, 1L, 2L);
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("embedded-sync").whenDone(2).create();
        assertTrue(done.matches(60, TimeUnit.SECONDS), "two passes");
        passes.assertIsSatisfied();

        SyncStats first = passes.getExchanges().get(0).getIn().getBody(SyncStats.class);
        SyncStats second = passes.getExchanges().get(1).getIn().getBody(SyncStats.class);
        assertTrue(first.ok());
        assertEquals(2, first.messagesCopied());
        assertEquals(0, second.messagesCopied());
        assertEquals(0, second.mailboxesSynced(), "an unchanged mailbox is not even selected");
        assertEquals(Boolean.TRUE, passes.getExchanges().get(1).getIn().getHeader(InterimapConstants.PASS_OK));
        try (TestImap remote = TestImap.connect(DovecotRig.remote(), USER)) {
            assertEquals(2, remote.messages("INBOX").size());
        }

        MockEndpoint appends = getMockEndpoint("mock:appends");
        assertEquals(1, appends.getReceivedCounter(), "one batch for the two messages");
        org.apache.camel.Message batch = appends.getExchanges().get(0).getIn();
        assertEquals("remote", batch.getHeader(InterimapConstants.SIDE));
        assertEquals("INBOX", batch.getHeader(InterimapConstants.MAILBOX));
        assertEquals(2, batch.getHeader(InterimapConstants.MESSAGES));
        assertEquals(2, batch.getBody(AppendBatch.class).messages().size());
    }
}
