package io.tandem.daemon.history;

import io.tandem.daemon.Json;
import io.tandem.daemon.log.LogText;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code tandem events}: the entries as lines for a person, or as one JSON document. */
public final class EventText {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
    /** Fields that hold a time (ms) and are shown as one. */
    static final Set<String> TIMES = Set.of("lastHeard", "started");

    private EventText() {
    }

    /** One line per entry: {@code DAY TIME NODE KIND SUBJECT: CAUSE (FIELD=VALUE, ...)}; values made printable. */
    public static String human(List<StoredEvent> events) {
        StringBuilder b = new StringBuilder();
        for (StoredEvent e : events) {
            b.append(DAY.format(Instant.ofEpochMilli(e.time()))).append(' ').append(LogText.clean(e.node())).append(' ')
                    .append(e.kind()).append(' ').append(LogText.clean(e.subject())).append(": ").append(LogText.clean(e.cause()));
            StringBuilder f = new StringBuilder();
            for (Map.Entry<String, String> x : e.fields().entrySet()) {
                if (x.getValue().isEmpty()) {
                    continue;
                }
                f.append(f.length() == 0 ? " (" : ", ").append(x.getKey()).append('=').append(LogText.clean(shown(x.getKey(), x.getValue())));
            }
            b.append(f.length() == 0 ? "" : f.append(')')).append('\n');
        }
        return b.toString();
    }

    /** {@code {"events":[{"time":"ISO","epochMs":...,"node":...,"life":...,"seq":...,"kind":...,"subject":...,"cause":...,"fields":{...}}]}}. */
    public static String json(List<StoredEvent> events) {
        StringBuilder b = new StringBuilder("{\"events\":[");
        for (int i = 0; i < events.size(); i++) {
            b.append(i == 0 ? "" : ",").append(json(events.get(i)));
        }
        return b.append("]}\n").toString();
    }

    /** One entry as a JSON object (also a line of a future event stream). */
    public static String json(StoredEvent e) {
        StringBuilder b = new StringBuilder("{\"time\":").append(Json.quote(Instant.ofEpochMilli(e.time()).toString()))
                .append(",\"epochMs\":").append(e.time()).append(",\"node\":").append(Json.quote(e.node()))
                .append(",\"life\":").append(e.life()).append(",\"seq\":").append(e.seq())
                .append(",\"kind\":").append(Json.quote(e.kind())).append(",\"subject\":").append(Json.quote(e.subject()))
                .append(",\"cause\":").append(Json.quote(e.cause())).append(",\"fields\":{");
        boolean first = true;
        for (Map.Entry<String, String> x : e.fields().entrySet()) {
            b.append(first ? "" : ",").append(Json.quote(x.getKey())).append(':').append(Json.quote(x.getValue()));
            first = false;
        }
        return b.append("}}").toString();
    }

    static String clock(long ms) {
        return CLOCK.format(Instant.ofEpochMilli(ms));
    }

    private static String shown(String name, String value) {
        if (TIMES.contains(name) && value.matches("\\d{1,18}")) {
            return clock(Long.parseLong(value));
        }
        return value;
    }
}
