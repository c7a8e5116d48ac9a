package org.camelinterimap.imap;

import java.util.List;

/**
 * What one untagged FETCH response said about a message. Fields the response did not carry are
 * {@code -1} or {@code null}.
 *
 * @param flags        the flags that are RFC 3501 atoms (the only ones ever sent on)
 * @param invalidFlags the tokens of the flag list that are not, left out of {@code flags}
 * @param internalDate the INTERNALDATE exactly as the server wrote it, so that an APPEND can send it back unchanged
 */
public record FetchedMessage(long uid, long modseq, List<String> flags, List<String> invalidFlags, String internalDate,
                             long size, byte[] body) {
}
