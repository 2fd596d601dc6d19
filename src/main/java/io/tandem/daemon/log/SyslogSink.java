package io.tandem.daemon.log;

import io.tandem.daemon.os.UnixDatagramSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Log lines to the local syslog daemon, as heartbeat's {@code logfacility} does: an RFC 3164
 * datagram {@code <PRI>Mmm dd HH:mm:ss heartbeat: [pid]: info: text} on {@code /dev/log}
 * (ident {@code heartbeat}; script lines carry their own name, e.g. {@code ResourceManager(default)}).
 * Used from the log writer thread only.
 */
public final class SyslogSink implements AutoCloseable {
    public static final String DEV_LOG = "/dev/log";
    private static final Map<String, Integer> FACILITIES = Map.ofEntries(Map.entry("kern", 0), Map.entry("user", 1),
            Map.entry("mail", 2), Map.entry("daemon", 3), Map.entry("auth", 4), Map.entry("syslog", 5), Map.entry("lpr", 6),
            Map.entry("news", 7), Map.entry("uucp", 8), Map.entry("cron", 9), Map.entry("authpriv", 10), Map.entry("ftp", 11),
            Map.entry("local0", 16), Map.entry("local1", 17), Map.entry("local2", 18), Map.entry("local3", 19),
            Map.entry("local4", 20), Map.entry("local5", 21), Map.entry("local6", 22), Map.entry("local7", 23));

    private final int facility;
    private final String path;
    private final ZoneId zone;
    private UnixDatagramSocket socket;

    private SyslogSink(int facility, String path, ZoneId zone) {
        this.facility = facility;
        this.path = path;
        this.zone = zone;
    }

    /** The sink for ha.cf's {@code logfacility} value; empty for {@code none}; an unknown name is an error. */
    public static Optional<SyslogSink> forFacility(String name, String path, ZoneId zone) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("none")) {
            return Optional.empty();
        }
        Integer code = FACILITIES.get(n);
        if (code == null) {
            throw new IllegalArgumentException("unknown syslog facility [" + name + "]");
        }
        return Optional.of(new SyslogSink(code, path, zone));
    }

    /** The datagram for one record. */
    byte[] datagram(LogRecord r) {
        int pri = facility * 8 + r.severity().syslogPriority();
        String who = r.script() ? r.entity() + "[" + r.pid() + "]: " : r.entity() + ": [" + r.pid() + "]: ";
        String line = "<" + pri + ">" + LineFormat.syslogTime(Instant.ofEpochMilli(r.epochMillis()).atZone(zone)) + " " + who
                + r.severity().word() + ": " + LogText.clean(r.text());
        return line.getBytes(StandardCharsets.UTF_8);
    }

    /** Sends one record; throws when syslog cannot be reached (the caller reports it once). */
    void send(LogRecord r) throws IOException {
        if (socket == null) {
            socket = UnixDatagramSocket.open();
        }
        socket.send(path, datagram(r));
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.close();
        }
    }
}
