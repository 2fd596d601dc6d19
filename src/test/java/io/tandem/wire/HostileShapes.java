package io.tandem.wire;

import io.tandem.config.AuthKey;
import io.tandem.config.AuthKeys;
import io.tandem.config.AuthMethod;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Worst-case datagrams for the decoders, each as large as a UDP payload allows (at most 65,507
 * bytes), plus the reference: a status message as heartbeat 3.0.6 signs it. Shared by
 * {@code WireLimitsTest} (each shape is decoded or refused with the expected reason) and
 * {@code bench/codec} (each shape timed). Uses only the codec's public API.
 */
public final class HostileShapes {
    /** The largest UDP payload over IPv4; the codec's receive limit. */
    public static final int UDP_MAX = 65_507;
    /** The md5 key of the seed captures: the reference is signed with it and every shape checked against it. */
    public static final AuthKeys KEYS = keys(AuthMethod.MD5);

    /**
     * One input. {@code refusal} is part of the reason {@link WireCodec#decode} gives, or null when
     * the shape decodes (then {@link Authenticator#verify} runs on it; only the reference verifies).
     */
    public record Shape(String name, String framing, byte[] bytes, String refusal) {
    }

    private HostileShapes() {
    }

    /** Key 1 with this method and the md5 capture's secret. */
    public static AuthKeys keys(AuthMethod method) {
        return AuthKeys.single(new AuthKey(1, method, method == AuthMethod.CRC ? "" : "74a6a503b5bec9373b22bb630608df41"));
    }

    /** A status message with the fields and sizes of the ones in the md5 capture, signed as heartbeat does. */
    public static byte[] reference(AuthKeys keys) {
        Message status = Message.of(List.of(
                Field.string("t", "status"), Field.string("st", "active"), Field.string("dt", "1388"),
                Field.string("protocol", "1"), Field.string("src", "orasrv1.xlk.com"),
                Field.binary("srcuuid", HexFormat.of().parseHex("e16aec6a7c6a4b4b82c0ec0b9bf22086")),
                Field.string("seq", "2a"), Field.string("hg", "6b05d40b"), Field.string("ts", "6b05dbd0"),
                Field.string("ld", "0.15 0.41 0.81 1/88 28006"), Field.string("ttl", "4")));
        return WireCodec.encodeSigned(status, keys.active(), WireFormat.NETSTRING_WITH_AUTH_FIELD);
    }

    public static List<Shape> all() {
        return all(KEYS);
    }

    /** The shapes, with the reference signed by {@code keys} (the others do not depend on the key). */
    public static List<Shape> all(AuthKeys keys) {
        List<Shape> s = new ArrayList<>();
        s.add(new Shape("reference: signed status message", "netstring", reference(keys), null));

        String badAuth = "auth=1 " + "0".repeat(32) + "\n";
        s.add(new Shape("21,834 lines a= (the finding)", "classic", latin1(">>>\n" + "a=\n".repeat(21_834)), "too many fields"));
        s.add(new Shape("256 fields of 250 bytes, bad auth", "classic",
                latin1(">>>\n" + ("f=" + "v".repeat(247) + "\n").repeat(255) + badAuth + "<<<\n\0"), null));
        s.add(new Shape("one 64 KB line, bad auth", "classic", classic(">>>\nv=", 'x', "\n" + badAuth + "<<<\n\0"), null));
        s.add(new Shape("48 KB base64 field, bad auth", "classic", base64Shape(badAuth), null));
        s.add(new Shape("64 KB of empty lines", "classic", classic(">>>\n", '\n', "<<<\n\0"), null));
        s.add(new Shape("64 KB field name", "classic", classic(">>>\n", 'n', "=v\n<<<\n\0"), "field name of"));
        s.add(new Shape("64 KB line without '='", "classic", classic(">>>\n", 'x', "\n<<<\n\0"), "without '='"));
        s.add(new Shape("16,000 lines without '='", "classic", latin1(">>>\n" + "abc\n".repeat(16_000) + "<<<\n\0"), "without '='"));
        s.add(new Shape("NUL at the end of a 64 KB line", "classic", classic(">>>\nv=", 'x', "\0\n<<<\n\0"), "NUL byte"));
        s.add(new Shape("255 lines then NULs", "classic", classic(">>>\n" + "a=b\n".repeat(255), '\0', ""), "no MSG_END"));
        s.add(new Shape("random bytes", "classic", random(">>>\n", 1), "NUL byte"));

        String badTrailer = "%%%\n34:1 " + "0".repeat(32) + ",";
        s.add(new Shape("7,000 tiny fields", "netstring", latin1("###\n" + "6:(0)a=b,".repeat(7_000) + badTrailer), "too many fields"));
        s.add(new Shape("256 fields of 250 bytes, bad trailer", "netstring",
                latin1("###\n" + ("246:(0)f=" + "v".repeat(241) + ",").repeat(256) + badTrailer), null));
        s.add(new Shape("one 64 KB field, bad trailer", "netstring", oneField("(0)v=", 'x', badTrailer), null));
        s.add(new Shape("64 KB of NULs in a field, bad trailer", "netstring", oneField("(1)v=", '\0', badTrailer), null));
        s.add(new Shape("7-digit length prefixes", "netstring",
                latin1("###\n" + "0000006:(0)a=b,".repeat(4_000) + badTrailer), "too many fields"));
        s.add(new Shape("64 KB of digits as a length prefix", "netstring", classic("###\n", '9', ":x,"), "netstring length too long"));
        s.add(new Shape("64 KB field without '='", "netstring", oneField("(0)", 'x', badTrailer), "without '='"));
        s.add(new Shape("random bytes", "netstring", random("###\n", 2), "bad netstring length"));
        return s;
    }

    /** {@code head}, then {@code fill} up to the size limit, then {@code tail}. */
    private static byte[] classic(String head, char fill, String tail) {
        return latin1(head + String.valueOf(fill).repeat(UDP_MAX - head.length() - tail.length()) + tail);
    }

    /** {@code ###\n}, one field {@code prefix + fill...} as large as fits, then the trailer. */
    private static byte[] oneField(String prefix, char fill, String trailer) {
        int room = UDP_MAX - 4 - 1 - trailer.length(); // ###\n, ','
        int digits = 5;
        int content = room - digits - 1;
        return latin1("###\n" + content + ":" + prefix + String.valueOf(fill).repeat(content - prefix.length()) + "," + trailer);
    }

    private static byte[] base64Shape(String badAuth) {
        String head = ">>>\n(1)b=";
        String tail = "\n" + badAuth + "<<<\n\0";
        int chars = (UDP_MAX - head.length() - tail.length()) / 4 * 4;
        return latin1(head + "QUJD".repeat(chars / 4) + tail);
    }

    /** {@code head} then random bytes up to the size limit (fixed seed: the same bytes every run). */
    private static byte[] random(String head, long seed) {
        byte[] b = new byte[UDP_MAX];
        new Random(seed).nextBytes(b);
        System.arraycopy(latin1(head), 0, b, 0, head.length());
        return b;
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
