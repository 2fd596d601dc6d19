package io.tandem.membership;

import java.util.OptionalLong;

/** Heartbeat's number fields: lower-case hex without {@code 0x} (seq, hg, ts, dt, ackseq). */
final class Hex {
    private Hex() {
    }

    static String of(long v) {
        return Long.toHexString(v);
    }

    static OptionalLong parse(String s) {
        if (s == null || s.isEmpty() || s.length() > 16) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseUnsignedLong(s, 16));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    static OptionalLong parseDecimal(String s) {
        if (s == null || s.isEmpty() || s.length() > 18) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
