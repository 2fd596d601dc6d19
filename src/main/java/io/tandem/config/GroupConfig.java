package io.tandem.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One haresources line: the preferred node (lower-cased, as ResourceManager compares it) and the
 * resources, started left to right. The group key is the first resource as written (docs/protocol.md 6.1).
 * {@code line} is where the line starts in the file.
 */
public record GroupConfig(String node, List<ResourceRef> resources, int line) {
    public GroupConfig {
        Objects.requireNonNull(node, "node");
        resources = List.copyOf(resources);
        if (resources.isEmpty()) {
            throw new IllegalArgumentException("group of " + node + " has no resources");
        }
    }

    /** The group key: the first resource, as written. */
    public String key() {
        return resources.get(0).text();
    }

    /** Whether {@code name} is this group's preferred node (case-insensitive). */
    public boolean preferredBy(String name) {
        return node.equalsIgnoreCase(name);
    }

    /** The line as ResourceManager sees it: {@code node res1 res2}. */
    public String text() {
        StringBuilder b = new StringBuilder(node.toLowerCase(Locale.ROOT));
        for (ResourceRef r : resources) {
            b.append(' ').append(r.text());
        }
        return b.toString();
    }
}
