package io.tandem.resources;

import io.tandem.config.FailbackMode;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seeded runs of two engines with monitoring on, in the simulated cluster of {@link SimCluster}:
 * resources are killed on their owner, installations break, and the usual node faults and operator
 * actions happen in between. Invariants: never one group on two connected nodes, one script at a time
 * per node; a killed resource on a healthy cluster runs again on exactly one node within a bound; a
 * group that cannot start on its owner ends up on the peer; a group that cannot start anywhere is not
 * restarted without bound.
 */
class MonitorSimulationTest {
    static final long DEADTIME = 3000, INITDEAD = 6000;
    static final int SEEDS = Integer.getInteger("tandem.sim.seeds", 40);
    static final MonitorPolicy POLICY = new MonitorPolicy(true, new MonitorSpec(2_000, 5_000, 3, 60_000), Map.of());
    static final List<GroupSpec> GROUPS = OwnershipSimulationTest.GROUPS;
    /** A check every 2 s, scripts up to 2 s each, a restart of up to 3 resources: well within this. */
    static final long RECOVERY_BOUND = 2_000 + 12 * SimCluster.Scripts.RELIABLE.maxMs();

    @ParameterizedTest
    @EnumSource(value = FailbackMode.class, names = {"ON", "OFF"})
    void killed_resources_are_restarted_and_never_run_twice(FailbackMode mode) {
        int kills = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            SimCluster c = cluster(seed * 104_729 + mode.ordinal(), mode);
            Random r = new Random(seed);
            for (int episode = 0; episode < 12; episode++) {
                String what;
                if (r.nextInt(3) > 0) {
                    what = killSomething(c, r);
                    kills++;
                } else {
                    what = OwnershipSimulationTest.randomFault(c, r);
                }
                c.trace(null, "EPISODE " + episode + ": " + what);
                long at = c.now;
                long recovered = -1;
                while (c.now < at + 80_000) {
                    c.runUntil(c.now + 100);
                    if (recovered < 0 && what.startsWith("kill") && c.ownershipProblems().isEmpty()) {
                        recovered = c.now - at;
                    }
                }
                assertThat(c.violations).as("seed %d %s\n%s", seed, what, c.context()).isEmpty();
                assertThat(c.ownershipProblems()).as("seed %d after %s\n%s", seed, what, c.context()).isEmpty();
                if (what.startsWith("kill")) {
                    assertThat(recovered).as("seed %d %s: running again within one interval + script time\n%s", seed, what, c.context())
                            .isBetween(0L, RECOVERY_BOUND);
                }
            }
        }
        assertThat(kills).isGreaterThan(SEEDS * 4);
    }

    @ParameterizedTest
    @EnumSource(value = FailbackMode.class, names = {"ON", "OFF"})
    void a_group_that_cannot_start_on_its_owner_moves_to_the_peer(FailbackMode mode) {
        for (long seed = 1; seed <= SEEDS; seed++) {
            SimCluster c = cluster(seed * 7_177 + mode.ordinal(), mode);
            GroupSpec g = GROUPS.get(new Random(seed).nextInt(GROUPS.size()));
            SimCluster.Node owner = c.a.runsAllOf(g) ? c.a : c.b;
            String res = g.resources().get(g.resources().size() - 1);
            owner.broken.add(g.key() + "/" + res);
            c.kill(owner, g.key(), res);
            c.runUntil(c.now + 60_000);
            assertThat(c.violations).as("seed %d\n%s", seed, c.context()).isEmpty();
            assertThat(owner.peer().runsAllOf(g)).as("seed %d: %s runs on %s\n%s", seed, g.key(), owner.peer().name, c.context()).isTrue();
            assertThat(c.ownershipProblems()).as("seed %d\n%s", seed, c.context()).isEmpty();
            // the peer's installation is broken too: nobody can run it, and nobody tries without bound
            owner.peer().broken.add(g.key() + "/" + res);
            c.kill(owner.peer(), g.key(), res);
            c.starts.clear();
            c.runUntil(c.now + 600_000);
            assertThat(c.violations).as("seed %d\n%s", seed, c.context()).isEmpty();
            int tries = c.starts.getOrDefault(c.a.name + ":" + g.key() + "/" + res, 0) + c.starts.getOrDefault(c.b.name + ":" + g.key() + "/" + res, 0);
            // per node: one failed start bans it for 60 s, then one retry; 10 minutes -> about 10 per node
            assertThat(tries).as("seed %d: starts of a resource that cannot start anywhere in 10 min\n%s", seed, c.context()).isBetween(1, 24);
            // repaired on both, the fail counts cleared: it runs again on one node
            c.a.broken.clear();
            c.b.broken.clear();
            c.cleanup(c.a, g.key());
            c.cleanup(c.b, g.key());
            c.runUntil(c.now + 80_000);
            assertThat(c.violations).as("seed %d\n%s", seed, c.context()).isEmpty();
            assertThat(c.ownershipProblems()).as("seed %d after cleanup\n%s", seed, c.context()).isEmpty();
        }
    }

    private static SimCluster cluster(long seed, FailbackMode mode) {
        SimCluster c = new SimCluster(seed, mode, GROUPS, SimCluster.Scripts.RELIABLE, StopFailurePolicy.HOLD, DEADTIME, INITDEAD);
        c.monitoring = POLICY;
        c.restartMin = 28_000;
        c.restartMax = 36_000;
        Random r = new Random(seed);
        c.at(r.nextInt(8000), () -> c.start(c.a));
        c.at(r.nextInt(8000), () -> c.start(c.b));
        c.runUntil(80_000);
        assertThat(c.violations).as("seed %d start-up\n%s", seed, c.context()).isEmpty();
        assertThat(c.ownershipProblems()).as("seed %d start-up\n%s", seed, c.context()).isEmpty();
        return c;
    }

    /** Kills a random running resource on the node that runs it. */
    private static String killSomething(SimCluster c, Random r) {
        List<String[]> candidates = new ArrayList<>();
        for (SimCluster.Node n : List.of(c.a, c.b)) {
            for (GroupSpec g : GROUPS) {
                for (String res : g.resources()) {
                    if (n.up && n.running.getOrDefault(g.key() + "/" + res, false)) {
                        candidates.add(new String[] {n.name, g.key(), res});
                    }
                }
            }
        }
        if (candidates.isEmpty()) {
            return "nothing to kill";
        }
        String[] k = candidates.get(r.nextInt(candidates.size()));
        c.kill(k[0].equals(c.a.name) ? c.a : c.b, k[1], k[2]);
        return "kill " + k[2] + " on " + k[0];
    }
}
