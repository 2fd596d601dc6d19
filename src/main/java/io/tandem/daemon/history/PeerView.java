package io.tandem.daemon.history;

import io.tandem.daemon.Json;
import io.tandem.daemon.log.LogText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The peer's history as its API gave it ({@code GET /api/v1/events}), or why there is none, and the
 * merge of it with this node's into one timeline (docs/observability.md, "tandem why"). Values from
 * the peer are hostile: at most {@link #MAX_ENTRIES} entries of at most {@link #MAX_FIELDS} fields,
 * every value cut at {@link #MAX_TEXT} characters, and each entry marked with the peer's configured
 * name whatever it says of itself. They are shown, never acted on.
 *
 * @param node    the peer's node name (tandem.cf's {@code http_peer})
 * @param events  its entries, oldest first (empty when it did not answer)
 * @param problem why it could not be read ("connect timed out", "HTTP 401"), or null when it was
 */
public record PeerView(String node, List<StoredEvent> events, String problem) {
    public static final int MAX_ENTRIES = EventHistory.RING;
    public static final int MAX_FIELDS = 32;
    public static final int MAX_TEXT = 200;

    public PeerView {
        events = List.copyOf(events);
    }

    public static PeerView unreachable(String node, String problem) {
        return new PeerView(node, List.of(), cut(problem));
    }

    public boolean reachable() {
        return problem == null;
    }

    /** The one line that says the peer's view is missing, or "" when it is there. */
    public String note() {
        return reachable() ? "" : "peer " + LogText.clean(node) + " not reachable: " + LogText.clean(problem) + "; this node's view only";
    }

    /** {@code {"node":...,"reachable":true|false[,"error":...]}}. */
    public String json() {
        return "{\"node\":" + Json.quote(node) + ",\"reachable\":" + reachable() + (reachable() ? "" : ",\"error\":" + Json.quote(problem)) + "}";
    }

    /** The peer's {@code {"events":[...]}} answer; an {@link IllegalArgumentException} when it is not that. */
    public static PeerView parse(String node, String body) {
        Object doc = BoundedJson.parse(body);
        if (!(doc instanceof Map<?, ?> m) || !(m.get("events") instanceof List<?> list)) {
            throw new IllegalArgumentException("not the API's JSON: no \"events\" list");
        }
        if (list.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("more than " + MAX_ENTRIES + " entries");
        }
        List<StoredEvent> out = new ArrayList<>();
        for (Object o : list) {
            out.add(entry(node, o));
        }
        out.sort(Comparator.comparingLong(StoredEvent::time));
        return new PeerView(node, out, null);
    }

    private static StoredEvent entry(String node, Object o) {
        if (!(o instanceof Map<?, ?> e) || !(e.get("epochMs") instanceof Double time) || !(e.get("fields") instanceof Map<?, ?> f)
                || f.size() > MAX_FIELDS) {
            throw new IllegalArgumentException("not the API's JSON: an entry without epochMs or fields");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<?, ?> x : f.entrySet()) {
            String name = cut(String.valueOf(x.getKey()));
            String value = cut(text(x.getValue()));
            fields.put(name, EventText.TIMES.contains(name) && !value.matches("\\d{1,18}") ? "" : value); // a time is read as a number
        }
        return new StoredEvent(time.longValue(), node, number(e.get("life")), number(e.get("seq")), cut(text(e.get("kind"))),
                cut(text(e.get("subject"))), cut(text(e.get("cause"))), fields);
    }

    private static long number(Object v) {
        return v instanceof Double d ? d.longValue() : -1;
    }

    private static String text(Object v) {
        return v instanceof String s ? s : v == null ? "" : String.valueOf(v);
    }

    private static String cut(String s) {
        return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT);
    }

    /**
     * This node's entries and the peer's in one timeline, ordered by each entry's own time (this
     * node's first at equal times); an entry of the peer equal to one of this node's (the same time,
     * life, number, kind, subject and cause: a peer URL that leads back here) or to another of the
     * peer's is left out.
     */
    public List<StoredEvent> merge(List<StoredEvent> local) {
        Set<List<Object>> seen = new HashSet<>();
        List<StoredEvent> all = new ArrayList<>(local.size() + events.size());
        for (StoredEvent e : local) {
            seen.add(key(e));
            all.add(e);
        }
        for (StoredEvent e : events) {
            if (seen.add(key(e))) {
                all.add(e);
            }
        }
        all.sort(Comparator.comparingLong(StoredEvent::time)); // stable: this node's first at equal times
        return all;
    }

    private static List<Object> key(StoredEvent e) {
        return List.of(e.time(), e.life(), e.seq(), e.kind(), e.subject(), e.cause());
    }
}
