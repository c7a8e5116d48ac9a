package org.camelinterimap.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.camelinterimap.state.SqliteStateStore;
import org.camelinterimap.sync.MailServer;
import org.camelinterimap.sync.Side;
import org.camelinterimap.sync.SyncException;
import org.camelinterimap.sync.SyncLog;
import org.camelinterimap.sync.SyncPass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The APPEND route of routes/interimap.camel.yaml, loaded as bin/interimap loads it: a batch reaches
 * the target server and its UIDs come back; a failed APPEND comes back to the sync as its own error,
 * without Camel's error handler logging a stack trace on the way.
 */
class AppendRouteTest {
    private static final MailServer.Message MESSAGE = new MailServer.Message(7, Set.of("\\Seen"),
            "01-Feb-2020 10:11:12 +0000", "Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));

    @Test
    void aBatchIsAppendedAndAFailureReturnsToTheSyncUnlogged(@TempDir Path dir) throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (SqliteStateStore store = SqliteStateStore.open(dir.resolve("db"), null);
             DefaultCamelContext context = new DefaultCamelContext()) {
            SyncPass pass = new SyncPass(new SyncPass.Settings(List.of("*"), false, List.of(), null, 1, false),
                    () -> {
                        throw new SyncException("no servers in this test");
                    }, store, new ListLog());
            context.getRegistry().bind("interimapJob", new InterimapJob(pass, () -> { }));
            QresyncProcessor qresync = new QresyncProcessor();
            qresync.setAppendUri("direct:interimap-append");
            context.getRegistry().bind("qresyncProcessor", qresync);
            PluginHelper.getRoutesLoader(context).loadRoutes(
                    ResourceHelper.resolveMandatoryResource(context, "classpath:routes/interimap.camel.yaml"));
            context.start();
            ProducerTemplate template = context.createProducerTemplate();

            List<String> appended = new ArrayList<>();
            MailServer accepting = server((mailbox, messages) -> {
                appended.add(mailbox + ":" + messages.size());
                return List.of(41L);
            });
            Object uids = template.requestBody("direct:interimap-append",
                    new AppendBatch(Side.REMOTE, accepting, "INBOX", List.of(MESSAGE)));
            assertEquals(List.of(41L), uids);
            assertEquals(List.of("INBOX:1"), appended);

            MailServer refusing = server((mailbox, messages) -> {
                throw new SyncException("remote(INBOX): APPEND refused: NO [OVERQUOTA] Quota exceeded", true, null);
            });
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            CamelExecutionException e = assertThrows(CamelExecutionException.class, () -> template.requestBody(
                    "direct:interimap-append", new AppendBatch(Side.REMOTE, refusing, "INBOX", List.of(MESSAGE))));
            assertInstanceOf(SyncException.class, e.getCause());
            assertEquals("remote(INBOX): APPEND refused: NO [OVERQUOTA] Quota exceeded", e.getCause().getMessage());
        } finally {
            System.setErr(err);
        }
        String logged = captured.toString(StandardCharsets.UTF_8);
        assertFalse(logged.contains("Exception") || logged.contains("Failed delivery"), logged);
    }

    private interface Append {
        List<Long> append(String mailbox, List<MailServer.Message> messages) throws SyncException;
    }

    /** A server that can only APPEND. */
    private static MailServer server(Append append) {
        return (MailServer) Proxy.newProxyInstance(MailServer.class.getClassLoader(), new Class<?>[] {MailServer.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("append")) {
                        @SuppressWarnings("unchecked")
                        List<MailServer.Message> messages = (List<MailServer.Message>) args[1];
                        return append.append((String) args[0], messages);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static final class ListLog implements SyncLog {
        final List<String> lines = new ArrayList<>();

        @Override
        public synchronized void info(String component, String mailbox, String message) {
            lines.add(message);
        }

        @Override
        public synchronized void warn(String component, String mailbox, String message) {
            lines.add(message);
        }

        @Override
        public synchronized void error(String component, String mailbox, String message) {
            lines.add(message);
        }
    }
}
