package io.tandem.daemon.log;

/**
 * Makes a log text safe for a one-line log: whatever it quotes (a peer's node name, a field of a
 * forged packet, an agent's output) cannot start a second line, move the terminal's cursor or
 * fill the disk with one record. Control characters become visible escapes ({@code \n},
 * {@code \r}, {@code \xNN}; C1 controls, DEL and the Unicode line separators too), and a text longer than {@value #MAX_CHARS}
 * characters is cut with a note of how much was left out. Tabs stay.
 */
public final class LogText {
    /** Longest text of one record: a line of any log format stays below 9 KB. */
    public static final int MAX_CHARS = 8192;

    private LogText() {
    }

    public static String clean(String text) {
        int i = 0;
        int n = text.length();
        while (i < n && i < MAX_CHARS && safe(text.charAt(i))) {
            i++;
        }
        if (i == n) {
            return text; // the common case: nothing to change, no copy
        }
        StringBuilder b = new StringBuilder(Math.min(n, MAX_CHARS) + 16).append(text, 0, i);
        for (; i < n && b.length() < MAX_CHARS; i++) {
            char c = text.charAt(i);
            if (safe(c)) {
                b.append(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else {
                b.append(c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            }
        }
        if (i < n) {
            b.append("...[").append(n - i).append(" more characters]");
        }
        return b.toString();
    }

    /** The text cut at {@value #MAX_CHARS} characters, otherwise as it is (for outputs that escape on their own). */
    public static String cut(String text) {
        if (text.length() <= MAX_CHARS) {
            return text;
        }
        return text.substring(0, MAX_CHARS) + "...[" + (text.length() - MAX_CHARS) + " more characters]";
    }

    private static boolean safe(char c) {
        return c == '\t' || (c >= 0x20 && c < 0x7f) || (c > 0x9f && c != 0x2028 && c != 0x2029);
    }
}
