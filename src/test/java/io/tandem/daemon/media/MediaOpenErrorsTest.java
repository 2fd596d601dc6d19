package io.tandem.daemon.media;

import io.tandem.config.MediumConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Bad media lines fail with a message naming the medium and the problem. */
class MediaOpenErrorsTest {
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final PacketSink sink = (p, m, f) -> events.add("recv " + m);
    private final MediumListener listener = new MediumListener() {
        @Override
        public void started(Medium medium, String text) {
            events.add("started " + medium);
        }

        @Override
        public void warning(Medium medium, String text) {
            events.add("warning " + text);
        }

        @Override
        public void writeFailed(Medium medium, IOException detail) {
            events.add("writefail " + medium);
        }

        @Override
        public void readFailed(Medium medium, IOException detail) {
            events.add("readfail " + medium);
        }

        @Override
        public void foreignPacket(Medium medium, InetAddress from) {
            events.add("foreign " + medium + " " + from.getHostAddress());
        }
    };

    @Test
    void an_unknown_device_is_named() {
        assertThatThrownBy(() -> UdpMedium.bcast("nosuch0", 17694, sink, listener))
                .isInstanceOf(IOException.class).hasMessage("bcast nosuch0: no such interface");
        assertThatThrownBy(() -> UdpMedium.ucast("nosuch0", List.of("192.0.2.1"), 17694, sink, listener))
                .hasMessage("ucast nosuch0: no such interface");
    }

    @Test
    void a_group_that_is_not_multicast_is_rejected() {
        assertThatThrownBy(() -> UdpMedium.mcast("lo", "192.0.2.1", 17695, 1, false, sink, listener))
                .hasMessage("mcast lo: bad addr 192.0.2.1 (not a multicast address)");
    }

    @Test
    void an_ipv6_ucast_peer_is_rejected() {
        assertThatThrownBy(() -> UdpMedium.ucast("lo", List.of("2001:db8::1"), 17694, sink, listener))
                .hasMessage("ucast lo: peer 2001:db8::1 is not an IPv4 address");
    }

    @Test
    void when_one_medium_fails_the_ones_already_opened_are_closed_again() throws IOException {
        List<MediumConfig> specs = List.of(new MediumConfig.Ucast("lo", "127.0.0.1"), new MediumConfig.Bcast("nosuch0"));
        assertThatThrownBy(() -> Media.open(specs, 17694, sink, listener)).hasMessage("bcast nosuch0: no such interface");
        assertThat(events).containsExactly("started ucast lo");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("medium-ucast-lo") && t.isAlive());
        try (Media media = Media.open(List.of(new MediumConfig.Ucast("lo", "127.0.0.1")), 17694, sink, listener)) {
            assertThat(media.sendOnLinks("x".getBytes())).isEqualTo(1);
            io.tandem.lab.Poll.until(java.time.Duration.ofSeconds(10), "own ucast packet", () -> events.contains("recv lo"));
        }
    }

    @Test
    void a_medium_the_kernel_will_not_bind_to_its_device_opens_unbound_and_says_so_once() throws IOException {
        // as a kernel before 5.7 answers a user without CAP_NET_RAW; both sockets of the medium are refused
        UdpMedium.DeviceBinding refused = (socket, device) -> Optional.of("Operation not permitted");
        try (UdpMedium m = UdpMedium.ucast("lo", List.of("127.0.0.1"), 17697, null, sink, listener, refused)) {
            assertThat(m.droppedForeign()).isZero();
        }
        assertThat(events).containsExactly("started ucast lo", "warning ucast lo: sockets not bound to device lo "
                + "(SO_BINDTODEVICE: Operation not permitted); packets for its addresses that arrive on other interfaces are accepted too");
    }

    @Test
    void the_directed_broadcast_is_computed_from_the_prefix() throws IOException {
        assertThat(LinkAddress.directedBroadcast((Inet4Address) InetAddress.getByName("198.51.100.128"), 24).getHostAddress())
                .isEqualTo("198.51.100.255");
        assertThat(LinkAddress.directedBroadcast((Inet4Address) InetAddress.getByName("192.0.2.11"), 28).getHostAddress())
                .isEqualTo("192.0.2.15");
        assertThat(LinkAddress.directedBroadcast((Inet4Address) InetAddress.getByName("10.1.2.3"), 0).getHostAddress())
                .isEqualTo("255.255.255.255");
    }
}
