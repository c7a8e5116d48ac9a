package org.camelinterimap.component;

/** Header names set on the exchanges of the {@code interimap:} component. */
public final class InterimapConstants {
    /** Number of the pass (1 for the first poll). */
    public static final String PASS = "CamelInterimapPass";
    /** Whether the pass synced every mailbox. */
    public static final String PASS_OK = "CamelInterimapPassOk";

    private InterimapConstants() {
    }
}
