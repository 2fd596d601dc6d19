package io.tandem.resources;

import java.util.Locale;

/** The {@code auto_failback} setting of ha.cf (PROTOCOL.md 7.1). */
public enum AutoFailback {
    /** nice_failback, and groups return to their preferred node when it rejoins. */
    ON,
    /** nice_failback, groups stay where they are. */
    OFF,
    /** the old ip-request protocol: every node always asks for its own groups back. */
    LEGACY;

    /** Whether the starting/resource negotiation (nice_failback) is used. */
    public boolean niceFailback() {
        return this != LEGACY;
    }

    public static AutoFailback parse(String word) {
        switch (word.toLowerCase(Locale.ROOT)) {
            case "on":
                return ON;
            case "off":
                return OFF;
            case "legacy":
                return LEGACY;
            default:
                throw new IllegalArgumentException("auto_failback must be on, off or legacy, not '" + word + "'");
        }
    }
}
