package io.tandem.resources;

import java.util.Locale;
import java.util.Optional;

/**
 * Heartbeat's two-bit resource mask ({@code rsc_hold}): which groups a node holds, seen from that
 * node. {@code LOCAL} = the groups whose preferred node it is, {@code FOREIGN} = all other groups.
 */
public enum ResourceSet {
    NONE(0), LOCAL(1), FOREIGN(2), ALL(3);

    private final int bits;

    ResourceSet(int bits) {
        this.bits = bits;
    }

    public int bits() {
        return bits;
    }

    /** The word heartbeat writes ({@code none}, {@code local}, {@code foreign}, {@code all}). */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ResourceSet ofBits(int bits) {
        return values()[bits & 3];
    }

    /** Parses a wire word; empty when it is none of the four. */
    public static Optional<ResourceSet> parse(String word) {
        for (ResourceSet s : values()) {
            if (s.wire().equals(word)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    public boolean contains(ResourceSet other) {
        return (bits & other.bits) == other.bits && other != NONE;
    }

    public boolean intersects(ResourceSet other) {
        return (bits & other.bits) != 0;
    }

    public ResourceSet plus(ResourceSet other) {
        return ofBits(bits | other.bits);
    }

    public ResourceSet minus(ResourceSet other) {
        return ofBits(bits & ~other.bits);
    }

    /** The same groups seen from the other node: local and foreign swap. */
    public ResourceSet mirror() {
        switch (this) {
            case LOCAL:
                return FOREIGN;
            case FOREIGN:
                return LOCAL;
            default:
                return this;
        }
    }
}
