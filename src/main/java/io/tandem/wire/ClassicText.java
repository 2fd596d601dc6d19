package io.tandem.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Heartbeat's classic text framing (docs/protocol.md 1.2): {@code >>>\n}, one {@code [(d)]name=value\n}
 * line a field ({@code \n} in strings written as 0x13, binaries in base64), {@code <<<\n}, NUL.
 */
final class ClassicText {
    static final byte NEWLINE_STANDIN = 0x13;
    private static final byte[] START = ">>>\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] END = "<<<\n".getBytes(StandardCharsets.ISO_8859_1);

    private ClassicText() {
    }

    static boolean starts(byte[] p) {
        return startsWith(p, START, 0);
    }

    /** The line of one field, without the newline: what the classic signature is computed over. */
    static void line(Field f, ByteArrayOutputStream out) {
        if (f.type() != FieldType.STRING) {
            if (f.type() != FieldType.BINARY && f.type() != FieldType.LIST) {
                throw new WireException("field " + f.name() + ": type " + f.type().code() + " cannot be written in classic format");
            }
            out.writeBytes(("(" + f.type().code() + ")").getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes(f.name().getBytes(StandardCharsets.ISO_8859_1));
        out.write('=');
        byte[] v = f.value();
        if (f.type() == FieldType.BINARY) {
            out.writeBytes(Base64.getEncoder().encode(v));
            return;
        }
        for (int k = 0; k < v.length; k++) { // v is our own copy
            if (v[k] == NEWLINE_STANDIN) {
                throw new WireException("field " + f.name() + ": byte 0x13 cannot be written in classic format");
            }
            if (v[k] == '\n') {
                v[k] = NEWLINE_STANDIN;
            }
        }
        out.writeBytes(v); // one call: ByteArrayOutputStream.write(int) is synchronized, a lock a byte
    }

    static byte[] encode(Message m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(START);
        for (Field f : m.fields()) {
            line(f, out);
            out.write('\n');
        }
        out.writeBytes(END);
        out.write(0);
        return out.toByteArray();
    }

    /**
     * One pass over the packet: each line is scanned once for its newline, its first '=' and any NUL,
     * and the field count is checked before a line is read (WireCodec's limits).
     */
    static Message decode(byte[] p) {
        if (!starts(p)) {
            throw new WireException("no MSG_START (>>>)");
        }
        List<Field> fields = new ArrayList<>();
        int i = START.length;
        while (true) {
            if (i >= p.length || p[i] == 0) {
                throw new WireException("no MSG_END (<<<) after " + fields.size() + " field(s)");
            }
            if (p[i] == '\n') { // an empty line, skipped as before
                i++;
                continue;
            }
            if (startsWith(p, END, i)) {
                return Message.of(fields);
            }
            WireCodec.roomForField(fields.size(), i);
            int eq = -1;
            int end = i;
            while (end < p.length && p[end] != '\n') {
                byte b = p[end];
                if (b == 0) {
                    throw new WireException("NUL byte inside field line at offset " + end);
                }
                if (b == '=' && eq < 0) {
                    eq = end;
                }
                end++;
            }
            fields.add(field(p, i, eq, end));
            if (end == p.length) {
                throw new WireException("no MSG_END (<<<) after " + fields.size() + " field(s)");
            }
            i = end + 1;
        }
    }

    /** The field of the line {@code [from, to)} whose first '=' is at {@code eq} (-1: none). */
    private static Field field(byte[] p, int from, int eq, int to) {
        if (eq < 0) {
            throw new WireException("line without '=' at offset " + from);
        }
        FieldType type = FieldType.STRING;
        int nameFrom = from;
        if (p[from] == '(') {
            if (eq - from < 3 || p[from + 2] != ')' || p[from + 1] < '0' || p[from + 1] > '9') {
                throw new WireException("bad type prefix at offset " + from);
            }
            type = FieldType.ofCode(p[from + 1] - '0');
            if (type == null || type == FieldType.STRUCT || type == FieldType.COMPRESSED || type == FieldType.UNCOMPRESSED) {
                throw new WireException("field type " + (char) p[from + 1] + " is not supported in classic format (CRM only)");
            }
            nameFrom = from + 3;
        }
        if (eq == nameFrom) {
            throw new WireException("empty field name at offset " + from);
        }
        WireCodec.checkName(eq - nameFrom, from);
        String name = new String(p, nameFrom, eq - nameFrom, StandardCharsets.ISO_8859_1);
        byte[] raw = Arrays.copyOfRange(p, eq + 1, to);
        if (type == FieldType.BINARY) {
            try {
                return new Field(name, type, Base64.getDecoder().decode(raw));
            } catch (IllegalArgumentException e) {
                throw new WireException("field " + name + ": bad base64");
            }
        }
        if (type == FieldType.STRING) {
            for (int k = 0; k < raw.length; k++) {
                if (raw[k] == NEWLINE_STANDIN) {
                    raw[k] = '\n';
                }
            }
        }
        return new Field(name, type, raw);
    }

    static boolean startsWith(byte[] p, byte[] prefix, int at) {
        if (at < 0 || p.length - at < prefix.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (p[at + k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    /** The first {@code b} in {@code p[from, to)}, or -1. */
    static int indexOf(byte[] p, byte b, int from, int to) {
        for (int k = from; k < to; k++) {
            if (p[k] == b) {
                return k;
            }
        }
        return -1;
    }
}
