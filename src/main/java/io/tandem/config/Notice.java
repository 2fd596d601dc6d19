package io.tandem.config;

import java.util.Objects;

/**
 * A directive Tandem accepts (heartbeat accepts it too) but does not act on, reported once per
 * directive name at its first line.
 */
public record Notice(String file, int line, String directive, String text) {
    public Notice {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(directive, "directive");
        Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
        return ConfigException.format(file, line, text);
    }
}
