package io.tandem.daemon.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.lab.HeartbeatConfig;
import io.tandem.lab.Lab;
import io.tandem.lab.LabProcess;
import io.tandem.lab.Poll;
import io.tandem.lab.TandemNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile packets ("hostile packets" finding 3): the media hear only their own link, and ucast only
 * its configured peers.
 *
 * <p>An attacker on the public LAN (192.0.2.50) routes 198.51.100.0/24 via node1's public address,
 * so its packets to the heartbeat LAN's broadcast address and to node1's heartbeat address arrive
 * on node1's eth0. Before the media sockets were bound to their device, node1's eth1 media took
 * them (weak host model). The attacker then broadcasts a witness on the public LAN, which node1's
 * {@code bcast eth0} medium must hear: it shares the attacker's path, so once it has arrived the
 * earlier packets had their chance. A peer's packet over eth1 must still arrive, or the test would
 * prove nothing.
 *
 * <p>An intruder on the heartbeat LAN itself (198.51.100.60) reaches the ucast socket; the medium
 * drops its packets before the sink sees them and reports each through
 * {@link MediumListener#foreignPacket}. Last, the whole daemon with ucast beside a real heartbeat:
 * it hears its peer, logs the intruder's packets in one line and never mentions the attacker.
 */
class MediaIsolationLabTest {
    private static final int PORT = 17696;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int COUNT = 20;
    private static final String NODE1_HB = "198.51.100.128";
    private static final String NODE2_HB = "198.51.100.129";
    private static final String HB_BROADCAST = "198.51.100.255";

    private static Lab lab;
    private static String attacker;
    private static String intruder;
    private final List<LabProcess> processes = new ArrayList<>();

    @BeforeAll
    static void startLab() {
        assumeTrue(Lab.unavailable().isEmpty(), () -> "skipped: " + Lab.unavailable().orElse(""));
        lab = Lab.start("mbi", "node1", "node2");
        attacker = lab.addLanHost("attacker", Lab.Lan.PUBLIC, 50);
        intruder = lab.addLanHost("intruder", Lab.Lan.HEARTBEAT, 60);
        assertThat(lab.ip("attacker", "route", "add", "198.51.100.0/24", "via", lab.publicAddress("node1")).ok()).isTrue();
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @AfterEach
    void stopProcesses() {
        processes.forEach(LabProcess::close);
    }

    @Test
    void bcast_hears_nothing_routed_to_its_link_from_the_public_lan() {
        LabProcess a = probe("node1", "bcast:eth1", "bcast:eth0");
        LabProcess b = probe("node2", "bcast:eth1");

        attackFromThePublicLan(a);
        b.println("send from-node2");
        a.awaitLine(WAIT, l -> l.equals("recv eth1 " + NODE2_HB + " from-node2"), "node2's packet over eth1");

        report("bcast eth1", a);
        assertThat(a.lines(l -> l.startsWith("recv eth1 ") && l.contains(" attack-"))).as("public-LAN packets heard by bcast eth1").isEmpty();
        assertThat(a.lines(l -> l.startsWith("warning "))).isEmpty();
    }

    @Test
    void ucast_hears_nothing_routed_to_its_address_from_the_public_lan() {
        LabProcess a = probe("node1", "ucast:eth1:" + NODE2_HB, "bcast:eth0");
        LabProcess b = probe("node2", "ucast:eth1:" + NODE1_HB);

        attackFromThePublicLan(a);
        b.println("send from-node2");
        a.awaitLine(WAIT, l -> l.equals("recv eth1 " + NODE2_HB + " from-node2"), "node2's packet over eth1");

        report("ucast eth1", a);
        assertThat(a.lines(l -> l.startsWith("recv eth1 ") && l.contains(" attack-"))).as("public-LAN packets heard by ucast eth1").isEmpty();
        // stopped by the device binding in the kernel, not by the peer filter
        assertThat(a.lines(l -> l.startsWith("foreign "))).isEmpty();
        assertThat(a.lines(l -> l.startsWith("warning "))).isEmpty();
    }

    @Test
    void ucast_drops_and_counts_packets_from_a_heartbeat_lan_host_that_is_not_a_peer() {
        // node1's ha.cf lists both nodes, as one ha.cf shared by the cluster does: its own address is a peer too
        LabProcess a = probe("node1", "ucast:eth1:" + NODE2_HB, "ucast:eth1:" + NODE1_HB);
        LabProcess b = probe("node2", "ucast:eth1:" + NODE1_HB);

        LabProcess sender = lab.startJava("intruder", UdpSender.class.getName(), NODE1_HB + ":" + PORT + ":" + COUNT + ":intrude");
        processes.add(sender);
        sender.awaitLine(WAIT, ("sent " + COUNT)::equals, "the intruder's packets sent");
        // same socket, same receive thread: once node2's packet is out, the intruder's were handled
        b.println("send from-node2");
        a.awaitLine(WAIT, l -> l.equals("recv eth1 " + NODE2_HB + " from-node2"), "node2's packet over eth1");
        a.println("send self");
        a.awaitLine(WAIT, l -> l.equals("recv eth1 " + NODE1_HB + " self"), "node1's packet to its own address");
        b.awaitLine(WAIT, l -> l.equals("recv eth1 " + NODE1_HB + " self"), "node1's packet at node2");

        int heard = a.lines(l -> l.startsWith("recv ") && l.contains(" intrude-")).size();
        int dropped = a.lines(("foreign eth1 " + intruder)::equals).size();
        System.out.printf("isolation: ucast eth1 passed up %d and dropped %d of %d packets from non-peer %s%n", heard, dropped, COUNT, intruder);
        assertThat(heard).as("non-peer packets passed up").isZero();
        assertThat(dropped).as("non-peer packets reported as foreign").isEqualTo(COUNT);
        assertThat(a.lines(l -> l.startsWith("foreign ") && !l.equals("foreign eth1 " + intruder))).isEmpty();
    }

    @Test
    void the_daemon_hears_its_peer_and_logs_what_ucast_dropped() {
        assumeTrue(Lab.heartbeatUnavailable().isEmpty(), () -> "skipped: " + Lab.heartbeatUnavailable().orElse(""));
        HeartbeatConfig cluster = HeartbeatConfig.fastBcast(lab.nodes(), "eth1", 694);
        try {
            lab.startHeartbeat("node2", cluster.withHaCf(cluster.haCf().replace("bcast eth1\n", "ucast eth1 " + NODE1_HB + "\n")));
            TandemNodes.configure(lab, "node1", cluster.haCf().replace("bcast eth1\n", "ucast eth1 " + NODE2_HB + "\n"),
                    cluster.authkeys(), cluster.haresources());
            processes.add(TandemNodes.run(lab, "node1"));
            Poll.untilOrElse(WAIT, () -> lab.haLog("node1").contains("Link node2:eth1 up."), () -> "Tandem did not hear node2\n" + lab.haLog("node1"));

            LabProcess fromPublic = lab.startJava("attacker", UdpSender.class.getName(), NODE1_HB + ":694:" + COUNT + ":attack-uc");
            processes.add(fromPublic);
            fromPublic.awaitLine(WAIT, ("sent " + COUNT)::equals, "the attacker's packets sent");
            LabProcess fromHeartbeatLan = lab.startJava("intruder", UdpSender.class.getName(), NODE1_HB + ":694:" + COUNT + ":intrude");
            processes.add(fromHeartbeatLan);
            fromHeartbeatLan.awaitLine(WAIT, ("sent " + COUNT)::equals, "the intruder's packets sent");

            String first = "Dropped a packet on ucast eth1 from " + intruder + ", which is not a configured peer";
            Poll.untilOrElse(WAIT, () -> lab.haLog("node1").contains(first), () -> "no line about the dropped packets\n" + lab.haLog("node1"));
            String log = lab.haLog("node1");
            assertThat(log.lines().filter(l -> l.contains("Dropped ") || l.contains("not configured peers")))
                    .as("one line; the rest are summed up at the end of the interval").hasSize(1);
            assertThat(log).doesNotContain(attacker).doesNotContain("Invalid authentication").doesNotContain("not bound to device");
        } finally {
            lab.killHeartbeat("node2");
        }
    }

    /**
     * {@code COUNT} packets to the heartbeat LAN's broadcast address and {@code COUNT} to node1's
     * heartbeat address, all through node1's eth0; then a witness broadcast on the public LAN.
     */
    private void attackFromThePublicLan(LabProcess node1) {
        LabProcess sender = lab.startJava("attacker", UdpSender.class.getName(),
                HB_BROADCAST + ":" + PORT + ":" + COUNT + ":attack-bc",
                NODE1_HB + ":" + PORT + ":" + COUNT + ":attack-uc",
                "192.0.2.255:" + PORT + ":1:witness");
        processes.add(sender);
        sender.awaitLine(WAIT, ("sent " + (2 * COUNT + 1))::equals, "the attacker's packets sent");
        node1.awaitLine(WAIT, l -> l.equals("recv eth0 " + attacker + " witness"), "the attacker's witness on eth0");
    }

    private static void report(String medium, LabProcess p) {
        System.out.printf("isolation: %s heard %d of %d public-LAN packets to %s and %d of %d to %s%n", medium,
                p.lines(l -> l.startsWith("recv eth1 ") && l.contains(" attack-bc-")).size(), COUNT, HB_BROADCAST,
                p.lines(l -> l.startsWith("recv eth1 ") && l.contains(" attack-uc-")).size(), COUNT, NODE1_HB);
    }

    private LabProcess probe(String node, String... specs) {
        List<String> args = new ArrayList<>(List.of(Integer.toString(PORT)));
        args.addAll(List.of(specs));
        LabProcess p = lab.startJava(node, MediaProbe.class.getName(), args.toArray(String[]::new));
        processes.add(p);
        p.awaitLine(WAIT, "ready"::equals, "ready");
        return p;
    }
}
