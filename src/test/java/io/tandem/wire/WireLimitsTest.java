package io.tandem.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.config.AuthKeys;
import io.tandem.wire.HostileShapes.Shape;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The receive limits of the decoders (issue "hostile packets", finding 1): what is refused, with
 * which reason, and that the bounds still let every real message through. No timing here; bench/codec
 * measures the cost.
 */
class WireLimitsTest {
    private static final AuthKeys KEYS = HostileShapes.KEYS;

    @Test
    void theFindingsPacketOf21834TinyLinesIsRefusedForTooManyFields() {
        byte[] p = latin1(">>>\n" + "a=\n".repeat(21_834));
        assertThat(p.length).isEqualTo(65_506).isLessThanOrEqualTo(WireCodec.MAX_DATAGRAM);
        assertThatThrownBy(() -> WireCodec.decode(p)).isInstanceOf(WireException.class)
                .hasMessageStartingWith("too many fields (more than 256)");
    }

    @Test
    void aFinishedClassicPacketOfTinyLinesIsRefusedAtTheSameField() {
        byte[] p = latin1(">>>\n" + "a=\n".repeat(21_832) + "<<<\n\0");
        assertThat(p.length).isLessThanOrEqualTo(WireCodec.MAX_DATAGRAM);
        assertThatThrownBy(() -> WireCodec.decode(p)).hasMessage("too many fields (more than 256) at offset " + (4 + 256 * 3));
    }

    @Test
    void tinyNetstringFieldsBeyondTheLimitAreRefused() {
        byte[] p = latin1("###\n" + "6:(0)a=b,".repeat(7_000) + "%%%\n");
        assertThatThrownBy(() -> WireCodec.decode(p)).isInstanceOf(WireException.class)
                .hasMessageStartingWith("too many fields (more than 256)");
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void aSignedMessageOfExactlyTheMaximumFieldCountDecodesAndVerifies(WireFormat format) {
        int own = format == WireFormat.NETSTRING ? WireCodec.MAX_FIELDS : WireCodec.MAX_FIELDS - 1; // + auth field
        Packet p = WireCodec.decode(WireCodec.encodeSigned(fields(own), KEYS.active(), format));
        assertThat(p.message().size()).isEqualTo(WireCodec.MAX_FIELDS);
        assertThat(Authenticator.verify(p, KEYS)).isEqualTo(AuthVerdict.OK);
    }

    @Test
    void oneFieldMoreThanTheMaximumIsRefusedInBothFramings() {
        Message atLimit = fields(WireCodec.MAX_FIELDS);
        Message over = fields(WireCodec.MAX_FIELDS + 1);
        assertThat(WireCodec.decode(WireCodec.encodeClassic(atLimit)).message()).isEqualTo(atLimit);
        assertThat(WireCodec.decode(WireCodec.encodeNetstring(atLimit, "1 00")).message()).isEqualTo(atLimit);
        assertThatThrownBy(() -> WireCodec.decode(WireCodec.encodeClassic(over))).hasMessageStartingWith("too many fields");
        assertThatThrownBy(() -> WireCodec.decode(WireCodec.encodeNetstring(over, "1 00"))).hasMessageStartingWith("too many fields");
    }

    @Test
    void theReceiveLimitIsTheLargestUdpPayload() {
        assertThat(WireCodec.MAX_DATAGRAM).isEqualTo(65_535 - 20 - 8);
        String end = "<<<\n\0";
        byte[] largest = latin1(">>>\n" + "\n".repeat(WireCodec.MAX_DATAGRAM - 4 - end.length()) + end);
        assertThat(largest).hasSize(WireCodec.MAX_DATAGRAM);
        assertThat(WireCodec.decode(largest).message().size()).isZero();
        byte[] tooLarge = latin1(">>>\n" + "\n".repeat(WireCodec.MAX_DATAGRAM + 1 - 4 - end.length()) + end);
        assertThatThrownBy(() -> WireCodec.decode(tooLarge)).isInstanceOf(WireException.class)
                .hasMessage("packet of 65508 bytes exceeds 65507 (the largest UDP payload)");
        assertThat(WireCodec.MAX_MESSAGE).as("MAXMSG, for encoding, is unchanged").isEqualTo(262_144);
    }

    @Test
    void fieldNamesMayHave255BytesAndNoMore() {
        String longest = "n".repeat(WireCodec.MAX_NAME_LENGTH);
        String tooLong = longest + "n";
        assertThat(WireCodec.decode(latin1(">>>\n" + longest + "=v\n<<<\n\0")).message().get(longest)).contains("v");
        assertThat(WireCodec.decode(latin1(">>>\n(1)" + longest + "=AA==\n<<<\n\0")).message().field(longest)).isPresent();
        assertThat(WireCodec.decode(WireCodec.encodeNetstring(Message.ofStrings(longest, "v"), "1 00")).message().get(longest))
                .contains("v");
        assertThatThrownBy(() -> WireCodec.decode(latin1(">>>\n" + tooLong + "=v\n<<<\n\0")))
                .hasMessage("field name of 256 bytes (more than 255) at offset 4");
        assertThatThrownBy(() -> WireCodec.decode(latin1(">>>\n(1)" + tooLong + "=AA==\n<<<\n\0")))
                .hasMessageStartingWith("field name of 256 bytes");
        assertThatThrownBy(() -> WireCodec.decode(WireCodec.encodeNetstring(Message.ofStrings(tooLong, "v"), "1 00")))
                .hasMessageStartingWith("field name of 256 bytes");
    }

    @Test
    void anEqualsSignOnALaterLineIsNotTakenForThisLinesOne() {
        // The old decoder looked for '=' from the line start to the end of the packet.
        assertThatThrownBy(() -> WireCodec.decode(latin1(">>>\nabc\nd=e\n<<<\n\0"))).hasMessage("line without '=' at offset 4");
        assertThatThrownBy(() -> WireCodec.decode(latin1("###\n4:(0)a,5:(0)b=c,%%%\n"))).hasMessage("field without '=' at offset 6");
    }

    @Test
    void lengthPrefixesLongerThanSevenDigitsAreRefusedAtTheEighth() {
        assertThatThrownBy(() -> WireCodec.decode(latin1("###\n" + "1".repeat(60_000) + ":x,")))
                .hasMessage("netstring length too long at offset 4");
        assertThat(WireCodec.decode(latin1("###\n0000006:(0)a=b,%%%\n")).message().get("a")).contains("b");
    }

    @Test
    void everyWorstCaseShapeIsDecodedOrRefusedWithItsReason() {
        for (Shape s : HostileShapes.all()) {
            assertThat(s.bytes().length).as(s.name()).isLessThanOrEqualTo(WireCodec.MAX_DATAGRAM);
            if (s.refusal() != null) {
                assertThatThrownBy(() -> WireCodec.decode(s.bytes())).as(s.framing() + ": " + s.name())
                        .isInstanceOf(WireException.class).hasMessageContaining(s.refusal());
                continue;
            }
            Packet p = WireCodec.decode(s.bytes());
            assertThat(p.message().size()).as(s.name()).isLessThanOrEqualTo(WireCodec.MAX_FIELDS);
            AuthVerdict v = Authenticator.verify(p, KEYS);
            assertThat(v.ok()).as(s.framing() + ": " + s.name() + ": " + v.reason()).isEqualTo(s.name().startsWith("reference"));
        }
    }

    @Test
    void aLargeBase64FieldDecodesToThreeQuartersOfItsText() {
        String text = "QUJD".repeat(12_000);
        Packet p = WireCodec.decode(latin1(">>>\n(1)b=" + text + "\n<<<\n\0"));
        assertThat(p.message().field("b").orElseThrow().valueLength()).isEqualTo(36_000);
    }

    private static Message fields(int n) {
        List<Field> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(Field.string("f" + i, "v" + i));
        }
        return Message.of(list);
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
