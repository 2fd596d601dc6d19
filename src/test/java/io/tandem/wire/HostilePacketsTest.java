package io.tandem.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.AuthKeys;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever arrives, decoding and verifying it (what the daemon does with every datagram) either
 * works or fails with {@link WireException}, and what decodes stays within the receive limits:
 * arbitrary bytes, syntax soup after a framing mark, worst-case units repeated up to and past the
 * datagram limit, and mutations of validly signed packets.
 */
class HostilePacketsTest {
    private static final AuthKeys KEYS = HostileShapes.KEYS;

    @Property(tries = 2000)
    void arbitraryBytesDecodeOrRaiseWireException(@ForAll @Size(max = 600) byte[] p) {
        handled(p);
    }

    @Property(tries = 2000)
    void syntaxAfterAFramingMarkDecodesOrRaisesWireException(@ForAll("marks") String mark, @ForAll("syntax") String body) {
        handled(latin1(mark + body));
    }

    @Property(tries = 300)
    void worstCaseUnitsRepeatedToAnySizeDecodeOrRaiseWireException(@ForAll("marks") String mark, @ForAll("units") String unit,
                                                                    @ForAll @IntRange(min = 0, max = 70_000) int size,
                                                                    @ForAll("ends") String end) {
        String body = unit.repeat(size / unit.length() + 1).substring(0, size);
        handled(latin1(mark + body + end));
    }

    @Property(tries = 500)
    void mutatedSignedPacketsDecodeOrRaiseWireException(@ForAll("messages") Message m, @ForAll WireFormat format, @ForAll long seed) {
        byte[] good = WireCodec.encodeSigned(m, KEYS.active(), format);
        Packet p = WireCodec.decode(good);
        assertThat(Authenticator.verify(p, KEYS)).isEqualTo(AuthVerdict.OK);
        Random random = new Random(seed);
        for (int k = 0; k < 20; k++) {
            handled(Mutations.mutate(good, random));
        }
    }

    /** Decode and verify as the daemon does: only WireException escapes, and a decoded message keeps the limits. */
    private static void handled(byte[] p) {
        Packet decoded;
        try {
            decoded = WireCodec.decode(p);
        } catch (WireException e) {
            assertThat(e.reason()).isNotBlank();
            return;
        }
        assertThat(p.length).isLessThanOrEqualTo(WireCodec.MAX_DATAGRAM);
        assertThat(decoded.message().size()).isLessThanOrEqualTo(WireCodec.MAX_FIELDS);
        for (Field f : decoded.message().fields()) {
            assertThat(f.name().length()).isBetween(1, WireCodec.MAX_NAME_LENGTH);
            assertThat(f.valueLength()).isLessThanOrEqualTo(p.length);
        }
        assertThat(Authenticator.verify(decoded, KEYS).reason()).isNotBlank();
    }

    @Provide
    Arbitrary<String> marks() {
        return Arbitraries.of(">>>\n", "###\n", "");
    }

    @Provide
    Arbitrary<String> syntax() {
        return Arbitraries.strings().withChars("=\n\0(),:%#<>0123456789ab \u0013QUJD").ofMaxLength(400);
    }

    @Provide
    Arbitrary<String> units() {
        return Arbitraries.of("a=\n", "\n", "abc\n", "=", "\0", "a=\0\n", "(1)b=QUJD\n", "(1)b=Q\n", "(2)s=x\n", "(3)l=x\n",
                "6:(0)a=b,", "0000006:(0)a=b,", "4:(2)s=,", "4:(3)l=,", "9", "99999999:", "1:", ",", "x", "QUJD",
                "%%%\n", "<<<\n", ">>>\n", "###\n");
    }

    @Provide
    Arbitrary<String> ends() {
        return Arbitraries.of("", "<<<\n\0", "%%%\n", "%%%\n34:1 " + "0".repeat(32) + ",", "auth=1 " + "0".repeat(32) + "\n<<<\n\0");
    }

    @Provide
    Arbitrary<Message> messages() {
        Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').withChars('_', '-').ofMinLength(1).ofMaxLength(20)
                .filter(n -> !n.equals(Message.AUTH));
        Arbitrary<String> values = Arbitraries.strings().withCharRange(' ', '~').withChars('\n', '=', ',', ':').ofMaxLength(60);
        Arbitrary<Field> strings = Combinators.combine(names, values).as(Field::string);
        Arbitrary<Field> binaries = Combinators.combine(names, Arbitraries.bytes().array(byte[].class).ofMaxSize(40)).as(Field::binary);
        return Arbitraries.frequencyOf(Tuple.of(5, strings), Tuple.of(1, binaries)).list().ofMinSize(1).ofMaxSize(30).map(Message::of);
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
