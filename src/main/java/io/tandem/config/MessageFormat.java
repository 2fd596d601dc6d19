package io.tandem.config;

import java.util.Locale;

/** {@code msgfmt}: the wire framing heartbeat is told to send (docs/protocol.md 1.4). */
public enum MessageFormat {
    CLASSIC, NETSTRING;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
