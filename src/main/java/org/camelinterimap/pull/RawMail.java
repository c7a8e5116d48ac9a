package org.camelinterimap.pull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.StreamProvider;

import org.camelinterimap.sync.MessageBody;

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
    private final MessageBody raw;
    private final String envelopeFrom;
    private final List<String> recipients;

    public RawMail(long uid, String internalDate, byte[] raw, List<String> recipients) {
        this(uid, internalDate, MessageBody.of(raw), recipients);
    }

    /** A message whose bytes may be spooled: only its header is read here (the first MiB at most). */
    public RawMail(long uid, String internalDate, MessageBody raw, List<String> recipients) {
        super((Session) null);
        this.uid = uid;
        this.internalDate = internalDate;
        this.raw = raw;
        this.envelopeFrom = envelopeFrom(head(raw));
        this.recipients = List.copyOf(recipients);
    }

    /** The first MiB of the message: its header, for the envelope sender. */
    private static byte[] head(MessageBody body) {
        if (!body.spooled()) {
            return body.bytes();
        }
        try (InputStream in = body.open()) {
            return in.readNBytes(1 << 20);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long uid() {
        return uid;
    }

    public String internalDate() {
        return internalDate;
    }

    public byte[] raw() {
        return raw.bytes();
    }

    /** The message's bytes, in memory or spooled; {@link #discard} when delivered. */
    public MessageBody body() {
        return raw;
    }

    /** Deletes the spool file of a large message. */
    public void discard() {
        raw.discard();
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
        raw.writeTo(os);
    }

    @Override
    public int getSize() {
        return (int) Math.min(Integer.MAX_VALUE, raw.size());
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
