package io.tandem.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads haresources as heartbeat's ResourceManager does (docs/protocol.md 6.1): {@code #} starts a
 * comment, a line ending in {@code \} is joined with the next (the backslash and newline removed),
 * runs of blanks separate words, the first word is the node (lower-cased), the rest are resources.
 * The first resource of each line is the group key and must be unique. Whether the node is a
 * configured node is checked by {@link Checks} (heartbeat's "Bad nodename").
 */
public final class HaResourcesParser {
    private static final String BLANKS = " \t\r\f";

    private HaResourcesParser() {
    }

    public static HaResources parse(String fileName, String text) {
        String[] physical = text.split("\n", -1);
        List<GroupConfig> groups = new ArrayList<>();
        Map<String, Integer> keys = new HashMap<>();
        List<ConfigException> errors = new ArrayList<>();
        int i = 0;
        while (i < physical.length) {
            int start = i + 1;
            StringBuilder logical = new StringBuilder();
            while (true) {
                String part = stripComment(physical[i]);
                i++;
                if (part.endsWith("\\")) {
                    logical.append(part, 0, part.length() - 1);
                    if (i < physical.length) {
                        continue;
                    }
                } else {
                    logical.append(part);
                }
                break;
            }
            List<String> words = HaCfParser.values(logical.toString(), BLANKS);
            if (words.isEmpty()) {
                continue;
            }
            try {
                groups.add(group(fileName, start, words, keys));
            } catch (ConfigException e) {
                errors.add(e); // go on: every bad line in one run
            }
        }
        if (!errors.isEmpty()) {
            throw ConfigException.of(errors);
        }
        return new HaResources(fileName, groups);
    }

    private static GroupConfig group(String fileName, int start, List<String> words, Map<String, Integer> keys) {
        String node = words.get(0).toLowerCase(Locale.ROOT);
        if (words.size() < 2) {
            throw new ConfigException(fileName, start, "Resource group of [" + node + "] has no resources"
                    + " (NODE RESOURCE [RESOURCE...])");
        }
        List<ResourceRef> resources = new ArrayList<>();
        for (String w : words.subList(1, words.size())) {
            try {
                resources.add(ResourceRef.parse(w));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(fileName, start, "Bad resource [" + w + "]: " + e.getMessage());
            }
        }
        GroupConfig group = new GroupConfig(node, resources, start);
        Integer first = keys.putIfAbsent(group.key(), start);
        if (first != null) {
            throw new ConfigException(fileName, start, "Duplicate group key [" + group.key() + "]: the first"
                    + " resource of each line must be unique in haresources (also first on line " + first + ")");
        }
        return group;
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }
}
