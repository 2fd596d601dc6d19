package io.tandem.config;

import java.util.Objects;

/** One result of {@link Checks}: an error heartbeat would refuse to start with, or a warning. */
public record Finding(Level level, String file, int line, String text) {
    public enum Level { WARN, ERROR }

    public Finding {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(text, "text");
    }

    public boolean isError() {
        return level == Level.ERROR;
    }

    @Override
    public String toString() {
        return ConfigException.format(file, line, text);
    }
}
