package io.tandem.wire;

/** Heartbeat field types (cluster-glue {@code ha_msg.h}); v1 clusters only send STRING and BINARY. */
public enum FieldType {
    STRING(0), BINARY(1), STRUCT(2), LIST(3), COMPRESSED(4), UNCOMPRESSED(5);

    private final int code;

    FieldType(int code) {
        this.code = code;
    }

    /** The digit heartbeat writes as {@code (d)} before a field name. */
    public int code() {
        return code;
    }

    /** The type for a wire digit, or {@code null} when the digit names no type. */
    public static FieldType ofCode(int code) {
        for (FieldType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
