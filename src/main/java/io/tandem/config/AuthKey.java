package io.tandem.config;

import java.util.Objects;

/** One key line of authkeys: {@code <index> <method> [<secret>]}. The secret is empty for crc. */
public record AuthKey(int index, AuthMethod method, String secret) {
    public AuthKey {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(secret, "secret");
    }

    @Override
    public String toString() {
        return index + " " + method.fileName() + (secret.isEmpty() ? "" : " <secret>");
    }
}
