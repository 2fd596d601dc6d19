package io.tandem.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Proves the lab with the real heartbeat 3.0.6: two nodes, bcast on eth1, md5, fast timers. */
class RealHeartbeatLabTest {
    private static Lab lab;

    @BeforeAll
    static void startLab() {
        assumeTrue(Lab.heartbeatUnavailable().isEmpty(), () -> "skipped: " + Lab.heartbeatUnavailable().orElse(""));
        lab = Lab.start("tl", "node1", "node2");
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void two_real_heartbeats_see_each_other_active_and_notice_when_one_is_killed() {
        HeartbeatConfig config = HeartbeatConfig.fastBcast(lab.nodes(), "eth1", 694);
        lab.startHeartbeat("node1", config);
        lab.startHeartbeat("node2", config);

        Poll.untilOrElse(Duration.ofSeconds(40),
                () -> "active".equals(lab.clStatus("node1", "nodestatus", "node2").out())
                        && "active".equals(lab.clStatus("node2", "nodestatus", "node1").out()),
                () -> "the nodes did not see each other active; node1 ha-log:\n" + lab.haLog("node1") + "\nnode2 ha-log:\n" + lab.haLog("node2"));
        assertThat(lab.haLog("node1")).contains("Status update for node node2: status active").contains("Link node2:eth1 up.");
        assertThat(lab.haLog("node2")).contains("Status update for node node1: status active");
        assertThat(lab.clStatus("node1", "listnodes").out().lines()).containsExactlyInAnyOrder("node1", "node2");

        lab.killHeartbeat("node1");

        Poll.untilOrElse(Duration.ofSeconds(20), () -> lab.haLog("node2").contains("WARN: node node1: is dead"),
                () -> "node2 did not declare node1 dead; ha-log:\n" + lab.haLog("node2"));
        assertThat(lab.haLog("node2")).contains("Link node1:eth1 dead.");
        ExecResult status = lab.clStatus("node2", "nodestatus", "node1");
        assertThat(status.out()).isEqualTo("dead");
        assertThat(status.exitCode()).isEqualTo(1);

        lab.stopHeartbeat("node2");
        assertThat(lab.pids("node2", "heartbeat")).isEmpty();
    }
}
