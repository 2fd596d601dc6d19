package io.tandem.config;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Small value syntaxes of ha.cf, each as heartbeat (cluster-glue) reads it. */
final class HaCfValues {
    /** heartbeat's syslog facility names ({@code cl_syslogfac_str2int}) plus {@code none}. */
    static final Set<String> FACILITIES = Set.of("auth", "authpriv", "cron", "daemon", "ftp", "kern", "lpr", "mail",
            "news", "security", "syslog", "user", "uucp", "local0", "local1", "local2", "local3", "local4", "local5",
            "local6", "local7", "none");

    private HaCfValues() {
    }

    /** {@code cl_str_to_boolean}: true/on/yes/y/1 and false/off/no/n/0, any case. */
    static Optional<Boolean> bool(String v) {
        switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes", "y", "1":
                return Optional.of(true);
            case "false", "off", "no", "n", "0":
                return Optional.of(false);
            default:
                return Optional.empty();
        }
    }

    /** A non-negative decimal integer of at most 9 digits, or -1. */
    static int smallInt(String v) {
        if (v.isEmpty() || v.length() > 9) {
            return -1;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        return Integer.parseInt(v);
    }

    /** A dotted-quad IPv4 address as four octets, or null. */
    static int[] ipv4(String v) {
        String[] parts = v.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        int[] out = new int[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].length() > 3) {
                return null;
            }
            int o = smallInt(parts[i]);
            if (o < 0 || o > 255) {
                return null;
            }
            out[i] = o;
        }
        return out;
    }

    static boolean isMulticast(String v) {
        int[] a = ipv4(v);
        return a != null && a[0] >= 224 && a[0] <= 239;
    }
}
