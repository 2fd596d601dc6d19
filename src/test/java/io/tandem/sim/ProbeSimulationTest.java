package io.tandem.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.FailbackMode;
import io.tandem.resources.GroupSpec;
import io.tandem.resources.GroupState;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of a daemon and its restart, over thousands of seeds (two nodes, both failback
 * modes, slow scripts, delays): the restarted node's start-up probe finds what its killed daemon left
 * running. The cluster's invariants hold for those resources once {@link Cluster#probeGrace} has
 * passed after the restart (no group on both nodes that can talk, no start while the peer runs it),
 * and once quiet every group runs on one machine at most, is held as {@link Cluster#checkHeld} asks,
 * and each node's status says what runs there.
 *
 * <p>One thing stays beyond the probe: a start or stop script of the killed daemon that finishes only
 * after the new daemon started (its probe may have asked that resource's status before). What it did
 * no daemon knows (the real daemon's scripts run in their own process group and outlive a
 * {@code kill -9} too); the run counts those groups and leaves them out of the final checks.
 */
class ProbeSimulationTest {
    static final int SEEDS = 2_000;

    @Test
    void a_killed_and_restarted_daemon_leaves_one_holder_and_tells_the_truth() {
        int lateOrphans = 0; // groups a script of a killed daemon changed after the restart
        int found = 0;
        int fast = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            Result r = run(seed);
            lateOrphans += r.lateOrphans;
            found += r.foundAtStart;
            fast += r.fastRestarts;
        }
        System.out.printf(Locale.ROOT, "%d kill/restart schedules: %d restarts found resources running, %d groups changed by a"
                + " script of the killed daemon after the restart, %d schedules with a restart before the peer noticed the death%n",
                SEEDS, found, lateOrphans, fast);
        assertThat(found).as("the schedules exercise the probe").isGreaterThan(SEEDS);
    }

    record Result(int lateOrphans, int foundAtStart, int fastRestarts) {
    }

    static Result run(long seed) {
        Cluster c = new Cluster(seed, Schedules.settings(2, seed % 2 == 0 ? FailbackMode.ON : FailbackMode.OFF));
        c.maxDelay = 1 + c.random.nextInt(40);
        List<String> names = c.settings.names();
        List<String> resources = c.settings.groups().stream().flatMap(g -> g.resources().stream()).toList();
        int[] foundAtStart = {0};
        boolean[] fast = {false};
        boolean fastAllowed = seed % 3 == 0;
        for (String n : names) {
            c.at(c.between(0, 3_000), () -> c.start(n));
        }
        c.runUntil(c.between(8_000, 15_000));
        for (int i = 0; i < 8; i++) {
            String n = names.get(c.random.nextInt(names.size()));
            if (c.random.nextInt(4) == 0) {
                c.script(n, resources.get(c.random.nextInt(resources.size())),
                        c.random.nextBoolean() ? Cluster.Script.SLOW : Cluster.Script.OK);
            }
            c.kill(n);
            Cluster.Node peer = c.nodes.values().stream().filter(x -> !x.name.equals(n)).findFirst().orElseThrow();
            if (fastAllowed) {
                c.runUntil(c.now + c.between(0, 3 * Schedules.DEADTIME));
            } else {
                // the lab's case: the peer declares the killed node dead and takes over, then the restart
                long until = c.now + 3 * Schedules.DEADTIME;
                while (c.now < until && peer.up() && !"dead".equals(peer.core.membership().nodeStatus(n))) {
                    c.runUntil(c.now + 100);
                }
                c.runUntil(c.now + c.between(0, Schedules.DEADTIME));
            }
            if (peer.up() && !"dead".equals(peer.core.membership().nodeStatus(n))) {
                fast[0] = true;
            }
            c.start(n);
            c.runUntil(c.now + c.between(1_500, 3_000));
            Cluster.Node node = c.nodes.get(n);
            if (node.up() && c.settings.groups().stream().anyMatch(g -> node.core.ownership().groupStates().get(g.key()) == GroupState.FOUND_RUNNING
                    || node.adopted(g))) {
                foundAtStart[0]++;
            }
            c.runUntil(c.now + c.between(0, 15_000));
        }
        for (String n : names) {
            resources.forEach(r -> c.nodes.get(n).scripts.remove(r));
            c.start(n);
        }
        c.runUntil(c.now + Schedules.QUIET);
        int late = 0;
        for (GroupSpec g : c.settings.groups()) {
            if (c.nodes.values().stream().anyMatch(n -> n.orphanScriptSinceStart(g))) {
                late++; // a script of the killed daemon finished after the restart: no daemon knows what it did
                continue;
            }
            long machines = c.nodes.values().stream().filter(n -> n.runsAny(g)).count();
            if (machines > 1) {
                c.violation(g.key() + " runs on " + machines + " machines once quiet after kills and restarts");
            }
            for (Cluster.Node n : c.nodes.values()) {
                GroupState s = n.core.ownership().groupStates().get(g.key());
                boolean saysRunning = s == GroupState.RUNNING;
                if (saysRunning != n.holdsAll(g) || s == GroupState.FOUND_RUNNING) {
                    c.violation(n.name + "'s status says " + g.key() + " is " + s.text() + " but " + (n.holdsAll(g) ? "it runs there"
                            : n.runsAny(g) ? "only part of it runs there" : "it does not run there"));
                }
            }
        }
        if (!fast[0]) {
            c.checkHeld();
        }
        return new Result(late, foundAtStart[0], fast[0] ? 1 : 0);
    }
}
