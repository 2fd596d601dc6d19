package io.tandem.config;

import java.util.Objects;

/**
 * One result of {@link Checks}: an error heartbeat would refuse to start with, or a warning.
 * {@code ofThisHost} marks a finding about the machine the check runs on rather than about the files (an
 * interface, an agent, a user that this host lacks): checked as another node, it says nothing about that
 * node's machine.
 */
public record Finding(Level level, String file, int line, String text, boolean ofThisHost) {
    public enum Level { WARN, ERROR }

    public Finding {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(text, "text");
    }

    public Finding(Level level, String file, int line, String text) {
        this(level, file, line, text, false);
    }

    /** A finding about the machine the check runs on. */
    public static Finding ofHost(Level level, String file, int line, String text) {
        return new Finding(level, file, line, text, true);
    }

    /** This finding as a warning: a host finding of a machine that is not the node checked. */
    public Finding asWarning(String why) {
        return new Finding(Level.WARN, file, line, text + " " + why, ofThisHost);
    }

    public boolean isError() {
        return level == Level.ERROR;
    }

    @Override
    public String toString() {
        return ConfigException.format(file, line, text);
    }
}
