package io.tandem.config;

import java.util.Locale;
import java.util.OptionalLong;

/**
 * heartbeat's time values ({@code cl_get_msec}): a decimal number of seconds ({@code 2},
 * {@code 1.5}), or followed by {@code ms} (milliseconds) or {@code us}/{@code usec} (microseconds),
 * rounded to the millisecond. Anything else ({@code 2s}, {@code 1m}) is refused, as heartbeat does.
 */
public final class TimeValue {
    /** Values above this (about 24 days) are refused: heartbeat's long arithmetic overflows soon after. */
    static final long MAX_MS = Integer.MAX_VALUE;

    private TimeValue() {
    }

    /** The value in milliseconds, or empty if heartbeat would refuse it. */
    public static OptionalLong parseMs(String text) {
        int i = 0;
        int n = text.length();
        while (i < n && isSpace(text.charAt(i))) {
            i++;
        }
        int start = i;
        while (i < n && (Character.isDigit(text.charAt(i)) && text.charAt(i) < 128 || text.charAt(i) == '.')) {
            i++;
        }
        if (start == i) {
            return OptionalLong.empty();
        }
        String number = text.substring(start, i);
        while (i < n && isSpace(text.charAt(i))) {
            i++;
        }
        String units = text.substring(i).toLowerCase(Locale.ROOT);
        double multiplier = 1000;
        if (units.startsWith("ms")) {
            multiplier = 1;
        } else if (units.startsWith("us")) {
            multiplier = 0.001;
        } else if (!units.isEmpty()) {
            return OptionalLong.empty();
        }
        double value = leadingDecimal(number) * multiplier + 0.5;
        if (value > MAX_MS) {
            return OptionalLong.empty();
        }
        return OptionalLong.of((long) value);
    }

    /** Formats milliseconds the shortest way heartbeat reads back: {@code 2} for 2000, else {@code 1500ms}. */
    public static String format(long ms) {
        return ms % 1000 == 0 ? Long.toString(ms / 1000) : ms + "ms";
    }

    /** Like C's atof on [0-9.]*: the longest prefix that is a decimal number ("1.2.3" is 1.2, "." is 0). */
    private static double leadingDecimal(String s) {
        int dot = s.indexOf('.');
        if (dot >= 0) {
            int second = s.indexOf('.', dot + 1);
            if (second >= 0) {
                s = s.substring(0, second);
            }
        }
        if (s.equals(".") || s.isEmpty()) {
            return 0;
        }
        return Double.parseDouble(s);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }
}
