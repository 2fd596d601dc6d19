package io.tandem.sim;

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
}
