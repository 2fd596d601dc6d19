package io.tandem.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Heartbeat's netstring framing (docs/protocol.md 1.3): {@code ###\n}, one {@code L:(t)name=value,} a
 * field, {@code %%%\n}, then the authentication trailer {@code A:n hex,}. Values are raw bytes.
 */
final class NetstringText {
    private static final byte[] START = "###\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] END = "%%%\n".getBytes(StandardCharsets.ISO_8859_1);
    /** Longest length prefix we read: MAXMSG (262144) has 6 digits (a received datagram needs at most 5). */
    private static final int MAX_DIGITS = 7;

    private NetstringText() {
    }

    static boolean starts(byte[] p) {
        return ClassicText.startsWith(p, START, 0);
    }

    /** The framed fields through {@code %%%\n}: the bytes the trailer signs. */
    static byte[] body(Message m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(320);
        out.writeBytes(START);
        for (Field f : m.fields()) {
            if (f.type() == FieldType.COMPRESSED || f.type() == FieldType.UNCOMPRESSED) {
                throw new WireException("field " + f.name() + ": compressed fields are not supported");
            }
            byte[] name = f.name().getBytes(StandardCharsets.ISO_8859_1);
            byte[] value = f.value();
            int len = 3 + name.length + 1 + value.length;
            out.writeBytes((len + ":(" + f.type().code() + ")").getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(name);
            out.write('=');
            out.writeBytes(value);
            out.write(',');
        }
        out.writeBytes(END);
        return out.toByteArray();
    }

    static byte[] withTrailer(byte[] body, String authString) {
        byte[] a = authString.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + a.length + 8);
        out.writeBytes(body);
        out.writeBytes((a.length + ":").getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(a);
        out.write(',');
        return out.toByteArray();
    }

    /**
     * One pass: each length prefix is read once (at most {@link #MAX_DIGITS} digits) and the field
     * count is checked before a field is read. Types 2 and 3 (struct, list) are kept as raw bytes and
     * never parsed, so there is no nesting to bound.
     */
    static Packet decode(byte[] p) {
        if (!starts(p)) {
            throw new WireException("no netstring start (###)");
        }
        List<Field> fields = new ArrayList<>();
        int i = START.length;
        while (!ClassicText.startsWith(p, END, i)) {
            if (i >= p.length) {
                throw new WireException("no netstring end (%%%) after " + fields.size() + " field(s)");
            }
            WireCodec.roomForField(fields.size(), i);
            int[] item = netstring(p, i);
            fields.add(field(p, item[0], item[1]));
            i = item[1] + 1;
        }
        int signed = i + END.length;
        Optional<String> trailer = Optional.empty();
        if (signed < p.length) {
            int[] item = netstring(p, signed);
            trailer = Optional.of(new String(p, item[0], item[1] - item[0], StandardCharsets.ISO_8859_1));
            if (item[1] + 1 != p.length) {
                throw new WireException((p.length - item[1] - 1) + " stray byte(s) after the authentication trailer");
            }
        }
        return new Packet(Message.of(fields), WireFormat.NETSTRING, trailer, p, signed);
    }

    /** Reads {@code L:<L bytes>,} at {@code at}; returns {start, end} of the content (end = index of the comma). */
    private static int[] netstring(byte[] p, int at) {
        int k = at;
        long len = 0;
        while (k < p.length && p[k] >= '0' && p[k] <= '9') {
            if (k - at >= MAX_DIGITS) {
                throw new WireException("netstring length too long at offset " + at);
            }
            len = len * 10 + (p[k] - '0');
            k++;
        }
        if (k == at || k >= p.length || p[k] != ':') {
            throw new WireException("bad netstring length at offset " + at);
        }
        int start = k + 1;
        long end = start + len;
        if (end >= p.length || p[(int) end] != ',') {
            throw new WireException("netstring at offset " + at + " (length " + len + ") is truncated or lacks its ','");
        }
        return new int[] {start, (int) end};
    }

    private static Field field(byte[] p, int from, int to) {
        if (to - from < 4 || p[from] != '(' || p[from + 2] != ')') {
            throw new WireException("field without (type) prefix at offset " + from);
        }
        FieldType type = p[from + 1] >= '0' && p[from + 1] <= '9' ? FieldType.ofCode(p[from + 1] - '0') : null;
        if (type == null) {
            throw new WireException("unknown field type '" + (char) (p[from + 1] & 0xff) + "' at offset " + from);
        }
        if (type == FieldType.COMPRESSED || type == FieldType.UNCOMPRESSED) {
            throw new WireException("compressed message (field type " + type.code() + ") is not supported");
        }
        int eq = ClassicText.indexOf(p, (byte) '=', from + 3, to);
        if (eq < 0) {
            throw new WireException("field without '=' at offset " + from);
        }
        if (eq == from + 3) {
            throw new WireException("empty field name at offset " + from);
        }
        WireCodec.checkName(eq - from - 3, from);
        String name = new String(p, from + 3, eq - from - 3, StandardCharsets.ISO_8859_1);
        return new Field(name, type, Arrays.copyOfRange(p, eq + 1, to));
    }
}
