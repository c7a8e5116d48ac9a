package org.camelinterimap.pull;

import org.camelinterimap.config.PullimapConfig.DeliverMethod;
import org.camelinterimap.pull.MailTransferClient.DeliveryException;

/**
 * The SMTP or LMTP session of one section, shared by the messages of a batch: opened (EHLO/LHLO)
 * by the first message delivered, ended (QUIT) by {@link #endBatch} once the batch is over, as
 * pullimap keeps one transmission channel per UID FETCH. The delivery producers ({@code lmtp:},
 * and camel-mail's {@code smtp:} through {@link RawMailSender}) deliver through it.
 */
public final class DeliverySession {
    private final DeliverMethod method;
    private final String ehlo;
    private MailTransferClient client;

    public DeliverySession(DeliverMethod method, String ehlo) {
        this.method = method;
        this.ehlo = ehlo;
    }

    public DeliverMethod method() {
        return method;
    }

    /** Delivers one message to its recipients; a failed session is dropped and reopened by the next message. */
    public synchronized void deliver(RawMail mail) throws DeliveryException {
        if (client == null) {
            client = MailTransferClient.connect(method.lmtp(), method.host(), method.port(), ehlo);
        }
        try {
            client.deliver(mail.envelopeFrom(), mail.recipients(), mail.body());
        } catch (DeliveryException e) {
            if (!e.sessionUsable()) {
                client.close();
                client = null;
            }
            throw e;
        }
    }

    /** QUIT, if a session was opened. */
    public synchronized void endBatch() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
