package org.camelinterimap.app;

/**
 * The {@code log-prefix} format of interimap(1): {@code %n} (component), {@code %m} (mailbox),
 * {@code %%}, and conditionals {@code %?X?then?} / {@code %?X?then&else?}, where {@code \} escapes
 * {@code &}, {@code ?} and {@code \}. Hand-written: the format is interimap's own.
 */
public final class LogPrefix {
    private final String format;

    public LogPrefix(String format) {
        this.format = format;
    }

    public String expand(String component, String mailbox) {
        StringBuilder out = new StringBuilder();
        int end = expand(format, 0, format.length(), nz(component), nz(mailbox), out);
        if (end != format.length()) {
            throw new IllegalArgumentException("malformed log-prefix: " + format);
        }
        return out.toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** Expands format[from, to) until a top-level '?' or '&' terminator; returns the index stopped at. */
    private static int expand(String f, int from, int to, String n, String m, StringBuilder out) {
        int i = from;
        while (i < to) {
            char c = f.charAt(i);
            if (c == '\\' && i + 1 < to) {
                out.append(f.charAt(i + 1));
                i += 2;
            } else if (c == '?' || c == '&') {
                return i;
            } else if (c == '%' && i + 1 < to) {
                char d = f.charAt(i + 1);
                if (d == '%') {
                    out.append('%');
                    i += 2;
                } else if (d == 'n' || d == 'm') {
                    out.append(d == 'n' ? n : m);
                    i += 2;
                } else if (d == '?' && i + 3 < to) {
                    String value = f.charAt(i + 2) == 'n' ? n : f.charAt(i + 2) == 'm' ? m : "";
                    if (f.charAt(i + 3) != '?') {
                        throw new IllegalArgumentException("malformed log-prefix conditional at " + i + ": " + f);
                    }
                    StringBuilder then = new StringBuilder();
                    int j = expand(f, i + 4, to, n, m, then);
                    StringBuilder otherwise = new StringBuilder();
                    if (j < to && f.charAt(j) == '&') {
                        j = expand(f, j + 1, to, n, m, otherwise);
                    }
                    if (j >= to || f.charAt(j) != '?') {
                        throw new IllegalArgumentException("unterminated log-prefix conditional: " + f);
                    }
                    out.append(value.isEmpty() ? otherwise : then);
                    i = j + 1;
                } else {
                    out.append(c);
                    i++;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return i;
    }
}
