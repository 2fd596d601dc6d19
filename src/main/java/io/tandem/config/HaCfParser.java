package io.tandem.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads ha.cf exactly as heartbeat 3.0.6 does (docs/protocol.md 10): one directive per line, {@code #}
 * starts a comment anywhere, ordinary directives are split on blanks and commas and applied once per
 * value, whole-line directives get the rest of the line. Errors use heartbeat's wording.
 * Whole-configuration checks (deadtime vs keepalive, node lines, media present) are in {@link Checks}.
 */
public final class HaCfParser {
    private final String file;
    private final HaCfDirectives directives;

    private HaCfParser(String file) {
        this.file = file;
        this.directives = new HaCfDirectives(file);
    }

    /** Parses the text of ha.cf; {@code fileName} is used in messages. */
    public static HaCf parse(String fileName, String text) {
        HaCfParser p = new HaCfParser(fileName);
        String[] lines = text.split("\n", -1);
        List<ConfigException> errors = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            try {
                p.line(i + 1, lines[i]);
            } catch (ConfigException e) {
                errors.add(e); // go on: every bad line in one run
            }
        }
        if (!errors.isEmpty()) {
            throw ConfigException.of(errors);
        }
        return p.directives.build();
    }

    private void line(int number, String raw) {
        String bp = stripLeading(raw);
        int cut = indexOfAny(bp, "#\r\n");
        if (cut >= 0) {
            bp = bp.substring(0, cut);
        }
        if (bp.isEmpty()) {
            return;
        }
        int dirEnd = indexOfAny(bp, HaCfDirectives.WHITESPACE);
        String directive = dirEnd < 0 ? bp : bp.substring(0, dirEnd);
        String rest = dirEnd < 0 ? "" : bp.substring(dirEnd);
        rest = skip(rest, HaCfDirectives.DELIMS);
        directives.apply(number, directive, rest);
    }

    static String stripLeading(String s) {
        return skip(s, HaCfDirectives.WHITESPACE);
    }

    static String skip(String s, String chars) {
        int i = 0;
        while (i < s.length() && chars.indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        return s.substring(i);
    }

    static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** Splits on blanks and commas, dropping empty pieces. */
    static List<String> values(String rest, String delims) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < rest.length()) {
            while (i < rest.length() && delims.indexOf(rest.charAt(i)) >= 0) {
                i++;
            }
            int start = i;
            while (i < rest.length() && delims.indexOf(rest.charAt(i)) < 0) {
                i++;
            }
            if (i > start) {
                out.add(rest.substring(start, i));
            }
        }
        return out;
    }
}
