package io.tandem.wire;

import java.util.Objects;

/** Whether a packet authenticated, and if not, why (for the log line naming the peer). */
public record AuthVerdict(boolean ok, String reason) {
    public static final AuthVerdict OK = new AuthVerdict(true, "ok");

    public AuthVerdict {
        Objects.requireNonNull(reason, "reason");
    }

    static AuthVerdict bad(String reason) {
        return new AuthVerdict(false, reason);
    }
}
