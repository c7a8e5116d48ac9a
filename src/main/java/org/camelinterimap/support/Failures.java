package org.camelinterimap.support;

/** How an unexpected throwable (a bug, memory exhausted) is reported: on one line, never a stack trace. */
public final class Failures {
    private Failures() {
    }

    /** Its class and the first line of its message ({@code OutOfMemoryError: Java heap space}). */
    public static String oneLine(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }
}
