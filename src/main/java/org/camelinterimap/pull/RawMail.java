package org.camelinterimap.pull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
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

    /** The reverse-path for MAIL FROM, without angle brackets; empty for the null reverse-path. */
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
     * The address of the message's ENVELOPE sender (RFC 3501 section 7.4.2: the Sender header,
     * else From), as pullimap uses for MAIL FROM; empty when there is none or it cannot be parsed.
     */
    static String envelopeFrom(byte[] raw) {
        try {
            InternetHeaders headers = new InternetHeaders(new ByteArrayInputStream(raw));
            for (String name : new String[] {"Sender", "From"}) {
                String value = headers.getHeader(name, ",");
                if (value == null || value.isBlank()) {
                    continue;
                }
                try {
                    InternetAddress[] addresses = InternetAddress.parseHeader(value, false);
                    if (addresses.length > 0 && addresses[0].getAddress() != null) {
                        return addresses[0].getAddress();
                    }
                } catch (AddressException e) {
                    // unparsable: try the next header
                }
            }
        } catch (MessagingException e) {
            // no header block
        }
        return "";
    }
}
