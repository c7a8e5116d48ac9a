package org.camelinterimap.pull;

/** Headers of the exchanges a {@code pullimap:} consumer emits, one per message; the body is a {@link RawMail}. */
public final class PullimapConstants {
    /** The section (account) the message was pulled for. */
    public static final String SECTION = "CamelPullimapSection";
    /** The mailbox it was pulled from. */
    public static final String MAILBOX = "CamelPullimapMailbox";
    /** Its UID in that mailbox. */
    public static final String UID = "CamelPullimapUid";
    /** Its INTERNALDATE as the server wrote it. */
    public static final String INTERNAL_DATE = "CamelPullimapInternalDate";

    private PullimapConstants() {
    }
}
