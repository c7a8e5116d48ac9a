package org.camelinterimap.sync;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The bytes of one message being copied: held in memory when small, spooled to a private temporary
 * file (0600) when large, so that the memory a copy needs does not grow with the message. The
 * SHA-256 the crash-safety intents record is computed as the bytes arrive.
 *
 * <p>A spooled body must be {@link #discard()}ed once appended (or abandoned); a leftover file from a
 * killed process is a temporary file like any other.
 */
public final class MessageBody {
    private final byte[] bytes;
    private final Path spool;
    private final long size;
    private volatile String digest;

    private MessageBody(byte[] bytes, Path spool, long size, String digest) {
        this.bytes = bytes;
        this.spool = spool;
        this.size = size;
        this.digest = digest;
    }

    public static MessageBody of(byte[] bytes) {
        return new MessageBody(bytes, null, bytes.length, null);
    }

    public long size() {
        return size;
    }

    public boolean spooled() {
        return spool != null;
    }

    /** SHA-256 of the bytes, lower-case hex. */
    public String digest() {
        String d = digest;
        if (d == null) {
            MessageDigest md = sha256();
            md.update(bytes);
            d = digest = HexFormat.of().formatHex(md.digest());
        }
        return d;
    }

    /** The bytes from the start. */
    public InputStream open() throws IOException {
        return spool == null ? new ByteArrayInputStream(bytes) : Files.newInputStream(spool);
    }

    /** The bytes in memory: only for bodies that are not spooled (tests, small messages). */
    public byte[] bytes() {
        if (spool != null) {
            try {
                return Files.readAllBytes(spool);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bytes;
    }

    public void writeTo(OutputStream out) throws IOException {
        if (spool == null) {
            out.write(bytes);
        } else {
            Files.copy(spool, out);
        }
    }

    /** Deletes the spool file, if any; the body is unusable afterwards. */
    public void discard() {
        if (spool != null) {
            try {
                Files.deleteIfExists(spool);
            } catch (IOException e) {
                // a temporary file the system cleans anyway
            }
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Collects a body arriving in pieces into a spool file, digesting it on the way. */
    public static final class Spooler implements AutoCloseable {
        private final Path file;
        private final OutputStream out;
        private final MessageDigest md = sha256();
        private long size;
        private boolean done;

        public Spooler() throws IOException {
            file = Files.createTempFile("camel-interimap-", ".eml",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            out = Files.newOutputStream(file);
        }

        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            md.update(b, off, len);
            size += len;
        }

        public long size() {
            return size;
        }

        /** The complete body; the spooler is done. */
        public MessageBody finish() throws IOException {
            out.close();
            done = true;
            return new MessageBody(null, file, size, HexFormat.of().formatHex(md.digest()));
        }

        /** Abandons an unfinished body (its file is deleted). */
        @Override
        public void close() {
            if (!done) {
                try {
                    out.close();
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // a temporary file the system cleans anyway
                }
            }
        }
    }
}
