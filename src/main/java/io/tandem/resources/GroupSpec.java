package io.tandem.resources;

import java.util.List;
import java.util.Objects;

/**
 * One haresources line: the preferred node and the resources, started left to right and stopped
 * right to left. The group key is the first resource (docs/protocol.md 6.1); resources are kept exactly
 * as written ({@code IPaddr::192.0.2.1/24/eth0}, {@code apache2}).
 */
public record GroupSpec(String preferredNode, List<String> resources) {
    public GroupSpec {
        Objects.requireNonNull(preferredNode, "preferredNode");
        resources = List.copyOf(resources);
        if (preferredNode.isBlank()) {
            throw new IllegalArgumentException("a resource group needs a preferred node");
        }
        if (resources.isEmpty()) {
            throw new IllegalArgumentException("resource group of " + preferredNode + " has no resources");
        }
    }

    public static GroupSpec of(String preferredNode, String... resources) {
        return new GroupSpec(preferredNode, List.of(resources));
    }

    /** The group key: its first resource. */
    public String key() {
        return resources.get(0);
    }

    /** Whether the given node is this group's preferred node (case-insensitive, as heartbeat). */
    public boolean preferredBy(String node) {
        return preferredNode.equalsIgnoreCase(node);
    }

    /** The line as ResourceManager logs it: {@code node res1 res2}. */
    public String line() {
        return preferredNode.toLowerCase(java.util.Locale.ROOT) + " " + String.join(" ", resources);
    }
}
