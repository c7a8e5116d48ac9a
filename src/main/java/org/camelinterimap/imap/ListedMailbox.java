package org.camelinterimap.imap;

import java.util.Set;

/**
 * One mailbox from {@code LIST ... RETURN (SUBSCRIBED STATUS (...))}: its name as sent on the
 * wire (modified UTF-7), its hierarchy delimiter ({@code null} for a flat name space), its
 * attributes in upper case, and its STATUS values (-1 when not returned, e.g. for \NoSelect).
 */
public record ListedMailbox(String name, Character delimiter, Set<String> attributes,
                            long uidValidity, long uidNext, long highestModSeq) {

    public boolean selectable() {
        return !attributes.contains("\\NOSELECT") && !attributes.contains("\\NONEXISTENT");
    }

    public boolean subscribed() {
        return attributes.contains("\\SUBSCRIBED");
    }

    public ListedMailbox withStatus(long uidValidity, long uidNext, long highestModSeq) {
        return new ListedMailbox(name, delimiter, attributes, uidValidity, uidNext, highestModSeq);
    }
}
