package io.tandem.daemon.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.lab.Lab;
import io.tandem.lab.LabProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real sockets in two lab nodes: node1 and node2 share the public LAN (eth0, 192.0.2.0/24) and the
 * heartbeat LAN (eth1, 198.51.100.0/24); the gateway 192.0.2.254 answers pings. Each node runs a
 * {@link MediaProbe} JVM. "Exactly once" is checked after a final marker packet has arrived on the
 * same medium, so any duplicate of the earlier packets would have arrived before it.
 */
class MediaLabTest {
    private static final int PORT = 17694;
    private static final int MCAST_PORT = 17695;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final List<String> TOKENS = List.of("hb-1", "hb-2", "hb-3", "hb-4", "hb-5");

    private static Lab lab;
    private final List<LabProcess> probes = new ArrayList<>();

    @BeforeAll
    static void startLab() {
        assumeTrue(Lab.unavailable().isEmpty(), () -> "skipped: " + Lab.unavailable().orElse(""));
        lab = Lab.start("tl", "node1", "node2");
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @AfterEach
    void stopProbes() {
        probes.forEach(LabProcess::close);
        lab.setLink("node1", "eth0", true);
    }

    @Test
    void bcast_delivers_each_packet_once_to_the_peer_and_once_back_to_the_sender() {
        LabProcess a = probe("node1", "bcast:eth1");
        LabProcess b = probe("node2", "bcast:eth1");
        assertThat(a.lines()).contains("started eth1 UDP Broadcast heartbeat started on port 17694 (17694) interface eth1");

        sendAll(a, "bc");

        awaitMarker(b, "eth1", "198.51.100.128", "bc");
        assertOncePerToken(b, "eth1", "198.51.100.128", "bc");
        awaitMarker(a, "eth1", "198.51.100.128", "bc");
        assertOncePerToken(a, "eth1", "198.51.100.128", "bc");
        assertThat(received(b)).allMatch(l -> l.startsWith("recv eth1 198.51.100.128 bc"));
    }

    @Test
    void mcast_delivers_each_packet_once_and_without_loop_not_back_to_the_sender() {
        String spec = "mcast:eth1:239.0.0.1:" + MCAST_PORT + ":1:0";
        LabProcess a = probe("node1", spec);
        LabProcess b = probe("node2", spec);
        assertThat(a.lines()).contains("started eth1 UDP multicast heartbeat started for group 239.0.0.1 port 17695 interface eth1 (ttl=1 loop=0)");

        sendAll(a, "mc");

        awaitMarker(b, "eth1", "198.51.100.128", "mc");
        assertOncePerToken(b, "eth1", "198.51.100.128", "mc");
        b.println("send back");
        a.awaitLine(WAIT, l -> l.equals("recv eth1 198.51.100.129 back"), "node2's packet");
        assertThat(received(a)).containsExactly("recv eth1 198.51.100.129 back");
    }

    @Test
    void ucast_delivers_each_packet_once_to_the_peer_whatever_its_source_port() {
        LabProcess a = probe("node1", "ucast:eth1:198.51.100.129");
        LabProcess b = probe("node2", "ucast:eth1:198.51.100.128");

        sendAll(a, "uc");
        sendAll(b, "vc");

        awaitMarker(b, "eth1", "198.51.100.128", "uc");
        assertOncePerToken(b, "eth1", "198.51.100.128", "uc");
        awaitMarker(a, "eth1", "198.51.100.129", "vc");
        assertOncePerToken(a, "eth1", "198.51.100.129", "vc");
        assertThat(received(a)).noneMatch(l -> l.contains(" uc"));
    }

    @Test
    void two_bcast_links_each_deliver_every_packet_once_under_their_own_name() {
        LabProcess a = probe("node1", "bcast:eth0", "bcast:eth1");
        LabProcess b = probe("node2", "bcast:eth0", "bcast:eth1");

        sendAll(a, "two");

        awaitMarker(b, "eth0", "192.0.2.11", "two");
        awaitMarker(b, "eth1", "198.51.100.128", "two");
        assertOncePerToken(b, "eth0", "192.0.2.11", "two");
        assertOncePerToken(b, "eth1", "198.51.100.128", "two");
        assertThat(received(b)).hasSize(2 * (TOKENS.size() + 1));
    }

    @Test
    void the_same_mcast_group_on_two_links_is_told_apart_by_the_source_subnet() {
        String onEth0 = "mcast:eth0:239.0.0.2:" + MCAST_PORT + ":1:0";
        String onEth1 = "mcast:eth1:239.0.0.2:" + MCAST_PORT + ":1:0";
        LabProcess a = probe("node1", onEth0, onEth1);
        LabProcess b = probe("node2", onEth0, onEth1);

        sendAll(a, "grp");

        awaitMarker(b, "eth0", "192.0.2.11", "grp");
        awaitMarker(b, "eth1", "198.51.100.128", "grp");
        assertOncePerToken(b, "eth0", "192.0.2.11", "grp");
        assertOncePerToken(b, "eth1", "198.51.100.128", "grp");
        assertThat(received(b)).hasSize(2 * (TOKENS.size() + 1));
    }

    @Test
    void a_link_that_is_down_reports_write_failures_and_does_not_hold_up_the_other_link() {
        LabProcess a = probe("node1", "bcast:eth0", "bcast:eth1");
        LabProcess b = probe("node2", "bcast:eth0", "bcast:eth1");
        lab.setLink("node1", "eth0", false);

        sendAll(a, "down");

        awaitMarker(b, "eth1", "198.51.100.128", "down");
        assertOncePerToken(b, "eth1", "198.51.100.128", "down");
        assertThat(received(b)).noneMatch(l -> l.startsWith("recv eth0"));
        assertThat(a.lines(l -> l.startsWith("sent "))).containsOnly("sent 1").hasSize(TOKENS.size() + 1);
        assertThat(a.lines(l -> l.startsWith("writefail eth0 Unable to send HBcomm packet eth0 192.0.2.255:17694"))).hasSize(TOKENS.size() + 1);
        assertThat(a.lines(l -> l.startsWith("writefail eth1"))).isEmpty();
    }

    @Test
    void ping_gets_the_payload_back_from_a_host_that_answers_and_nothing_from_one_that_does_not() {
        LabProcess a = probe("node1", "ping:" + Lab.GATEWAY_ADDRESS, "ping:192.0.2.99", "ping_group:gwgroup:192.0.2.98," + Lab.GATEWAY_ADDRESS);
        assertThat(a.lines()).contains("started " + Lab.GATEWAY_ADDRESS + " ping heartbeat started.", "started gwgroup ping group heartbeat started.");

        for (int i = 1; i <= 3; i++) {
            String token = "t=NS_st-" + i;
            a.println("ping " + token);
            a.awaitLine(WAIT, l -> l.equals("recv " + Lab.GATEWAY_ADDRESS + " " + Lab.GATEWAY_ADDRESS + " " + token), "echo reply " + i);
            a.awaitLine(WAIT, l -> l.equals("recv gwgroup " + Lab.GATEWAY_ADDRESS + " " + token), "group echo reply " + i);
        }

        assertThat(received(a)).hasSize(6).noneMatch(l -> l.contains("192.0.2.99") || l.contains("192.0.2.98"));
    }

    private LabProcess probe(String node, String... specs) {
        List<String> args = new ArrayList<>(List.of(Integer.toString(PORT)));
        args.addAll(List.of(specs));
        LabProcess p = lab.startJava(node, MediaProbe.class.getName(), args.toArray(String[]::new));
        probes.add(p);
        p.awaitLine(WAIT, "ready"::equals, "ready");
        return p;
    }

    private static void sendAll(LabProcess p, String tag) {
        for (String t : TOKENS) {
            p.println("send " + tag + "-" + t);
        }
        p.println("send " + tag + "-marker");
    }

    private static void awaitMarker(LabProcess p, String medium, String from, String tag) {
        p.awaitLine(WAIT, l -> l.equals("recv " + medium + " " + from + " " + tag + "-marker"), tag + " marker on " + medium);
    }

    private static void assertOncePerToken(LabProcess p, String medium, String from, String tag) {
        for (String t : TOKENS) {
            String expected = "recv " + medium + " " + from + " " + tag + "-" + t;
            assertThat(p.lines(expected::equals)).as("%s on %s", expected, p).hasSize(1);
        }
        assertThat(p.lines(("recv " + medium + " " + from + " " + tag + "-marker")::equals)).hasSize(1);
    }

    private static List<String> received(LabProcess p) {
        return p.lines(l -> l.startsWith("recv "));
    }

}
