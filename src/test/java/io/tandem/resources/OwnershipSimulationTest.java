package io.tandem.resources;

import io.tandem.config.FailbackMode;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Many seeded runs of two ownership engines with crashes, restarts, graceful stops, standby and
 * takeover requests, partitions and (in the second test) failing scripts. Invariants: two nodes that
 * can talk never both run a group; a node that gives a group up has stopped it; one script at a time;
 * with reliable scripts, after each single fault every group runs on exactly one live node, and after
 * a crash within deadtime + script time.
 */
class OwnershipSimulationTest {
    static final long DEADTIME = 3000, INITDEAD = 6000, SETTLE = 80_000;
    /** More seeds with -Dtandem.sim.seeds=N (the default keeps the build fast). */
    static final int SEEDS = Integer.getInteger("tandem.sim.seeds", 60);
    static final List<GroupSpec> GROUPS = List.of(
            GroupSpec.of("n1", "IPaddr::192.0.2.1/24/eth0", "apache2"),
            GroupSpec.of("n2", "IPaddr::192.0.2.2/24/eth0", "postgresql"),
            GroupSpec.of("n1", "192.0.2.3", "Filesystem::/dev/sdb1::/srv", "exim4"));

    @ParameterizedTest
    @EnumSource(FailbackMode.class)
    void every_fault_leaves_each_group_on_exactly_one_node(FailbackMode mode) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            SimCluster c = new SimCluster(seed * 7919 + mode.ordinal(), mode, GROUPS, SimCluster.Scripts.RELIABLE, StopFailurePolicy.HOLD, DEADTIME, INITDEAD);
            Random r = new Random(seed);
            // restarts come after the takeover bound, so each crash is measured as a single fault
            c.restartMin = 28_000;
            c.restartMax = 36_000;
            c.at(r.nextInt(8000), () -> c.start(c.a));
            c.at(r.nextInt(8000), () -> c.start(c.b));
            c.runUntil(SETTLE);
            check(c, seed, "start-up");
            for (int episode = 0; episode < 12; episode++) {
                String what = randomFault(c, r);
                c.trace(null, "EPISODE " + episode + ": " + what);
                long faultAt = c.now;
                long owned = -1;
                while (c.now < faultAt + SETTLE) {
                    c.runUntil(c.now + 100);
                    if (owned < 0 && what.startsWith("crash") && c.ownershipProblems().isEmpty()) {
                        owned = c.now - faultAt;
                    }
                }
                check(c, seed, what);
                seen.add(what.split(" ")[0]);
                if (what.startsWith("crash")) {
                    long bound = DEADTIME + 12 * SimCluster.Scripts.RELIABLE.maxMs();
                    assertThat(owned).as("seed %d %s: survivor owns everything within deadtime + script time\n%s", seed, what, c.context())
                            .isBetween(0L, bound);
                }
            }
            for (SimCluster.Line l : c.lines) {
                seen.add(l.text());
            }
        }
        assertThat(seen).as("the runs exercised every kind of fault").contains("crash", "stop", "hb_standby", "hb_takeover", "partition", "racing");
        if (mode.niceFailback()) {
            assertThat(seen).as("the runs went through shutdone, mach_down, the handshake and the partition restart").contains(
                    "info [heartbeat] mach_down takeover complete.", "SHUTDOWN COMPLETE (restart)", "SHUTDOWN COMPLETE");
            assertThat(seen.stream().anyMatch(t -> t.startsWith("info [heartbeat] Received shutdown notice"))).isTrue();
            assertThat(seen.stream().anyMatch(t -> t.startsWith("info [heartbeat] Standby resource acquisition done"))).isTrue();
        } else {
            assertThat(seen.stream().anyMatch(t -> t.startsWith("send t=ip-request ipaddr="))).isTrue();
            assertThat(seen.stream().anyMatch(t -> t.startsWith("send t=ip-request-resp") && t.contains("weown=yes"))).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(StopFailurePolicy.class)
    void failing_scripts_never_run_a_group_twice(StopFailurePolicy policy) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (FailbackMode mode : FailbackMode.values()) {
            for (long seed = 1; seed <= SEEDS / 2; seed++) {
                SimCluster c = new SimCluster(seed * 31 + mode.ordinal(), mode, GROUPS, new SimCluster.Scripts(50, 1500, 0.08, 0.3, 0.05),
                        policy, DEADTIME, INITDEAD);
                Random r = new Random(seed + 1000);
                c.at(r.nextInt(8000), () -> c.start(c.a));
                c.at(r.nextInt(8000), () -> c.start(c.b));
                c.runUntil(SETTLE);
                for (int episode = 0; episode < 10; episode++) {
                    String what = randomFault(c, r);
                    c.trace(null, "EPISODE " + episode + ": " + what);
                    c.runUntil(c.now + SETTLE);
                }
                assertThat(c.violations).as("seed %d mode %s policy %s\n%s", seed, mode, policy, c.context()).isEmpty();
                for (SimCluster.Line l : c.lines) {
                    seen.add(l.text().replaceAll(":.*", ""));
                }
            }
        }
        assertThat(seen).as("failed starts and stops were exercised").contains("CRIT [ResourceManager] Giving up resources due to failure of postgresql",
                "info [ResourceManager] Retrying failed stop operation [postgresql]");
        if (policy == StopFailurePolicy.REBOOT) {
            assertThat(seen).contains("REBOOT");
        } else {
            assertThat(seen).contains("CRIT [ResourceManager] Resource STOP failure", "SHUTDOWN ABORTED");
        }
    }

    private static void check(SimCluster c, long seed, String what) {
        assertThat(c.violations).as("seed %d after %s\n%s", seed, what, c.context()).isEmpty();
        assertThat(c.ownershipProblems()).as("seed %d after %s\n%s", seed, what, c.context()).isEmpty();
    }

    /** One fault or operator action, applied now; the cluster is settled and both nodes are up. */
    static String randomFault(SimCluster c, Random r) {
        List<SimCluster.Node> up = new ArrayList<>();
        for (SimCluster.Node n : List.of(c.a, c.b)) {
            if (n.up) {
                up.add(n);
            }
        }
        if (up.isEmpty()) {
            c.start(c.a);
            return "start " + c.a.name;
        }
        SimCluster.Node n = up.get(r.nextInt(up.size()));
        String[] sets = {"all", "local", "foreign", "failback"};
        switch (r.nextInt(6)) {
            case 0:
                c.crash(n);
                return "crash " + n.name;
            case 1:
                c.stop(n);
                return "stop " + n.name;
            case 2: {
                String s = sets[r.nextInt(sets.length)];
                c.standby(n, s);
                return "hb_standby " + s + " on " + n.name;
            }
            case 3: {
                String s = sets[r.nextInt(sets.length)];
                c.takeover(n, s);
                return "hb_takeover " + s + " on " + n.name;
            }
            case 4: {
                long d = 500 + r.nextInt(10_000);
                c.partition();
                c.at(c.now + d, c::heal);
                return "partition for " + d + " ms";
            }
            default: {
                // two requests racing: standby on both nodes at once
                SimCluster.Node other = n.peer();
                c.standby(n, "all");
                if (other.up) {
                    c.standby(other, sets[r.nextInt(sets.length)]);
                }
                return "racing hb_standby on both";
            }
        }
    }
}
