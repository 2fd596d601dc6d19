package io.tandem.membership;

/** Severity of a membership log line, with heartbeat's word for it. */
public enum Level {
    CRIT, ERROR, WARN, INFO, DEBUG
}
