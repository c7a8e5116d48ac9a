package org.camelinterimap.pull;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.StreamProvider;

/**
 * A pulled message as the route carries it: its bytes exactly as fetched and its SMTP envelope.
 * A {@link MimeMessage} so that camel-mail's {@code smtp:} producer passes it untouched to the
 * {@link RawMailSender} (it builds a new message only from other bodies); {@link #writeTo} writes
 * the fetched bytes, never a re-serialisation.
 *
 * @see #envelopeFrom(byte[]) for the reverse-path
 */
public final class RawMail extends MimeMessage {
    static {
        // Every MimeMessage asks Jakarta Mail for its StreamProvider, which, unless this property
        // names it, is looked up anew through ServiceLoader (jar reads) for each message. Name the
        // provider that lookup would find, so a message costs no I/O.
        if (System.getProperty(StreamProvider.class.getName()) == null) {
            System.setProperty(StreamProvider.class.getName(), "org.eclipse.angus.mail.util.MailStreamProvider");
        }
    }

    private final long uid;
    private final String internalDate;
    private final byte[] raw;
    private final String envelopeFrom;
    private final List<String> recipients;

    public RawMail(long uid, String internalDate, byte[] raw, List<String> recipients) {
        super((Session) null);
        this.uid = uid;
        this.internalDate = internalDate;
        this.raw = raw;
        this.envelopeFrom = envelopeFrom(raw);
        this.recipients = List.copyOf(recipients);
    }

    public long uid() {
        return uid;
    }

    public String internalDate() {
        return internalDate;
    }

    public byte[] raw() {
        return raw;
    }

    /**
     * The reverse-path for MAIL FROM, without angle brackets; empty for the null reverse-path.
     * Always a valid RFC 5321 address: printable ASCII, no space, no angle bracket.
     */
    public String envelopeFrom() {
        return envelopeFrom;
    }

    public List<String> recipients() {
        return recipients;
    }

    @Override
    public void writeTo(OutputStream os) throws IOException {
        os.write(raw);
    }

    @Override
    public int getSize() {
        return raw.length;
    }

    /**
     * The reverse-path of the message as pullimap(1) takes it (the ENVELOPE sender: Sender, else
     * From), or empty (the null reverse-path) when that header gives no valid address.
     *
     * @see EnvelopeSender
     */
    static String envelopeFrom(byte[] raw) {
        return EnvelopeSender.of(raw);
    }
}
