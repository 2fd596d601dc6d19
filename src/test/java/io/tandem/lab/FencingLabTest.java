package io.tandem.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fencing with cluster-glue's real {@code stonith} command and a lab power switch ({@link FencePdu}):
 * two Tandem nodes, heartbeats on eth1, a VIP on the public LAN whose home is node1, the PDU reached
 * over the public LAN. Every link of node1 is cut: node1 cannot reach the PDU (its fence of node2
 * fails), node2 waits the race delay (it is not the home node), fences node1 (its processes are gone)
 * and takes the VIP. With the PDU refusing, nobody takes anything over and node2's status says why.
 */
class FencingLabTest {
    private static final String VIP = "192.0.2.1";
    private static final Duration UP = Duration.ofSeconds(60);

    private Lab lab;
    private FencePdu pdu;
    private final List<LabProcess> daemons = new ArrayList<>();

    @BeforeEach
    void startLab() {
        assumeTrue(Lab.unavailable().isEmpty(), () -> "skipped: " + Lab.unavailable().orElse(""));
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/stonith")), "skipped: cluster-glue's stonith command is not installed");
        lab = Lab.start("fen", "node1", "node2");
        pdu = FencePdu.start(lab);
        HeartbeatConfig c = HeartbeatConfig.fastBcast(lab.nodes(), "eth1", 694);
        // both nodes start together: a node that finds its peer absent at initdead fences it, as heartbeat does
        String haCf = c.haCf().replace("initdead 6\n", "initdead 30\n") + pdu.stonithHost(lab.nodes(), Lab.GATEWAY_ADDRESS);
        for (String n : lab.nodes()) {
            TandemNodes.configure(lab, n, haCf, c.authkeys(), "node1 IPaddr::" + VIP + "/24/eth0\n");
        }
        daemons.add(TandemNodes.run(lab, "node1"));
        daemons.add(TandemNodes.run(lab, "node2"));
        Poll.untilOrElse(UP, () -> TandemNodes.holds(lab, "node1", VIP), () -> "node1 did not take the VIP\n" + lab.haLog("node1"));
        Poll.untilOrElse(UP, () -> lab.haLog("node2").contains("Status update for node node1: status active")
                && lab.haLog("node1").contains("Status update for node node2: status active"),
                () -> "the nodes did not see each other\n" + lab.haLog("node2"));
        assertThat(pdu.log).as("nobody fenced at start-up").isEmpty();
    }

    @AfterEach
    void stopLab() {
        daemons.forEach(LabProcess::close);
        if (pdu != null) {
            pdu.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    private void cutNode1() {
        lab.setLink("node1", "eth0", false);
        lab.setLink("node1", "eth1", false);
    }

    @Test
    void node2_fences_a_cut_off_node1_then_takes_the_vip() {
        long cutAt = System.nanoTime();
        cutNode1();
        Poll.untilOrElse(UP, () -> TandemNodes.holds(lab, "node2", VIP),
                () -> "node2 did not take the VIP\n" + lab.haLog("node2") + "\nPDU: " + pdu.log);
        long ms = (System.nanoTime() - cutAt) / 1_000_000;
        System.out.printf("fencing: cut to VIP on node2 in %d ms (deadtime 3 s, race delay %d s)%n", ms,
                io.tandem.resources.FencingPolicy.RACE_DELAY_MS / 1000);

        assertThat(pdu.log).containsExactly("off node1 ok");
        assertThat(lab.pids("node1")).as("processes left on the powered-off node1").isEmpty();
        String log2 = lab.haLog("node2");
        assertThat(log2).contains("Waiting 10 s before fencing node1: node1 (home of IPaddr::" + VIP + "/24/eth0) fences first",
                "Resetting node node1 with [" + FencePdu.TYPE + "]", "node node1 now reset.", "Resources being acquired from node1.");
        assertThat(log2.indexOf("node node1 now reset.")).isLessThan(log2.indexOf("Resources being acquired from node1."));
        // node1 tried first, as the home node, but could not reach the PDU with its links cut
        assertThat(lab.haLog("node1")).contains("Resetting node node2 with [" + FencePdu.TYPE + "]", "STONITH of node2 failed:",
                "PDU " + Lab.GATEWAY_ADDRESS + " unreachable");
        assertThat(lab.exec(Lab.CLIENT, Duration.ofSeconds(10), "ping", "-n", "-c", "1", "-W", "2", VIP).ok())
                .as("the client reaches the VIP on node2").isTrue();
    }

    @Test
    void with_the_pdu_refusing_nobody_takes_over_and_status_says_fencing_failed() {
        pdu.broken = true;
        cutNode1();
        Poll.untilOrElse(UP, () -> lab.haLog("node2").contains("STONITH of node1 failed: stonith -t " + FencePdu.TYPE),
                () -> "node2 did not try to fence node1\n" + lab.haLog("node2"));
        // a second failure, after the back-off: still nothing taken over
        Poll.untilOrElse(UP, () -> pdu.log.size() >= 2, () -> "no second attempt\n" + lab.haLog("node2") + "\nPDU: " + pdu.log);
        assertThat(pdu.log).allMatch(l -> l.equals("off node1 refused"));
        assertThat(TandemNodes.holds(lab, "node2", VIP)).as("node2 took the VIP without fencing node1").isFalse();
        assertThat(lab.haLog("node2")).doesNotContain("Resources being acquired from node1.", "No STONITH device configured.");
        assertThat(TandemNodes.holds(lab, "node1", VIP)).as("node1, alive, keeps its VIP").isTrue();
        assertThat(lab.pids("node1")).isNotEmpty();

        ExecResult status = TandemNodes.bin(lab, "node2", "tandem", "status");
        assertThat(status.out()).contains("Fencing: " + FencePdu.TYPE, "fencing node1 failed: stonith -t " + FencePdu.TYPE,
                "PDU refused: error outlet relay stuck");
        ExecResult json = TandemNodes.bin(lab, "node2", "tandem", "status", "--json");
        assertThat(json.out()).contains("\"fencing\":{\"device\":\"" + FencePdu.TYPE + "\"", "\"node\":\"node1\"",
                "\"text\":\"fencing node1 failed: ");
        System.out.println("fencing: node2's status while the PDU refuses:\n" + status.out());
    }
}
