package io.tandem.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The parsed authkeys file: the active index ({@code auth N}) and every key line by index.
 * Outgoing packets are signed with the active key; incoming ones name their index.
 */
public record AuthKeys(int activeIndex, SortedMap<Integer, AuthKey> keys) {
    public AuthKeys {
        keys = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(keys, "keys")));
        if (!keys.containsKey(activeIndex)) {
            throw new IllegalArgumentException("active index " + activeIndex + " has no key");
        }
    }

    /** A file with a single key that is also the active one. */
    public static AuthKeys single(AuthKey key) {
        return new AuthKeys(key.index(), new TreeMap<>(Map.of(key.index(), key)));
    }

    public AuthKey active() {
        return keys.get(activeIndex);
    }

    public Optional<AuthKey> byIndex(int index) {
        return Optional.ofNullable(keys.get(index));
    }
}
