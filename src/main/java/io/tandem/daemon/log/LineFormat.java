package io.tandem.daemon.log;

import io.tandem.daemon.Json;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * How a {@link LogRecord} becomes one line of a log file.
 *
 * <ul>
 *   <li>{@link #SYSLOG}: heartbeat 3.0's default ({@code syslogmsgfmt true}):
 *       {@code Nov 24 18:22:13 nodea heartbeat: [17857]: WARN: node nodeb: is dead}</li>
 *   <li>{@link #CLASSIC}: heartbeat 2.1's ({@code syslogmsgfmt false}):
 *       {@code heartbeat[17857]: 2008/08/20_12:34:56 info: Link nodeb:lo up.}</li>
 *   <li>{@link #JSON}: one JSON object a line, for log shippers.</li>
 * </ul>
 * In {@link #SYSLOG} format, {@linkplain LogRecord#script() script lines} look as {@code ha_log.sh}
 * writes them next to heartbeat's own lines:
 * <ul>
 *   <li>{@code 2026/11/24_18:47:51  ResourceManager(default)[28156]:    info: Running /etc/init.d/apache2  start}</li>
 * </ul>
 * A record's text never makes a second line: {@link LogText#clean} in the text formats, JSON's own
 * escapes in {@link #JSON}; both cut it at {@value LogText#MAX_CHARS} characters.
 */
public enum LineFormat {
    SYSLOG, CLASSIC, JSON;

    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    /** The line for a record, without the trailing newline. */
    public String format(LogRecord r, String host, ZoneId zone) {
        ZonedDateTime t = Instant.ofEpochMilli(r.epochMillis()).atZone(zone);
        String text = this == JSON ? LogText.cut(r.text()) : LogText.clean(r.text());
        switch (this) {
            case SYSLOG:
                if (r.script()) {
                    return classicTime(t) + "  " + r.entity() + "[" + r.pid() + "]:    " + r.severity().word() + ": " + text;
                }
                return syslogTime(t) + " " + host + " " + r.entity() + ": [" + r.pid() + "]: "
                        + r.severity().word() + ": " + text;
            case CLASSIC:
                return r.entity() + "[" + r.pid() + "]: " + classicTime(t) + " " + r.severity().word() + ": " + text;
            default:
                return "{\"ts\":\"" + isoInstant(r.epochMillis()) + "\",\"host\":" + Json.quote(host)
                        + ",\"entity\":" + Json.quote(r.entity()) + ",\"pid\":" + r.pid()
                        + ",\"level\":" + Json.quote(r.severity().name().toLowerCase(Locale.ROOT))
                        + ",\"msg\":" + Json.quote(text) + "}";
        }
    }

    // The timestamps written out by hand rather than with java.time.format's DateTimeFormatter (which
    // Instant.toString uses too), which would load ~50 classes into the daemon for fixed patterns
    // (docs/benchmarks.md).

    /**
     * What {@code Instant.ofEpochMilli(epochMillis).toString()} writes (ISO-8601 in UTC,
     * {@code 2026-11-24T18:47:50Z}, with {@code .SSS} when the milliseconds are not 0).
     */
    static String isoInstant(long epochMillis) {
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC);
        if (t.getYear() < 1000 || t.getYear() > 9999) {
            return Instant.ofEpochMilli(epochMillis).toString(); // its sign and padding rules for other years
        }
        StringBuilder b = new StringBuilder(24).append(t.getYear()).append('-');
        two(b, t.getMonthValue()).append('-');
        time(two(b, t.getDayOfMonth()).append('T'), t);
        int ms = (int) Math.floorMod(epochMillis, 1000L);
        if (ms != 0) {
            two(b.append('.').append((char) ('0' + ms / 100)), ms % 100);
        }
        return b.append('Z').toString();
    }

    /** {@code MMM dd HH:mm:ss} (English month). */
    static String syslogTime(ZonedDateTime t) {
        StringBuilder b = new StringBuilder(15).append(MONTHS[t.getMonthValue() - 1]).append(' ');
        return time(two(b, t.getDayOfMonth()).append(' '), t).toString();
    }

    /** {@code yyyy/MM/dd_HH:mm:ss}. */
    static String classicTime(ZonedDateTime t) {
        StringBuilder b = new StringBuilder(19).append(t.getYear()).append('/'); // a clock's year: four digits
        two(b, t.getMonthValue()).append('/');
        return time(two(b, t.getDayOfMonth()).append('_'), t).toString();
    }

    private static StringBuilder time(StringBuilder b, ZonedDateTime t) {
        two(b, t.getHour()).append(':');
        two(b, t.getMinute()).append(':');
        return two(b, t.getSecond());
    }

    private static StringBuilder two(StringBuilder b, int v) {
        return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
