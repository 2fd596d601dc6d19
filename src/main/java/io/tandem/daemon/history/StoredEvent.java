package io.tandem.daemon.history;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of the event history as the daemon keeps it: the core's {@link io.tandem.node.ClusterEvent}
 * with the node that recorded it. {@code time} is the daemon clock's (wall-clock ms); {@code seq}
 * rises within one life of the daemon ({@code life} tells lives apart, its generation).
 */
public record StoredEvent(long time, String node, long life, long seq, String kind, String subject, String cause,
                          Map<String, String> fields) {
    public StoredEvent {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public String field(String name) {
        return fields.getOrDefault(name, "");
    }

    /** The group an entry concerns ({@code group} entries, operations), or "". */
    public String group() {
        return kind.equals("group") ? subject : field("group");
    }
}
