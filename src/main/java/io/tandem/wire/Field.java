package io.tandem.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One named, typed field of a heartbeat message. Values are kept as raw bytes so that a packet
 * re-encodes to exactly the bytes it was parsed from; strings are ISO-8859-1 views of those bytes.
 */
public final class Field {
    private final String name;
    private final FieldType type;
    private final byte[] value;

    public Field(String name, FieldType type, byte[] value) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.value = Objects.requireNonNull(value, "value").clone();
    }

    public static Field string(String name, String value) {
        return new Field(name, FieldType.STRING, value.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static Field binary(String name, byte[] value) {
        return new Field(name, FieldType.BINARY, value);
    }

    public String name() {
        return name;
    }

    public FieldType type() {
        return type;
    }

    /** A copy of the raw value bytes. */
    public byte[] value() {
        return value.clone();
    }

    public int valueLength() {
        return value.length;
    }

    /** The value read as text (ISO-8859-1, byte for byte). */
    public String text() {
        return new String(value, StandardCharsets.ISO_8859_1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Field f && f.name.equals(name) && f.type == type && Arrays.equals(f.value, value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, Arrays.hashCode(value));
    }

    @Override
    public String toString() {
        return type == FieldType.STRING ? name + "=" + text() : "(" + type.code() + ")" + name + "=<" + value.length + " bytes>";
    }
}
