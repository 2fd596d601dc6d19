package io.tandem.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An immutable heartbeat message: an ordered list of fields. Order matters (it is signed), names may
 * repeat, and look-ups return the first field with the name, as heartbeat does.
 */
public final class Message {
    /** Standard field names (cluster-glue {@code ha_msg.h}). */
    public static final String TYPE = "t", SRC = "src", SRCUUID = "srcuuid", DEST = "dest", DESTUUID = "destuuid",
            SEQ = "seq", GEN = "hg", TS = "ts", LOAD = "ld", TTL = "ttl", AUTH = "auth", STATUS = "st",
            DEADTIME = "dt", PROTOCOL = "protocol", INFO = "info";

    private static final Message EMPTY = new Message(List.of());

    private final List<Field> fields;

    private Message(List<Field> fields) {
        this.fields = fields;
    }

    public static Message empty() {
        return EMPTY;
    }

    public static Message of(List<Field> fields) {
        return new Message(List.copyOf(fields));
    }

    /** Convenience: a message of string fields given as name, value, name, value, ... */
    public static Message ofStrings(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        List<Field> list = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            list.add(Field.string(namesAndValues[i], namesAndValues[i + 1]));
        }
        return new Message(Collections.unmodifiableList(list));
    }

    public List<Field> fields() {
        return fields;
    }

    public int size() {
        return fields.size();
    }

    public Optional<Field> field(String name) {
        for (Field f : fields) {
            if (f.name().equals(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The first field of this name as text, if any. */
    public Optional<String> get(String name) {
        return field(name).map(Field::text);
    }

    public String getOr(String name, String fallback) {
        return get(name).orElse(fallback);
    }

    public boolean has(String name) {
        return field(name).isPresent();
    }

    /** The message type ({@code t}), or the empty string when there is none. */
    public String type() {
        return getOr(TYPE, "");
    }

    /** Appends a field at the end. */
    public Message append(Field field) {
        List<Field> list = new ArrayList<>(fields);
        list.add(field);
        return new Message(Collections.unmodifiableList(list));
    }

    public Message append(String name, String value) {
        return append(Field.string(name, value));
    }

    /** Replaces the first field of the same name in place, or appends it (heartbeat's {@code ha_msg_mod}). */
    public Message set(Field field) {
        List<Field> list = new ArrayList<>(fields);
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).name().equals(field.name())) {
                list.set(i, field);
                return new Message(Collections.unmodifiableList(list));
            }
        }
        list.add(field);
        return new Message(Collections.unmodifiableList(list));
    }

    public Message set(String name, String value) {
        return set(Field.string(name, value));
    }

    /** This message without any field of the given name. */
    public Message without(String name) {
        List<Field> list = new ArrayList<>(fields.size());
        for (Field f : fields) {
            if (!f.name().equals(name)) {
                list.add(f);
            }
        }
        return new Message(Collections.unmodifiableList(list));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && m.fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return fields.stream().map(Field::toString).collect(Collectors.joining(" ", "{", "}"));
    }
}
