package io.tandem.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The parsed haresources: one resource group per logical line, in file order. */
public record HaResources(String file, List<GroupConfig> groups) {
    public HaResources {
        Objects.requireNonNull(file, "file");
        groups = List.copyOf(groups);
    }

    public Optional<GroupConfig> byKey(String key) {
        return groups.stream().filter(g -> g.key().equals(key)).findFirst();
    }

    /** The groups whose preferred node is {@code node} ("local" groups on that node). */
    public List<GroupConfig> preferredBy(String node) {
        return groups.stream().filter(g -> g.preferredBy(node)).toList();
    }

    /** haresources text, one group per line (so group i is on line i). */
    public String print() {
        StringBuilder out = new StringBuilder();
        for (GroupConfig g : groups) {
            out.append(g.text()).append('\n');
        }
        return out.toString();
    }
}
