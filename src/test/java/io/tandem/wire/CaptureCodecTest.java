package io.tandem.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.config.AuthKey;
import io.tandem.config.AuthKeys;
import io.tandem.config.AuthMethod;
import io.tandem.wire.Captures.Capture;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every packet real heartbeat 3.0.6 sent in the three captures parses, verifies and re-encodes byte for byte. */
class CaptureCodecTest {
    @BeforeAll
    static void captures() {
        assertThat(Captures.available()).as("src/test/resources/captures/seed-md5.pcap is part of the repository").isTrue();
    }

    @ParameterizedTest
    @EnumSource(Capture.class)
    void everyPacketParsesVerifiesAndReencodesIdentically(Capture capture) {
        List<byte[]> packets = capture.packets();
        assertThat(packets).hasSizeGreaterThan(250);
        for (byte[] p : packets) {
            Packet decoded = WireCodec.decode(p);
            assertThat(decoded.framing()).isEqualTo(WireFormat.NETSTRING);
            assertThat(Authenticator.verify(decoded, capture.keys())).as(new String(p, java.nio.charset.StandardCharsets.ISO_8859_1))
                    .isEqualTo(AuthVerdict.OK);
            assertThat(WireCodec.encodeNetstring(decoded.message(), decoded.trailer().orElseThrow())).isEqualTo(p);
        }
    }

    @ParameterizedTest
    @EnumSource(Capture.class)
    void signingTheCapturedFieldsReproducesHeartbeatsBytes(Capture capture) {
        for (byte[] p : capture.packets()) {
            Message m = WireCodec.decode(p).message();
            boolean innerAuth = m.has(Message.AUTH);
            WireFormat format = innerAuth ? WireFormat.NETSTRING_WITH_AUTH_FIELD : WireFormat.NETSTRING;
            assertThat(WireCodec.encodeSigned(m.without(Message.AUTH), capture.key, format)).isEqualTo(p);
        }
    }

    @Test
    void innerClassicAuthFieldIsTheClassicSignature() {
        int checked = 0;
        for (Capture c : Capture.values()) {
            for (byte[] p : c.packets()) {
                Message m = WireCodec.decode(p).message();
                if (m.has(Message.AUTH)) {
                    assertThat(Authenticator.classicAuth(m, c.key)).isEqualTo(m.get(Message.AUTH).orElseThrow());
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(500);
    }

    @Test
    void capturesHoldTheMessageTypesOfTheSeedRun() {
        List<String> types = Capture.MD5.packets().stream().map(p -> WireCodec.decode(p).message().type()).distinct().toList();
        assertThat(types).contains("status", "NS_ackmsg", "reqnodes", "repnodes", "starting", "resource", "ask_resources",
                "hb_takeover", "shutdone");
    }

    @Test
    void wrongKeyFlippedByteTruncationAndGarbageAreRejectedWithAReason() {
        byte[] p = Capture.MD5.packets().get(5);
        Packet ok = WireCodec.decode(p);
        AuthKeys wrong = AuthKeys.single(new AuthKey(1, AuthMethod.MD5, "not-the-key"));
        assertThat(Authenticator.verify(ok, wrong).reason()).contains("digest does not match");
        AuthKeys otherIndex = AuthKeys.single(new AuthKey(2, AuthMethod.MD5, "74a6a503b5bec9373b22bb630608df41"));
        assertThat(Authenticator.verify(ok, otherIndex).reason()).contains("Invalid authentication type [1]");
        AuthKeys sha = AuthKeys.single(new AuthKey(1, AuthMethod.SHA1, "74a6a503b5bec9373b22bb630608df41"));
        assertThat(Authenticator.verify(ok, sha).ok()).isFalse();

        int flippedRejected = 0;
        for (int i = 0; i < p.length; i++) {
            byte[] q = p.clone();
            q[i] ^= 0x01;
            try {
                if (!Authenticator.verify(WireCodec.decode(q), Capture.MD5.keys()).ok()) {
                    flippedRejected++;
                }
            } catch (WireException e) {
                assertThat(e.reason()).isNotBlank();
                flippedRejected++;
            }
        }
        assertThat(flippedRejected).as("every single flipped bit is caught").isEqualTo(p.length);

        for (int len = 0; len < p.length; len++) {
            byte[] q = Arrays.copyOf(p, len);
            boolean rejected;
            try {
                rejected = !Authenticator.verify(WireCodec.decode(q), Capture.MD5.keys()).ok();
            } catch (WireException e) {
                rejected = true;
            }
            assertThat(rejected).as("truncated to " + len).isTrue();
        }
        assertThatThrownBy(() -> WireCodec.decode("hello world".getBytes())).isInstanceOf(WireException.class)
                .hasMessageContaining("neither netstring");
        assertThatThrownBy(() -> WireCodec.decode("###\n5:(0)t=x,".getBytes())).isInstanceOf(WireException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> WireCodec.decode("###\n9:(4)z=abcd,%%%\n".getBytes())).isInstanceOf(WireException.class)
                .hasMessageContaining("compressed");
        assertThatThrownBy(() -> WireCodec.decode(new byte[WireCodec.MAX_MESSAGE + 1])).isInstanceOf(WireException.class)
                .hasMessageContaining("exceeds 65507");
    }

    @Test
    void crcDigestIsPosixCksumWithoutLengthAndHasNoLeadingZeros() {
        // The catalogue's CRC-32/POSIX check value (poly 04C11DB7, init 0, no reflection, xorout ffffffff).
        assertThat(Long.toHexString(Digests.crc("123456789".getBytes(), 9))).isEqualTo("765e7680");
        // No leading zeros, as heartbeat's %lx.
        assertThat(Digests.hex(AuthMethod.CRC, "", "a".getBytes(), 1)).doesNotStartWith("0");
        assertThat(Digests.hex(AuthMethod.CRC, "", new byte[0], 0)).isEqualTo("ffffffff");
    }
}
