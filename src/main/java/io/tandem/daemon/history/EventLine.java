package io.tandem.daemon.history;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The file's line format: {@code TIME NODE LIFE SEQ KIND SUBJECT CAUSE [NAME=VALUE ...]}, separated by
 * tabs, every value percent-escaped ({@code %}, tab, line ends, every control character and
 * {@code =} as {@code %XX}): a value from the network can neither break a line nor forge a field.
 */
final class EventLine {
    private EventLine() {
    }

    static String format(StoredEvent e) {
        StringBuilder b = new StringBuilder(128);
        b.append(e.time()).append('\t').append(escape(e.node())).append('\t').append(e.life()).append('\t').append(e.seq())
                .append('\t').append(escape(e.kind())).append('\t').append(escape(e.subject())).append('\t').append(escape(e.cause()));
        e.fields().forEach((k, v) -> b.append('\t').append(escape(k)).append('=').append(escape(v)));
        return b.append('\n').toString();
    }

    /** The entry of one line, or empty when it is not one (a torn last line, a damaged file). */
    static Optional<StoredEvent> parse(String line) {
        String[] w = line.split("\t", -1);
        if (w.length < 7) {
            return Optional.empty();
        }
        try {
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = 7; i < w.length; i++) {
                int eq = w[i].indexOf('=');
                if (eq < 0) {
                    return Optional.empty();
                }
                fields.put(unescape(w[i].substring(0, eq)), unescape(w[i].substring(eq + 1)));
            }
            return Optional.of(new StoredEvent(Long.parseLong(w[0]), unescape(w[1]), Long.parseLong(w[2]), Long.parseLong(w[3]),
                    unescape(w[4]), unescape(w[5]), unescape(w[6]), fields));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '%' || c == '=' || (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
                for (byte x : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                    b.append('%').append(String.format("%02X", x & 0xff));
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    static String unescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        java.io.ByteArrayOutputStream run = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 3 > s.length()) {
                    throw new IllegalArgumentException("an escape cut short");
                }
                run.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 3;
            } else {
                b.append(run.toString(StandardCharsets.UTF_8));
                run.reset();
                b.append(c);
                i++;
            }
        }
        return b.append(run.toString(StandardCharsets.UTF_8)).toString();
    }
}
