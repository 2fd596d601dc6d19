package io.tandem.config;

import java.util.Locale;
import java.util.Optional;

/** The signature methods of heartbeat's authkeys file. */
public enum AuthMethod {
    /** CRC-32, no key; detects corruption, gives no security. */
    CRC(false),
    /** HMAC-MD5 with the key as written. */
    MD5(true),
    /** HMAC-SHA1 with the key as written. */
    SHA1(true);

    private final boolean needsKey;

    AuthMethod(boolean needsKey) {
        this.needsKey = needsKey;
    }

    public boolean needsKey() {
        return needsKey;
    }

    /** The name as written in authkeys ({@code crc}, {@code md5}, {@code sha1}). */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<AuthMethod> byName(String name) {
        for (AuthMethod m : values()) {
            if (m.fileName().equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
