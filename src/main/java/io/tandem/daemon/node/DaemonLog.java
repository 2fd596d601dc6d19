package io.tandem.daemon.node;

import io.tandem.daemon.log.AsyncLog;
import io.tandem.daemon.log.LogRecord;
import io.tandem.daemon.log.Severity;
import io.tandem.daemon.loop.DaemonClock;
import io.tandem.resources.LogLevel;

/** The daemon's log lines, stamped with the wall time, heartbeat's entity names and our pid. */
final class DaemonLog {
    static final String HEARTBEAT = "heartbeat";

    private final AsyncLog log;
    private final DaemonClock clock;
    private final long pid;

    DaemonLog(AsyncLog log, DaemonClock clock, long pid) {
        this.log = log;
        this.clock = clock;
        this.pid = pid;
    }

    void info(String text) {
        heartbeat(Severity.INFO, text);
    }

    void warn(String text) {
        heartbeat(Severity.WARN, text);
    }

    void error(String text) {
        heartbeat(Severity.ERROR, text);
    }

    void debug(String text) {
        heartbeat(Severity.DEBUG, text);
    }

    void heartbeat(Severity severity, String text) {
        log.log(new LogRecord(clock.wallMillis(), severity, HEARTBEAT, pid, text));
    }

    /**
     * A line from the ownership engine: heartbeat's own lines keep the syslog style, the helper
     * programs' ({@code ResourceManager}, {@code mach_down}, ...) the ha_log.sh style with
     * {@code (default)} after the name, as heartbeat's scripts write them.
     */
    void engine(LogLevel level, String source, String text) {
        Severity severity = severity(level);
        if (source.equals(HEARTBEAT)) {
            heartbeat(severity, text);
        } else {
            script(severity, source + "(default)", text);
        }
    }

    void script(Severity severity, String entity, String text) {
        log.log(new LogRecord(clock.wallMillis(), severity, entity, pid, text, true));
    }

    void membership(io.tandem.membership.Level level, String text) {
        switch (level) {
            case CRIT:
                heartbeat(Severity.CRIT, text);
                break;
            case ERROR:
                heartbeat(Severity.ERROR, text);
                break;
            case WARN:
                heartbeat(Severity.WARN, text);
                break;
            case DEBUG:
                heartbeat(Severity.DEBUG, text);
                break;
            default:
                heartbeat(Severity.INFO, text);
                break;
        }
    }

    static Severity severity(LogLevel level) {
        switch (level) {
            case CRIT:
                return Severity.CRIT;
            case ERROR:
                return Severity.ERROR;
            case WARN:
                return Severity.WARN;
            case DEBUG:
                return Severity.DEBUG;
            default:
                return Severity.INFO;
        }
    }
}
