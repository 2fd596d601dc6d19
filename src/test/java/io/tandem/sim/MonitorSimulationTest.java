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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seeded two-node runs of {@link Cluster} with monitoring on: resources die under their running
 * daemon, installations break (a script whose start fails on one node), and the faults and operator
 * actions of {@link Episodes} happen in between. Besides the cluster's invariants: a resource that died
 * on a healthy cluster runs again on exactly one node within a bound; a group that cannot start on its
 * owner ends up on the peer; a group that cannot start anywhere is not restarted without bound.
 */
class MonitorSimulationTest {
    static final int SEEDS = Integer.getInteger("tandem.sim.seeds", 40);
    static final MonitorPolicy POLICY = new MonitorPolicy(true, new MonitorSpec(2_000, 5_000, 3, 60_000), Map.of());
    static final List<GroupSpec> GROUPS = OwnershipSimulationTest.GROUPS;
    /** A check every 2 s, scripts up to 2 s each, a restart of up to 3 resources: well within this. */
    static final long RECOVERY_BOUND = 2_000 + 12 * OwnershipSimulationTest.SCRIPT_MAX;

    @ParameterizedTest
    @EnumSource(value = FailbackMode.class, names = {"ON", "OFF"})
    void killed_resources_are_restarted_and_never_run_twice(FailbackMode mode) {
        int kills = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            Random r = new Random(seed);
            Cluster c = cluster(seed * 104_729 + mode.ordinal(), mode, r);
            Episodes faults = new Episodes(c, r, 28_000, 36_000);
            for (int episode = 0; episode < 12; episode++) {
                String what;
                if (r.nextInt(3) > 0) {
                    what = killSomething(c, r);
                    kills++;
                } else {
                    what = faults.next();
                }
                c.note(null, "EPISODE " + episode + ": " + what);
                long at = c.now;
                long recovered = -1;
                while (c.now < at + 80_000) {
                    c.runUntil(c.now + 100);
                    if (recovered < 0 && what.startsWith("kill") && c.invariants.ownershipProblems().isEmpty()) {
                        recovered = c.now - at;
                    }
                }
                assertThat(c.invariants.ownershipProblems()).as("seed %d after %s\n%s", c.seed, what, c.trace()).isEmpty();
                if (what.startsWith("kill")) {
                    assertThat(recovered).as("seed %d %s: running again within one interval + script time\n%s", c.seed, what, c.trace())
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
            Cluster c = cluster(seed * 7_177 + mode.ordinal(), mode, new Random(seed));
            GroupSpec g = GROUPS.get(new Random(seed).nextInt(GROUPS.size()));
            Cluster.Node owner = c.nodes.get("n1").holdsAll(g) ? c.nodes.get("n1") : c.nodes.get("n2");
            Cluster.Node peer = c.nodes.get(owner.name.equals("n1") ? "n2" : "n1");
            String res = g.resources().get(g.resources().size() - 1);
            c.script(owner.name, res, Cluster.Script.FAILING);
            c.killResource(owner.name, g.key(), res);
            c.runUntil(c.now + 60_000);
            assertThat(peer.holdsAll(g)).as("seed %d: %s runs on %s\n%s", c.seed, g.key(), peer.name, c.trace()).isTrue();
            assertThat(c.invariants.ownershipProblems()).as("seed %d\n%s", c.seed, c.trace()).isEmpty();
            // the peer's installation is broken too: nobody can run it, and nobody tries without bound
            c.script(peer.name, res, Cluster.Script.FAILING);
            c.killResource(peer.name, g.key(), res);
            int before = starts(owner, g, res) + starts(peer, g, res);
            c.runUntil(c.now + 600_000);
            int tries = starts(owner, g, res) + starts(peer, g, res) - before;
            // per node: one failed start bans it for 60 s, then one retry; 10 minutes -> about 10 per node
            assertThat(tries).as("seed %d: starts of a resource that cannot start anywhere in 10 min\n%s", c.seed, c.trace()).isBetween(1, 24);
            // repaired on both, the fail counts cleared: it runs again on one node
            c.script(owner.name, res, Cluster.Script.OK);
            c.script(peer.name, res, Cluster.Script.OK);
            c.operator(owner.name, new NodeEvent.Cleanup(g.key()));
            c.operator(peer.name, new NodeEvent.Cleanup(g.key()));
            c.runUntil(c.now + 80_000);
            assertThat(c.invariants.ownershipProblems()).as("seed %d after cleanup\n%s", c.seed, c.trace()).isEmpty();
        }
    }

    private static int starts(Cluster.Node n, GroupSpec g, String res) {
        return n.machine.starts.getOrDefault(g.key() + "/" + res, 0);
    }

    private static Cluster cluster(long seed, FailbackMode mode, Random r) {
        Cluster c = OwnershipSimulationTest.cluster(seed, OwnershipSimulationTest.settings(mode).with(POLICY));
        new Episodes(c, r, 28_000, 36_000).startBoth();
        c.runUntil(80_000);
        assertThat(c.invariants.ownershipProblems()).as("seed %d start-up\n%s", seed, c.trace()).isEmpty();
        return c;
    }

    /** Kills a random running resource on the node that runs it. */
    private static String killSomething(Cluster c, Random r) {
        List<String[]> candidates = new ArrayList<>();
        for (Cluster.Node n : c.nodes.values()) {
            for (GroupSpec g : GROUPS) {
                for (String res : g.resources()) {
                    if (n.up() && n.machine.runs(g.key(), res)) {
                        candidates.add(new String[] {n.name, g.key(), res});
                    }
                }
            }
        }
        if (candidates.isEmpty()) {
            return "nothing to kill";
        }
        String[] k = candidates.get(r.nextInt(candidates.size()));
        c.killResource(k[0], k[1], k[2]);
        return "kill " + k[2] + " on " + k[0];
    }
}
