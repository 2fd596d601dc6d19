package io.tandem.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.FailbackMode;
import io.tandem.node.NodeEvent;
import io.tandem.resources.GroupSpec;
import io.tandem.resources.MonitorPolicy;
import io.tandem.resources.MonitorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Warm resources (tandem.cf {@code resource NAME warm}, docs/ownership.md) in the whole-cluster simulator.
 * The cluster's invariants hold after every event as for any group, with the warm resources left out of
 * exclusivity (they may run on both nodes): so the address and the exclusive resources (a Filesystem here)
 * are never on two nodes that can talk. Besides: once quiet, every warm resource runs on every live node;
 * a completed hand-over leaves the group complete on exactly one node; a crash takeover starts no warm
 * resource (it runs already); and a power-off of either node, a cut link or a lossy link in the middle of
 * every step of a hand-over (every 50 ms of it) changes none of this.
 */
class WarmSimulationTest {
    /** Seeds of the random campaign, per node count (more with -Dtandem.sim.warm.seeds=N). */
    static final int SEEDS = Integer.getInteger("tandem.sim.warm.seeds", 400);
    static final List<GroupSpec> GROUPS = OwnershipSimulationTest.GROUPS;
    static final Set<String> WARM = Set.of("apache2", "postgresql", "exim4");
    static final MonitorPolicy POLICY = new MonitorPolicy(true, new MonitorSpec(2_000, 5_000, 3, 60_000), Map.of());

    @Test
    void random_schedules_with_warm_resources_keep_the_invariants() {
        int runs = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            for (int nodes = 2; nodes <= 3; nodes++) {
                Cluster c = Schedules.run(seed, nodes, Campaign.STEPS, Set.of("web", "db")).cluster();
                Cluster.Node a = c.nodes.get("n1");
                Cluster.Node b = c.nodes.get("n2");
                if (nodes == 2 && c.invariants.canTalk(a, b)) { // after a split nothing is promised (Invariants), as for (a)-(c)
                    assertThat(warmMissing(c)).as("seed %d: warm resources once quiet\n%s", seed, c.trace()).isEmpty();
                }
                runs++;
            }
        }
        assertThat(runs).isEqualTo(2 * SEEDS);
    }

    @ParameterizedTest
    @EnumSource(value = FailbackMode.class, names = {"ON", "OFF"})
    void a_hand_over_leaves_one_holder_and_warm_copies_on_both(FailbackMode mode) {
        for (long seed = 1; seed <= 20; seed++) {
            Cluster c = settled(seed * 31 + mode.ordinal(), mode, false);
            Cluster.Node giver = holderOf(c, GROUPS.get(0));
            Cluster.Node taker = other(c, giver);
            int takerStarts = starts(taker, GROUPS.get(0), "apache2");
            c.operator(giver.name, new NodeEvent.Standby("all"));
            c.runUntil(c.now + 60_000);
            assertThat(c.invariants.ownershipProblems()).as("seed %d\n%s", c.seed, c.trace()).isEmpty();
            assertThat(taker.holdsAll(GROUPS.get(0))).as("seed %d: %s took the group\n%s", c.seed, taker.name, c.trace()).isTrue();
            assertThat(warmMissing(c)).as("seed %d\n%s", c.seed, c.trace()).isEmpty();
            // the taker ran apache2 already: the hand-over started only the address there
            assertThat(starts(taker, GROUPS.get(0), "apache2")).as("seed %d\n%s", c.seed, c.trace()).isEqualTo(takerStarts);
        }
    }

    @ParameterizedTest
    @EnumSource(value = FailbackMode.class, names = {"ON", "OFF"})
    void a_crash_takeover_starts_only_the_address_and_the_exclusive_resources(FailbackMode mode) {
        for (long seed = 1; seed <= 20; seed++) {
            Cluster c = settled(seed * 97 + mode.ordinal(), mode, false);
            Cluster.Node holder = holderOf(c, GROUPS.get(0));
            Cluster.Node survivor = other(c, holder);
            int before = starts(survivor, GROUPS.get(0), "apache2");
            c.powerOff(holder.name);
            c.runUntil(c.now + OwnershipSimulationTest.DEADTIME + 12 * OwnershipSimulationTest.SCRIPT_MAX);
            assertThat(survivor.holdsAll(GROUPS.get(0))).as("seed %d\n%s", c.seed, c.trace()).isTrue();
            assertThat(starts(survivor, GROUPS.get(0), "apache2")).as("seed %d: apache2 was warm\n%s", c.seed, c.trace()).isEqualTo(before);
            c.start(holder.name);
            c.runUntil(c.now + 80_000);
            assertThat(c.invariants.ownershipProblems()).as("seed %d\n%s", c.seed, c.trace()).isEmpty();
            assertThat(warmMissing(c)).as("seed %d\n%s", c.seed, c.trace()).isEmpty();
        }
    }

    /** The faults put into a hand-over. */
    enum Fault { POWER_OFF_GIVER, POWER_OFF_TAKER, KILL_GIVER, CUT_LINK, LOSSY_LINK, STOP_TAKER }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void a_fault_in_every_step_of_a_hand_over_keeps_the_address_on_one_node(Fault fault) {
        int runs = 0;
        for (FailbackMode mode : List.of(FailbackMode.ON, FailbackMode.OFF)) {
            // every 50 ms over the first 8 s of the hand-over: each of its steps (me, other, the address's stop, done,
            // its start, the reports, the giver's first check of the copy it kept)
            for (long offset = 0; offset <= 8_000; offset += 50) {
                long seed = offset * 13 + fault.ordinal() * 7 + mode.ordinal();
                Cluster c = handOver(seed, mode, fault, offset, WARM);
                c.checkHeld();
                if (fault != Fault.KILL_GIVER) { // a killed daemon's copies run on without it: beyond the protocol
                    assertThat(c.invariants.ownershipProblems()).as("seed %d %s at %d ms\n%s", c.seed, fault, offset, c.trace()).isEmpty();
                    assertThat(warmMissing(c)).as("seed %d %s at %d ms\n%s", c.seed, fault, offset, c.trace()).isEmpty();
                }
                runs++;
            }
        }
        assertThat(runs).isEqualTo(2 * 161);
    }

    @Test
    void a_warm_copy_that_dies_on_the_standby_node_is_started_again() {
        for (long seed = 1; seed <= 20; seed++) {
            Cluster c = settled(seed * 7 + 3, FailbackMode.OFF, true);
            Cluster.Node holder = holderOf(c, GROUPS.get(0));
            Cluster.Node standby = other(c, holder);
            assertThat(standby.runs(GROUPS.get(0).key(), "apache2")).isTrue();
            int before = starts(standby, GROUPS.get(0), "apache2");
            c.killResource(standby.name, GROUPS.get(0).key(), "apache2");
            c.runUntil(c.now + 2_000 + 2 * OwnershipSimulationTest.SCRIPT_MAX);
            assertThat(standby.runs(GROUPS.get(0).key(), "apache2")).as("seed %d\n%s", c.seed, c.trace()).isTrue();
            assertThat(starts(standby, GROUPS.get(0), "apache2")).isEqualTo(before + 1);
            assertThat(c.invariants.ownershipProblems()).as("seed %d\n%s", c.seed, c.trace()).isEmpty();
        }
    }


    /** A settled two-node cluster with these warm resources, a hand-over, {@code fault} {@code offset} ms into it, then 150 s. */
    static Cluster handOver(long seed, FailbackMode mode, Fault fault, long offset, Set<String> warm) {
        return handOver(seed, mode, fault, offset, warm, Set.of());
    }

    /** The same with may-run-twice resources too ({@link MayRunTwiceSimulationTest}). */
    static Cluster handOver(long seed, FailbackMode mode, Fault fault, long offset, Set<String> warm, Set<String> twice) {
        Cluster c = settled(seed, mode, offset % 100 == 50, warm, twice);
        Random r = new Random(seed);
        Cluster.Node giver = holderOf(c, GROUPS.get(0));
        Cluster.Node taker = other(c, giver);
        Episodes episodes = new Episodes(c, r, 1_000, 5_000);
        c.note(null, "HAND-OVER with " + fault + " after " + offset + " ms");
        c.operator(giver.name, new NodeEvent.Standby(r.nextBoolean() ? "all" : "local"));
        c.runUntil(c.now + offset);
        switch (fault) {
            case POWER_OFF_GIVER -> {
                c.powerOff(giver.name);
                episodes.restartLater(giver);
            }
            case POWER_OFF_TAKER -> {
                c.powerOff(taker.name);
                episodes.restartLater(taker);
            }
            case KILL_GIVER -> {
                c.kill(giver.name);
                episodes.restartLater(giver);
            }
            case CUT_LINK -> episodes.partition(500 + r.nextInt(8_000));
            case LOSSY_LINK -> {
                c.loss = 0.3;
                c.duplicate = 0.1;
                c.maxDelay = 200;
                c.at(c.now + 10_000, () -> {
                    c.loss = 0;
                    c.duplicate = 0;
                    c.maxDelay = 5;
                    c.at(c.now + 2_000, () -> {
                        if (c.invariants.isSplit(giver, taker)) { // a false death: heartbeat v1 needs both restarted (Episodes)
                            c.note(null, "OPERATOR restarts both after the split");
                            episodes.restartGracefully(giver);
                            episodes.restartGracefully(taker);
                        }
                    });
                });
            }
            case STOP_TAKER -> {
                c.operator(taker.name, new NodeEvent.Shutdown());
                episodes.restartLater(taker);
            }
        }
        c.runUntil(c.now + 150_000);
        return c;
    }

    private static Cluster settled(long seed, FailbackMode mode, boolean monitoring) {
        return settled(seed, mode, monitoring, WARM);
    }

    /** Two nodes with the warm resources, both started, settled: every group on one node, the warm copies on the other. */
    static Cluster settled(long seed, FailbackMode mode, boolean monitoring, Set<String> warm) {
        return settled(seed, mode, monitoring, warm, Set.of());
    }

    /** The same with may-run-twice resources too. */
    static Cluster settled(long seed, FailbackMode mode, boolean monitoring, Set<String> warm, Set<String> twice) {
        Cluster.Settings s = OwnershipSimulationTest.settings(mode);
        Cluster c = OwnershipSimulationTest.cluster(seed, monitoring ? s.with(POLICY) : s);
        c.warm.addAll(warm);
        c.mayRunTwice.addAll(twice);
        new Episodes(c, new Random(seed), 1_000, 5_000).startBoth();
        c.runUntil(80_000);
        assertThat(c.invariants.ownershipProblems()).as("seed %d start-up\n%s", seed, c.trace()).isEmpty();
        assertThat(warmMissing(c)).as("seed %d start-up\n%s", seed, c.trace()).isEmpty();
        return c;
    }

    /**
     * Two nodes: the warm resources that do not run on a live node, where they should (a group with a
     * failed script in a running node's life, or left running by a killed daemon, excepted, as {@link Invariants#held}).
     */
    static List<String> warmMissing(Cluster c) {
        List<String> missing = new ArrayList<>();
        if (c.nodes.size() != 2) {
            return missing;
        }
        for (Cluster.Node n : c.nodes.values()) {
            if (!n.live()) {
                continue;
            }
            for (GroupSpec g : c.settings.groups()) {
                if (c.nodes.values().stream().anyMatch(p -> p.live() && p.failedHere.contains(g.key()) || p.leftOver(g))) {
                    continue; // as Invariants.held: a script of the group failed in a running node's life, or a killed daemon left it
                }
                for (String r : g.resources()) {
                    if (c.warm.contains(r) && !n.runs(g.key(), r)) {
                        missing.add(r + " of " + g.key() + " does not run on " + n.name);
                    }
                }
            }
        }
        return missing;
    }

    static Cluster.Node holderOf(Cluster c, GroupSpec g) {
        return c.nodes.values().stream().filter(n -> n.up() && n.holdsAll(g) && n.runs(g.key(), g.resources().get(0)))
                .findFirst().orElseThrow();
    }

    static Cluster.Node other(Cluster c, Cluster.Node n) {
        return c.nodes.values().stream().filter(p -> p != n).findFirst().orElseThrow();
    }

    static int starts(Cluster.Node n, GroupSpec g, String res) {
        return n.machine.starts.getOrDefault(g.key() + "/" + res, 0);
    }
}
