package io.tandem.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.FailbackMode;
import io.tandem.node.NodeEvent;
import io.tandem.resources.FencingPolicy;
import io.tandem.resources.GroupSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fencing in the whole-cluster simulator (docs/split-brain.md, "Fencing"): two nodes with a power switch.
 * {@link FenceDevice#checkStart} holds at every start of every run: a node never starts a group that a
 * node it cannot reach still runs, because that node was fenced first or nothing was taken from it.
 */
class FencingSimulationTest {
    static final int SEEDS = 2_000;
    static final int STEPS = 25;
    /** The simulator's timers are a fifth of the lab's: the race delay and back-off are scaled alike. */
    static final FencingPolicy POLICY = FencingPolicy.stonith("sim/pdu", false).withDelays(3_000, 1_000, 8_000);

    static Cluster cluster(long seed, boolean failing) {
        Cluster c = new Cluster(seed, Schedules.settings(2, seed % 2 == 0 ? FailbackMode.ON : FailbackMode.OFF));
        c.fencing = new FenceDevice(POLICY, 100, 1_500);
        c.fencing.failing = failing;
        return c;
    }

    static Cluster stablePair(long seed, boolean failing) {
        return stablePair(cluster(seed, failing));
    }

    static Cluster stablePair(Cluster c) {
        c.start("n1");
        c.start("n2");
        c.runUntil(30_000);
        return c;
    }

    static GroupSpec group(Cluster c, String home) {
        return c.settings.groups().stream().filter(g -> g.preferredBy(home)).findFirst().orElseThrow();
    }

    @Test
    void a_crashed_node_is_fenced_before_its_groups_are_taken() {
        Cluster c = stablePair(1, false);
        Cluster.Node n1 = c.nodes.get("n1");
        Cluster.Node n2 = c.nodes.get("n2");
        assertThat(n1.holdsAll(group(c, "n1"))).isTrue();
        assertThat(n2.holdsAll(group(c, "n2"))).isTrue();
        c.kill("n2"); // its resources keep running: only the fence stops them
        c.runUntil(c.now + 30_000);
        assertThat(c.fencing.fenced).singleElement().asString().startsWith("n2@");
        assertThat(n1.holdsAll(group(c, "n2"))).isTrue();
        assertThat(n2.leftOver(group(c, "n2"))).isFalse();
        assertThat(c.trace()).contains("Resetting node n2 with [sim/pdu]", "node n2 now reset.");
    }

    @Test
    void with_a_failing_device_nobody_takes_a_live_but_unreachable_nodes_groups() {
        for (long seed = 1; seed <= 20; seed++) {
            Cluster c = stablePair(seed, true);
            c.isolate("n1");
            c.runUntil(c.now + 120_000);
            Cluster.Node n1 = c.nodes.get("n1");
            Cluster.Node n2 = c.nodes.get("n2");
            assertThat(n1.holdsAll(group(c, "n1"))).isTrue();
            assertThat(n2.holdsAll(group(c, "n2"))).isTrue();
            assertThat(n2.holds(group(c, "n1"))).as("seed %d", seed).isFalse();
            assertThat(n1.holds(group(c, "n2"))).as("seed %d", seed).isFalse();
            assertThat(c.fencing.fenced).isEmpty();
            assertThat(c.fencing.failures).isGreaterThan(4);
            assertThat(n2.ownership().fencing()).singleElement()
                    .satisfies(f -> assertThat(f.text()).isEqualTo("fencing n1 failed: the power switch does not answer"));
            // the cable comes back: fencing stops, both nodes keep their own groups
            c.heal();
            c.runUntil(c.now + 30_000);
            assertThat(n2.ownership().fencing()).isEmpty();
            assertThat(n1.ownership().fencing()).isEmpty();
            assertThat(c.trace()).contains("is alive again: fencing it stopped");
        }
    }

    @Test
    void in_a_cable_cut_with_a_working_switch_the_home_node_of_the_first_group_shoots_first_and_takes_over() {
        for (long seed = 1; seed <= 20; seed++) {
            Cluster c = stablePair(seed, false);
            c.isolate("n1");
            c.runUntil(c.now + 30_000);
            assertThat(c.fencing.fenced).as("seed %d", seed).singleElement().asString().startsWith("n2@");
            Cluster.Node n1 = c.nodes.get("n1");
            for (GroupSpec g : c.settings.groups()) {
                assertThat(n1.holdsAll(g)).as("seed %d: %s", seed, g.key()).isTrue();
            }
            assertThat(c.nodes.get("n2").up()).isFalse();
        }
    }

    /** Random faults (kills, power-offs, cuts, freezes, operator commands) with a working or a failing switch. */
    @Test
    void random_schedules_never_start_a_group_an_unreachable_node_runs() {
        int fencedRuns = 0;
        int failingRuns = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            boolean failing = seed % 3 == 0;
            Cluster c = cluster(seed, failing);
            run(c);
            if (!failing && !c.fencing.fenced.isEmpty()) {
                fencedRuns++;
            }
            if (failing && c.fencing.failures > 0) {
                failingRuns++;
            }
        }
        // the schedules do reach both cases, many times
        assertThat(fencedRuns).isGreaterThan(SEEDS / 4);
        assertThat(failingRuns).isGreaterThan(SEEDS / 10);
    }

    private static void run(Cluster c) {
        List<String> names = c.settings.names();
        for (String n : names) {
            c.at(c.between(0, 3_000), () -> c.start(n));
        }
        c.runUntil(c.between(5_000, 20_000));
        for (int i = 0; i < STEPS; i++) {
            String n = names.get(c.random.nextInt(names.size()));
            int kind = c.random.nextInt(100);
            if (kind < 12) {
                c.kill(n);
            } else if (kind < 18) {
                c.powerOff(n);
            } else if (kind < 40) {
                c.start(n);
            } else if (kind < 46) {
                c.operator(n, new NodeEvent.Shutdown());
            } else if (kind < 58) {
                c.isolate(n);
            } else if (kind < 68) {
                c.heal();
            } else if (kind < 76) {
                c.freeze(n, c.between(500, 4 * Schedules.DEADTIME));
            } else if (kind < 82) {
                c.operator(n, new NodeEvent.Standby("all"));
            } else if (kind < 88) {
                c.fencing.failing = !c.fencing.failing && c.random.nextInt(3) == 0;
            } else {
                c.maxDelay = 1 + c.random.nextInt(100);
            }
            c.runUntil(c.now + c.between(200, 8_000));
        }
        c.heal();
        c.runUntil(c.now + 3 * Schedules.DEADTIME);
        if (!c.fencing.failing) {
            // a working switch and every node started: the cluster runs every group again
            for (String n : names) {
                c.start(n);
            }
            c.runUntil(c.now + Schedules.QUIET);
            c.checkHeld();
        }
    }
}
