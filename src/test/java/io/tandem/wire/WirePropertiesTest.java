package io.tandem.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.AuthKey;
import io.tandem.config.AuthKeys;
import io.tandem.config.AuthMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Round trips of arbitrary messages in every format, and a fuzz run where only the codec's own error escapes. */
class WirePropertiesTest {
    private static final AuthKeys KEYS = AuthKeys.single(new AuthKey(1, AuthMethod.SHA1, "property-key"));

    @Property(tries = 300)
    void signedMessagesRoundTripInEveryFormat(@ForAll("messages") Message m, @ForAll WireFormat format) {
        byte[] wire = WireCodec.encodeSigned(m, KEYS.active(), format);
        Packet p = WireCodec.decode(wire);
        assertThat(Authenticator.verify(p, KEYS)).isEqualTo(AuthVerdict.OK);
        assertThat(p.message().without(Message.AUTH)).isEqualTo(m);
        assertThat(p.message().has(Message.AUTH)).isEqualTo(format != WireFormat.NETSTRING);
    }

    @Property(tries = 200)
    void anyChangeOfAFieldValueBreaksTheSignature(@ForAll("messages") Message m, @ForAll WireFormat format,
                                                  @ForAll @IntRange(min = 0, max = 1000) int which) {
        Field f = m.fields().get(which % m.size());
        byte[] v = f.value();
        byte[] changed = new byte[v.length + 1];
        System.arraycopy(v, 0, changed, 0, v.length);
        changed[v.length] = 'x';
        Packet good = WireCodec.decode(WireCodec.encodeSigned(m, KEYS.active(), format));
        List<Field> fields = new ArrayList<>(good.message().fields());
        int at = fields.indexOf(f);
        fields.set(at, new Field(f.name(), f.type(), changed));
        Message tampered = Message.of(fields);
        byte[] forged = format == WireFormat.CLASSIC ? WireCodec.encodeClassic(tampered)
                : WireCodec.encodeNetstring(tampered, good.trailer().orElseThrow());
        assertThat(Authenticator.verify(WireCodec.decode(forged), KEYS).ok()).isFalse();
    }

    @Provide
    Arbitrary<Message> messages() {
        Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').withChars('_', '-', '0', '9').ofMinLength(1).ofMaxLength(12)
                .filter(n -> !n.equals(Message.AUTH));
        Arbitrary<String> values = Arbitraries.strings().withCharRange(' ', '~').withChars('\n', '\t', 'é').ofMaxLength(40);
        Arbitrary<Field> strings = Combinators.combine(names, values).as(Field::string);
        Arbitrary<Field> binaries = Combinators.combine(names, Arbitraries.bytes().array(byte[].class).ofMaxSize(24)).as(Field::binary);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, strings), net.jqwik.api.Tuple.of(1, binaries))
                .list().ofMinSize(1).ofMaxSize(14).map(Message::of);
    }

    /** 100,000 mutated real packets: decode and verify either succeed or fail with the codec's own error. */
    @Test
    void fuzzedCapturePacketsOnlyEverRaiseWireException() {
        List<byte[]> seeds = Captures.Capture.SHA1.packets();
        seeds.addAll(Captures.Capture.CRC.packets());
        Random random = new Random(20261124L);
        AuthKeys keys = Captures.Capture.SHA1.keys();
        int rejected = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] p = Mutations.mutate(seeds.get(random.nextInt(seeds.size())), random);
            try {
                Packet decoded = WireCodec.decode(p);
                if (!Authenticator.verify(decoded, keys).ok()) {
                    rejected++;
                }
            } catch (WireException e) {
                assertThat(e.getMessage()).isNotBlank();
                rejected++;
            }
        }
        assertThat(rejected).isGreaterThan(90_000);
    }
}
