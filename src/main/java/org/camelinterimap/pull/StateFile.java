package org.camelinterimap.pull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.camelinterimap.support.PrivateFiles;

/**
 * pullimap's statefile: 32-bit big-endian integers, UIDVALIDITY, then the last UIDNEXT (every
 * message with a smaller UID has been delivered, or refused for good by the delivery server and
 * left unseen on the IMAP server: the format has no room to say which, the \Seen flag does), then
 * the UIDs delivered during the batch in progress (left behind only by an interrupted run). Opened with synchronous writes (O_DSYNC) and
 * held under an exclusive POSIX record lock for the life of the process, as pullimap 0.5 does, so
 * the Perl tool and ours exclude each other.
 *
 * <p>Invariant: every UID the file holds, past the header, has been delivered.
 */
public final class StateFile implements AutoCloseable {
    private static final long MASK = 0xffffffffL;

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;
    private long uidValidity;
    private long uidNext;
    /** UIDs at or above {@link #uidNext} delivered but not yet covered by UIDNEXT; file order. */
    private final List<Long> delivered = new ArrayList<>();

    private StateFile(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Opens and locks the statefile.
     *
     * @param create whether to create it (mode 0600, and its directory, 0700) when missing; pullimap
     *        does not under --idle
     * @throws StateException when it cannot be opened, is locked by another process, or is malformed
     */
    public static StateFile open(Path path, boolean create) throws StateException {
        FileChannel ch;
        try {
            if (create) {
                // as pullimap(1): a new statefile is 0600, a directory made for it 0700
                if (path.getParent() != null) {
                    PrivateFiles.createDirectories(path.getParent());
                }
                PrivateFiles.createFile(path);
            }
            ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DSYNC);
        } catch (NoSuchFileException e) {
            throw new StateException("cannot open statefile " + path + ": no such file" + (create ? "" : " (it is not created under --idle)"));
        } catch (IOException e) {
            throw new StateException("cannot open statefile " + path + ": " + e.getMessage());
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new StateException("cannot lock statefile " + path + ": " + e.getMessage());
        }
        if (lock == null) {
            closeQuietly(ch);
            throw new StateException("cannot lock statefile " + path + ": another pullimap is running on it");
        }
        StateFile s = new StateFile(path, ch, lock);
        try {
            s.read();
        } catch (IOException | StateException e) {
            s.close();
            throw e instanceof StateException se ? se : new StateException("cannot read statefile " + path + ": " + e.getMessage());
        }
        return s;
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to recover
        }
    }

    private void read() throws IOException, StateException {
        long size = channel.size();
        if (size == 0) {
            return;
        }
        if (size % 4 != 0 || size < 8) {
            throw new StateException("statefile " + path + " is corrupt (" + size + " bytes, not 8 + 4n)");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        while (buf.hasRemaining() && channel.read(buf, buf.position()) >= 0) {
            // read it all
        }
        buf.flip();
        uidValidity = buf.getInt() & MASK;
        uidNext = buf.getInt() & MASK;
        while (buf.hasRemaining()) {
            delivered.add(buf.getInt() & MASK);
        }
    }

    public Path path() {
        return path;
    }

    /** Whether the file held no state yet (new account). */
    public boolean isNew() {
        return uidValidity == 0;
    }

    public long uidValidity() {
        return uidValidity;
    }

    public long uidNext() {
        return uidNext;
    }

    /** UIDs delivered by an interrupted batch, at or above UIDNEXT: deliver them never again. */
    public Set<Long> stalled() {
        Set<Long> out = new TreeSet<>();
        for (long uid : delivered) {
            if (uid >= uidNext) {
                out.add(uid);
            }
        }
        return out;
    }

    /** Every UID listed after the header (delivered, UIDNEXT not yet advanced past some of them). */
    public List<Long> listed() {
        return List.copyOf(delivered);
    }

    /** Starts the state of a new account: the mailbox's UIDVALIDITY, nothing delivered yet. */
    public void initialise(long validity) throws StateException {
        write(0, ByteBuffer.allocate(8).putInt((int) validity).putInt(1).flip());
        uidValidity = validity;
        uidNext = 1;
    }

    /** Records that {@code uid} has been delivered: one synchronous 4-byte append. */
    public void recordDelivered(long uid) throws StateException {
        long at = 8 + 4L * delivered.size();
        write(at, ByteBuffer.allocate(4).putInt((int) uid).flip());
        delivered.add(uid);
    }

    /**
     * Stores the new UIDNEXT, then keeps only the listed UIDs at or above it ({@code keep}, normally
     * none) and truncates. Each step leaves a valid file: UIDNEXT is written first, and the UIDs
     * that remain were all delivered.
     */
    public void commit(long newUidNext, Collection<Long> keep) throws StateException {
        write(4, ByteBuffer.allocate(4).putInt((int) newUidNext).flip());
        uidNext = newUidNext;
        List<Long> kept = new ArrayList<>(new TreeSet<>(keep));
        kept.removeIf(u -> u < newUidNext);
        if (!kept.isEmpty()) {
            ByteBuffer b = ByteBuffer.allocate(4 * kept.size());
            kept.forEach(u -> b.putInt((int) (long) u));
            write(8, b.flip());
        }
        try {
            channel.truncate(8 + 4L * kept.size());
        } catch (IOException e) {
            throw new StateException("cannot truncate statefile " + path + ": " + e.getMessage());
        }
        delivered.clear();
        delivered.addAll(kept);
    }

    private void write(long position, ByteBuffer buf) throws StateException {
        try {
            long at = position;
            while (buf.hasRemaining()) {
                at += channel.write(buf, at);
            }
        } catch (IOException e) {
            throw new StateException("cannot write statefile " + path + ": " + e.getMessage());
        }
    }

    /** Releases the lock and closes the file. */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException ignored) {
            // closing releases it anyway
        }
        closeQuietly(channel);
    }

    /** A statefile problem, with a one-line message for the user. */
    public static final class StateException extends Exception {
        public StateException(String message) {
            super(message);
        }
    }
}
