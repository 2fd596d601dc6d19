package io.tandem.daemon.log;

import io.tandem.daemon.Json;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
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

    private static final DateTimeFormatter SYSLOG_TIME = DateTimeFormatter.ofPattern("MMM dd HH:mm:ss", Locale.ENGLISH);
    private static final DateTimeFormatter CLASSIC_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd_HH:mm:ss", Locale.ENGLISH);

    /** The line for a record, without the trailing newline. */
    public String format(LogRecord r, String host, ZoneId zone) {
        ZonedDateTime t = Instant.ofEpochMilli(r.epochMillis()).atZone(zone);
        String text = this == JSON ? LogText.cut(r.text()) : LogText.clean(r.text());
        switch (this) {
            case SYSLOG:
                if (r.script()) {
                    return CLASSIC_TIME.format(t) + "  " + r.entity() + "[" + r.pid() + "]:    " + r.severity().word() + ": " + text;
                }
                return SYSLOG_TIME.format(t) + " " + host + " " + r.entity() + ": [" + r.pid() + "]: "
                        + r.severity().word() + ": " + text;
            case CLASSIC:
                return r.entity() + "[" + r.pid() + "]: " + CLASSIC_TIME.format(t) + " " + r.severity().word() + ": " + text;
            default:
                return "{\"ts\":\"" + Instant.ofEpochMilli(r.epochMillis()) + "\",\"host\":" + Json.quote(host)
                        + ",\"entity\":" + Json.quote(r.entity()) + ",\"pid\":" + r.pid()
                        + ",\"level\":" + Json.quote(r.severity().name().toLowerCase(Locale.ROOT))
                        + ",\"msg\":" + Json.quote(text) + "}";
        }
    }
}
