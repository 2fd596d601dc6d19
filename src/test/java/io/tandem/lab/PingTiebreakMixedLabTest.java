package io.tandem.lab;

import static io.tandem.lab.TandemNodes.holds;
import static io.tandem.lab.TandemNodes.tandem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ping-node tiebreak next to a real heartbeat 3.0.6 node (no ipfail): node1 runs Tandem, node2
 * heartbeat, both with the gateway as ping node. Tandem's {@code t=tandem-ping} messages do not disturb
 * heartbeat (both stay active, the VIP stays where it is), Tandem never learns what heartbeat reaches,
 * and a Tandem owner that loses the gateway therefore keeps the group: it never hands over to a peer
 * whose reachability it does not know.
 */
class PingTiebreakMixedLabTest {
    private static final String TANDEM = "node1";
    private static final String HB = "node2";
    private static final String VIP = "192.0.2.1";
    private static Lab lab;
    private static HeartbeatConfig cfg;

    @BeforeAll
    static void up() {
        assumeTrue(Lab.unavailable().isEmpty(), () -> "skipped: " + Lab.unavailable().orElse(""));
        assumeTrue(Lab.heartbeatUnavailable().isEmpty(), () -> "skipped: " + Lab.heartbeatUnavailable().orElse(""));
        assumeTrue(Files.isExecutable(Path.of("/etc/ha.d/resource.d/IPaddr")), "skipped: heartbeat's IPaddr script is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nft")), "skipped: nft (nftables) is not installed");
        lab = Lab.start("tbk", TANDEM, HB);
        HeartbeatConfig base = HeartbeatConfig.fastBcast(List.of(TANDEM, HB), "eth1", 694);
        cfg = base.withHaCf(base.haCf() + "deadping 2\nping " + Lab.GATEWAY_ADDRESS + "\n")
                .withHaresources("node1 IPaddr::" + VIP + "/24/eth0\n");
        lab.writeHeartbeatConfig(TANDEM, cfg);
        lab.writeHeartbeatConfig(HB, cfg);
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void heartbeatIgnoresTandemsPingCountsAndIsNeverHandedAnythingOnThem() {
        ok(tandem(lab, TANDEM, "start"));
        lab.startHeartbeat(HB, cfg);
        Poll.untilOrElse(Duration.ofSeconds(60), () -> "active".equals(lab.clStatus(HB, "nodestatus", TANDEM).out())
                && "active".equals(tandem(lab, TANDEM, "cl_status", "nodestatus", HB).out()) && holds(lab, TANDEM, VIP)
                && !holds(lab, HB, VIP) && "local".equals(tandem(lab, TANDEM, "cl_status", "rscstatus").out()),
                () -> "no settled mixed cluster\n" + tandem(lab, TANDEM, "cl_status", "rscstatus") + "\n" + logs());
        assertThat(lab.haLog(TANDEM)).as("heartbeat never says what it reaches").doesNotContain("node2 reaches");
        assertThat(tandem(lab, TANDEM, "status", "--json").out()).contains("\"reachable\":1,\"ping_nodes\":1,\"peer_reachable\":null");

        // the Tandem owner loses the gateway; heartbeat reaches it but never says so
        long t0 = System.nanoTime();
        ok(lab.exec(TANDEM, Duration.ofSeconds(10), "nft", "add", "table", "inet", "tbk"));
        ok(lab.exec(TANDEM, Duration.ofSeconds(10), "nft", "add", "chain", "inet", "tbk", "out", "{ type filter hook output priority 0 ; }"));
        ok(lab.exec(TANDEM, Duration.ofSeconds(10), "nft", "add", "rule", "inet", "tbk", "out", "ip", "daddr", Lab.GATEWAY_ADDRESS, "drop"));
        Poll.untilOrElse(Duration.ofSeconds(30), () -> lab.haLog(TANDEM).contains("No ping node reachable ("),
                () -> "Tandem did not notice the gateway's loss\n" + logs());
        // deadping 2 s + loss hold 2 s would have started a hand-over to a Tandem peer; watch well past it
        long until = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < until) {
            assertThat(holds(lab, HB, VIP)).as("nothing is handed to a peer whose reachability is unknown").isFalse();
            java.util.concurrent.locks.LockSupport.parkNanos(200_000_000); // sampling period
        }
        assertThat(holds(lab, TANDEM, VIP)).isTrue();
        assertThat(lab.haLog(TANDEM)).doesNotContain("giving up resources.");
        assertThat(lab.clStatus(HB, "nodestatus", TANDEM).out()).isEqualTo("active");
        assertThat(tandem(lab, TANDEM, "cl_status", "nodestatus", HB).out()).isEqualTo("active");
        assertThat(lab.haLog(HB)).doesNotContain("tandem-ping");
        System.out.printf("mixed: the Tandem owner without its ping node kept the VIP for %d ms; heartbeat stayed active%n",
                (System.nanoTime() - t0) / 1_000_000);
        ok(lab.exec(TANDEM, Duration.ofSeconds(10), "nft", "delete", "table", "inet", "tbk"));
        lab.stopHeartbeat(HB);
        ok(tandem(lab, TANDEM, "stop"));
    }

    private static void ok(ExecResult r) {
        assertThat(r.ok()).as(r.toString()).isTrue();
    }

    private static String logs() {
        return "--- node1 (Tandem) ha-log ---\n" + lab.haLog(TANDEM) + "\n--- node2 (heartbeat) ha-log ---\n" + lab.haLog(HB);
    }
}
