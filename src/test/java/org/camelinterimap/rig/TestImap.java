package org.camelinterimap.rig;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessageRemovedException;
import jakarta.mail.Session;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;

/**
 * A plain IMAP client for tests (Jakarta Mail's object model, independent of the code under test):
 * puts mail on a rig server and reads back what is there.
 */
public final class TestImap implements AutoCloseable {
    private final IMAPStore store;

    private TestImap(IMAPStore store) {
        this.store = store;
    }

    public static TestImap connect(DovecotRig.Server server, String user) throws Exception {
        Properties props = new Properties();
        props.put("mail.imap.host", "127.0.0.1");
        props.put("mail.imap.port", String.valueOf(server.imapPort()));
        props.put("mail.imap.starttls.enable", "false");
        IMAPStore store = (IMAPStore) Session.getInstance(props).getStore("imap");
        store.connect(user, DovecotRig.PASSWORD);
        return new TestImap(store);
    }

    /** A message as the tests see it. */
    public record Msg(long uid, Set<String> flags, String subject, byte[] raw, Date internalDate) {
    }

    public static byte[] message(String subject, String body) {
        return ("From: test@example.org\r\nTo: user@example.org\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + subject.replaceAll("[^A-Za-z0-9]", "") + "." + System.nanoTime() + "@test>\r\n\r\n"
                + body + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public char separator() throws Exception {
        return store.getDefaultFolder().getSeparator();
    }

    public void create(String name, boolean subscribe) throws Exception {
        Folder f = store.getFolder(name);
        if (!f.exists()) {
            f.create(Folder.HOLDS_MESSAGES | Folder.HOLDS_FOLDERS);
        }
        f.setSubscribed(subscribe);
    }

    public boolean exists(String name) throws Exception {
        return store.getFolder(name).exists();
    }

    public boolean subscribed(String name) throws Exception {
        return store.getFolder(name).isSubscribed();
    }

    /** Every mailbox's full name. */
    public List<String> folders() throws Exception {
        List<String> out = new ArrayList<>();
        for (Folder f : store.getDefaultFolder().list("*")) {
            out.add(f.getFullName());
        }
        return out;
    }

    /** Appends one message, bytes unchanged, with the given INTERNALDATE (or now), and returns its UID. */
    public long append(String folder, byte[] raw, Date internalDate, String... flags) throws Exception {
        IMAPFolder f = (IMAPFolder) store.getFolder(folder);
        MimeMessage m = new MimeMessage(null, new ByteArrayInputStream(raw)) {
            @Override
            protected void updateMessageID() {
                // keep the message as built
            }

            @Override
            public Date getReceivedDate() {
                return internalDate; // APPEND sends it as INTERNALDATE (null: the server's clock)
            }
        };
        m.setFlags(flags(flags), true);
        AppendUID[] uids = f.appendUIDMessages(new Message[] {m});
        return uids[0].uid;
    }

    public long append(String folder, String subject, String... flags) throws Exception {
        return append(folder, message(subject, "body of " + subject), null, flags);
    }

    /** IMAP flag names as Jakarta Mail flags. */
    private static Flags flags(String... names) {
        Flags fl = new Flags();
        for (String flag : names) {
            switch (flag) {
                case "\\Seen" -> fl.add(Flags.Flag.SEEN);
                case "\\Flagged" -> fl.add(Flags.Flag.FLAGGED);
                case "\\Answered" -> fl.add(Flags.Flag.ANSWERED);
                case "\\Draft" -> fl.add(Flags.Flag.DRAFT);
                case "\\Deleted" -> fl.add(Flags.Flag.DELETED);
                default -> fl.add(flag);
            }
        }
        return fl;
    }

    /** Flags as IMAP names them ({@code \\Seen}, keywords as they are). */
    private static Set<String> flagNames(Flags fl) {
        Set<String> flags = new TreeSet<>();
        for (Flags.Flag sf : fl.getSystemFlags()) {
            if (sf == Flags.Flag.SEEN) {
                flags.add("\\Seen");
            } else if (sf == Flags.Flag.FLAGGED) {
                flags.add("\\Flagged");
            } else if (sf == Flags.Flag.ANSWERED) {
                flags.add("\\Answered");
            } else if (sf == Flags.Flag.DRAFT) {
                flags.add("\\Draft");
            } else if (sf == Flags.Flag.DELETED) {
                flags.add("\\Deleted");
            }
        }
        for (String uf : fl.getUserFlags()) {
            flags.add(uf);
        }
        return flags;
    }

    public List<Msg> messages(String folder) throws Exception {
        IMAPFolder f = (IMAPFolder) store.getFolder(folder);
        f.open(Folder.READ_ONLY);
        try {
            List<Msg> out = new ArrayList<>();
            for (Message m : f.getMessages()) {
                Set<String> flags = flagNames(m.getFlags());
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                m.writeTo(raw);
                out.add(new Msg(f.getUID(m), flags, m.getSubject(), raw.toByteArray(), m.getReceivedDate()));
            }
            return out;
        } finally {
            f.close(false);
        }
    }

    /** Sets (add=true) or clears flags of one message. */
    public void flag(String folder, long uid, boolean add, String... flags) throws Exception {
        IMAPFolder f = (IMAPFolder) store.getFolder(folder);
        f.open(Folder.READ_WRITE);
        try {
            f.getMessageByUID(uid).setFlags(flags(flags), add);
        } finally {
            f.close(false);
        }
    }

    /** Deletes messages by UID (STORE \Deleted then EXPUNGE). */
    public void expunge(String folder, long... uids) throws Exception {
        IMAPFolder f = (IMAPFolder) store.getFolder(folder);
        f.open(Folder.READ_WRITE);
        try {
            List<Message> ms = new ArrayList<>();
            for (long uid : uids) {
                Message m = f.getMessageByUID(uid);
                if (m != null) {
                    m.setFlag(Flags.Flag.DELETED, true);
                    ms.add(m);
                }
            }
            f.expunge(ms.toArray(new Message[0]));
        } finally {
            f.close(false);
        }
    }

    /** A message's UID, flags and Message-ID (null when it has none), without its body. */
    public record Header(long uid, Set<String> flags, String messageId) {
    }

    /**
     * The UID, flags and Message-ID of every message of a folder, in one FETCH. Messages expunged
     * meanwhile (by another client) are left out.
     */
    public List<Header> headers(String folder) throws Exception {
        IMAPFolder f = (IMAPFolder) store.getFolder(folder);
        f.open(Folder.READ_ONLY);
        try {
            Message[] ms = f.getMessages();
            FetchProfile fp = new FetchProfile();
            fp.add(UIDFolder.FetchProfileItem.UID);
            fp.add(FetchProfile.Item.FLAGS);
            fp.add("Message-ID");
            f.fetch(ms, fp);
            List<Header> out = new ArrayList<>();
            for (Message m : ms) {
                try {
                    Set<String> flags = flagNames(m.getFlags());
                    String[] ids = m.getHeader("Message-ID");
                    out.add(new Header(f.getUID(m), flags, ids == null || ids.length == 0 ? null : ids[0].trim()));
                } catch (MessageRemovedException e) {
                    // expunged while we read
                }
            }
            return out;
        } finally {
            f.close(false);
        }
    }

    @Override
    public void close() throws Exception {
        store.close();
    }
}
