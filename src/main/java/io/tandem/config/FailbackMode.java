package io.tandem.config;

import java.util.Locale;

/** {@code auto_failback}: on, off, or heartbeat's default "legacy" (= {@code nice_failback off}). */
public enum FailbackMode {
    ON, OFF, LEGACY;

    /** Whether the starting/resource negotiation (nice_failback) is used: on and off; legacy is the old ip-request protocol. */
    public boolean niceFailback() {
        return this != LEGACY;
    }

    /** The value as written in ha.cf. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
