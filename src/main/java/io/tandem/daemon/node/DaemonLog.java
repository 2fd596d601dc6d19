package io.tandem.daemon.node;

import io.tandem.daemon.log.AsyncLog;
import io.tandem.daemon.log.LogRecord;
import io.tandem.config.Severity;
import io.tandem.daemon.loop.DaemonClock;
import io.tandem.node.NodeEffect;

/**
 * The daemon's log lines, stamped with the wall time, heartbeat's entity names and our pid. The
 * daemon's own lines carry the log ident ({@code heartbeat} unless {@code --log-ident} says
 * otherwise, so parsers written for heartbeat's log still match).
 */
final class DaemonLog {
    static final String HEARTBEAT = "heartbeat";

    private final AsyncLog log;
    private final DaemonClock clock;
    private final long pid;
    private final String ident;

    DaemonLog(AsyncLog log, DaemonClock clock, long pid) {
        this(log, clock, pid, HEARTBEAT);
    }

    DaemonLog(AsyncLog log, DaemonClock clock, long pid, String ident) {
        this.log = log;
        this.clock = clock;
        this.pid = pid;
        this.ident = ident;
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
        log.log(new LogRecord(clock.wallMillis(), severity, ident, pid, text));
    }

    /**
     * A line from the node core or a script: heartbeat's own lines keep the syslog style, the helper
     * programs' ({@code ResourceManager}, {@code mach_down}, ...) the ha_log.sh style with
     * {@code (default)} after the name, as heartbeat's scripts write them.
     */
    void engine(Severity severity, String source, String text) {
        if (source.equals(HEARTBEAT)) {
            heartbeat(severity, text);
        } else {
            script(severity, source + "(default)", text);
        }
    }

    void script(Severity severity, String entity, String text) {
        log.log(new LogRecord(clock.wallMillis(), severity, entity, pid, text, true));
    }

    /** A line the node core asked for. */
    void line(NodeEffect.Log line) {
        engine(line.priority(), line.source(), line.text());
    }
}
