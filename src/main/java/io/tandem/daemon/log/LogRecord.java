package io.tandem.daemon.log;

import io.tandem.config.Severity;

import java.util.Objects;

/**
 * One log event: when, how severe, who (entity and pid, as heartbeat writes them) and what.
 * {@code script} marks lines heartbeat's shell helpers write through {@code ha_log.sh}
 * ({@code ResourceManager(default)}, {@code harc(default)}, {@code mach_down(default)}, resource
 * scripts), which have a line format of their own in heartbeat's log.
 */
public record LogRecord(long epochMillis, Severity severity, String entity, long pid, String text, boolean script) {
    public LogRecord {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(text, "text");
    }

    public LogRecord(long epochMillis, Severity severity, String entity, long pid, String text) {
        this(epochMillis, severity, entity, pid, text, false);
    }
}
