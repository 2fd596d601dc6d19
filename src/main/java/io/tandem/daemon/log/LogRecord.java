package io.tandem.daemon.log;

import java.util.Objects;

/** One log event: when, how severe, who (entity and pid, as heartbeat writes them) and what. */
public record LogRecord(long epochMillis, Severity severity, String entity, long pid, String text) {
    public LogRecord {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(text, "text");
    }
}
