package io.tandem.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.config.FailbackMode;
import io.tandem.node.NodeEvent;
import io.tandem.resources.GroupSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Core problems the simulator found and that are not fixed yet (docs/simulation.md, "Found so far"),
 * each as the smallest scenario that shows it. Each test asserts that the problem is still there, so
 * the fix of the core makes it fail: then turn it into the assertion that the cluster is right.
 */
class KnownProblemsTest {

    /**
     * Node 2 runs the group after a standby; its graceful stop releases it, but its {@code shutdone} is
     * lost (here: a cut from the middle of its shutdown until its restart; on a real link one lost
     * packet does it, the sender exits at once), and it starts again 2.6 s later, well within node 1's
     * deadtime. Node 1 sees a restart, not a death, still believes the old life holds everything, and
     * the group runs nowhere ("No one owns our local resources!"). Seed 909 of the campaign showed it
     * with a restart 5 ms after the stop.
     */
    @Test
    void a_restart_within_deadtime_after_a_lost_shutdone_leaves_a_group_running_nowhere() {
        Cluster c = new Cluster(1, new Cluster.Settings(List.of("n1", "n2"), 1000, 10_000, 20_000, FailbackMode.ON,
                List.of(GroupSpec.of("n1", "10.0.0.10", "web")), 200, 200, 10_000));
        c.start("n1");
        c.start("n2");
        c.runUntil(60_000);
        c.operator("n1", new NodeEvent.Standby("all"));
        c.runUntil(80_000);
        c.operator("n2", new NodeEvent.Shutdown());
        c.runUntil(80_300);
        c.cutLink("n1", "n2");
        c.runUntil(83_000);
        c.heal();
        c.start("n2");
        c.runUntil(200_000);
        assertThatThrownBy(c::checkHeld).isInstanceOf(Cluster.Violation.class).hasMessageContaining("nobody holds 10.0.0.10");
    }

    /**
     * Node 2 joins after node 1 took everything (initdead); its two reports {@code resource
     * rsc_hold=none isstable=0} and {@code isstable=1} leave in the same millisecond and the second
     * arrives first. The membership delivers the late {@code isstable=0} after it, the ownership
     * engine takes it as the latest word, and node 1 believes node 2 is in flux for good: with
     * auto_failback on it delays the failback every second and node 2's group never goes home. (Seed
     * 172_004 since the start-up probe: its status ops moved the schedule of seed 172_248; here node 2's
     * two reports leave at 15 986 ms, seq 16 and 17, and 17 arrives first.)
     */
    @Test
    void a_report_overtaken_on_the_link_leaves_the_peer_in_flux_for_good() {
        Cluster c = new Cluster(172_004, OwnershipSimulationTest.settings(FailbackMode.ON));
        c.keepTrace();
        c.at(355, () -> c.start("n1"));
        c.at(6_940, () -> c.start("n2"));
        c.runUntil(300_000);
        GroupSpec homeOfN2 = OwnershipSimulationTest.GROUPS.get(1);
        assertThat(c.trace()).contains("lost packet(s) for [n2]");
        assertThat(c.nodes.get("n1").holdsAll(homeOfN2)).as(c.trace()).isTrue();
        assertThat(c.lines().stream().filter(l -> l.at() > 290_000 && l.text().contains("Auto failback delayed.")).count()).isPositive();
    }
}
