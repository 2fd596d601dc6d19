package io.tandem.daemon.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class IcmpEchoTest {
    private static final byte[] NS_ST = ">>>\nt=NS_st\nst=ping\ninfo=ping\nsrc=192.0.2.254\nts=6925b1a0\nauth=1 0123\n<<<\n"
            .getBytes(StandardCharsets.US_ASCII);

    @Test
    void checksum_matches_the_rfc_1071_example() {
        byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertThat(IcmpEcho.checksum(b, 0, b.length)).isEqualTo(0x220d);
    }

    @Test
    void checksum_pads_an_odd_last_byte_with_zero() {
        byte[] odd = {0x12, 0x34, 0x56};
        byte[] padded = {0x12, 0x34, 0x56, 0x00};
        assertThat(IcmpEcho.checksum(odd, 0, 3)).isEqualTo(IcmpEcho.checksum(padded, 0, 4)).isEqualTo(~(0x1234 + 0x5600) & 0xffff);
    }

    @Test
    void empty_echo_request_has_the_textbook_checksum() {
        byte[] b = IcmpEcho.request(0x1234, 1, new byte[0]).encode(ByteOrder.BIG_ENDIAN);
        assertThat(b).containsExactly(0x08, 0x00, 0xe5, 0xca, 0x12, 0x34, 0x00, 0x01);
    }

    @Test
    void identifier_is_written_in_the_requested_order_and_sequence_in_network_order() {
        byte[] little = IcmpEcho.request(0x1234, 0x0102, NS_ST).encode(ByteOrder.LITTLE_ENDIAN);
        byte[] big = IcmpEcho.request(0x1234, 0x0102, NS_ST).encode(ByteOrder.BIG_ENDIAN);
        assertThat(little[4]).isEqualTo((byte) 0x34);
        assertThat(little[5]).isEqualTo((byte) 0x12);
        assertThat(big[4]).isEqualTo((byte) 0x12);
        assertThat(big[5]).isEqualTo((byte) 0x34);
        assertThat(new byte[] {little[6], little[7]}).containsExactly(0x01, 0x02);
        assertThat(IcmpEcho.checksum(little, 0, little.length)).isZero();
    }

    @Test
    void identifier_read_in_the_other_order_comes_out_swapped() {
        byte[] b = IcmpEcho.request(0x1234, 7, NS_ST).encode(ByteOrder.LITTLE_ENDIAN);
        assertThat(IcmpEcho.decode(b, 0, b.length, ByteOrder.BIG_ENDIAN)).get().extracting(IcmpEcho::identifier).isEqualTo(0x3412);
    }

    @Test
    void a_reply_inside_an_ipv4_datagram_with_options_is_found_after_the_header() {
        IcmpEcho reply = new IcmpEcho(IcmpEcho.ECHO_REPLY, 0, 4711, 9, NS_ST);
        byte[] icmp = reply.encode(ByteOrder.LITTLE_ENDIAN);
        byte[] datagram = new byte[24 + icmp.length];
        datagram[0] = 0x46; // IPv4, IHL 6 (one option word)
        datagram[9] = 1; // ICMP
        System.arraycopy(icmp, 0, datagram, 24, icmp.length);
        Optional<IcmpEcho> decoded = IcmpEcho.fromIpv4(datagram, datagram.length, ByteOrder.LITTLE_ENDIAN);
        assertThat(decoded).contains(reply);
        assertThat(decoded.get().payload()).isEqualTo(NS_ST);
    }

    @Test
    void non_icmp_or_non_ipv4_datagrams_are_ignored() {
        byte[] icmp = IcmpEcho.request(1, 1, NS_ST).encode(ByteOrder.BIG_ENDIAN);
        byte[] udp = new byte[20 + icmp.length];
        udp[0] = 0x45;
        udp[9] = 17;
        System.arraycopy(icmp, 0, udp, 20, icmp.length);
        assertThat(IcmpEcho.fromIpv4(udp, udp.length, ByteOrder.BIG_ENDIAN)).isEmpty();
        udp[0] = 0x65;
        udp[9] = 1;
        assertThat(IcmpEcho.fromIpv4(udp, udp.length, ByteOrder.BIG_ENDIAN)).isEmpty();
        assertThat(IcmpEcho.fromIpv4(new byte[10], 10, ByteOrder.BIG_ENDIAN)).isEmpty();
    }

    @Test
    void corrupted_short_and_other_icmp_types_are_rejected() {
        byte[] b = IcmpEcho.request(99, 3, NS_ST).encode(ByteOrder.BIG_ENDIAN);
        byte[] corrupted = b.clone();
        corrupted[12] ^= 0x20;
        assertThat(IcmpEcho.decode(corrupted, 0, corrupted.length, ByteOrder.BIG_ENDIAN)).isEmpty();
        assertThat(IcmpEcho.decode(b, 0, 7, ByteOrder.BIG_ENDIAN)).isEmpty();
        byte[] unreachable = new IcmpEcho(3, 1, 0, 0, NS_ST).encode(ByteOrder.BIG_ENDIAN);
        assertThat(IcmpEcho.decode(unreachable, 0, unreachable.length, ByteOrder.BIG_ENDIAN)).isEmpty();
    }

    @Property(tries = 300)
    void encode_then_decode_gives_the_same_echo(@ForAll @IntRange(max = 0xffff) int id, @ForAll @IntRange(max = 0xffff) int seq,
            @ForAll @Size(max = 1500) byte[] payload, @ForAll boolean reply, @ForAll boolean littleEndianId) {
        ByteOrder order = littleEndianId ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        IcmpEcho echo = new IcmpEcho(reply ? IcmpEcho.ECHO_REPLY : IcmpEcho.ECHO_REQUEST, 0, id, seq, payload);
        byte[] wire = echo.encode(order);
        assertThat(IcmpEcho.checksum(wire, 0, wire.length)).isZero();
        assertThat(IcmpEcho.decode(wire, 0, wire.length, order)).contains(echo);
    }

    @Property(tries = 300)
    void any_single_bit_flip_is_detected(@ForAll @Size(min = 1, max = 200) byte[] payload, @ForAll @IntRange(max = 10_000) int position,
            @ForAll @IntRange(max = 7) int bit) {
        byte[] wire = IcmpEcho.request(0xbeef, 1, payload).encode(ByteOrder.BIG_ENDIAN);
        int at = position % wire.length;
        if (at == 0) {
            return; // flipping the type byte turns it into another ICMP type, rejected for that reason
        }
        wire[at] ^= (byte) (1 << bit);
        assertThat(IcmpEcho.decode(wire, 0, wire.length, ByteOrder.BIG_ENDIAN)).isEmpty();
    }
}
