package org.camelinterimap.component;

/** Header names set on the exchanges of the {@code interimap:} component. */
public final class InterimapConstants {
    /** Number of the pass (1 for the first poll). */
    public static final String PASS = "CamelInterimapPass";
    /** Whether the pass synced every mailbox. */
    public static final String PASS_OK = "CamelInterimapPassOk";
    /** On an append exchange: the target side, {@code local} or {@code remote}. */
    public static final String SIDE = "CamelInterimapSide";
    /** On an append exchange: the target mailbox as that server names it. */
    public static final String MAILBOX = "CamelInterimapMailbox";
    /** On an append exchange: the number of messages in the batch. */
    public static final String MESSAGES = "CamelInterimapMessages";

    private InterimapConstants() {
    }
}
