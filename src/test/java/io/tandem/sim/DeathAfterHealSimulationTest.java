package io.tandem.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.FailbackMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * "Both nodes declare each other dead once more after a partition heals" (docs/simulation.md, Found
 * so far): every death of a running, reachable peer in the ownership episodes (crashes, graceful
 * stops, standby and takeover requests, partitions followed by the operator's graceful restart of
 * both) must have a fault inside its deadtime window — a cut, a freeze, a (re)start or an operator
 * command at most deadtime + keepalive + the link's delay before it. A death with only a working link
 * and two running daemons behind it would be the unexplained re-death. The deaths that do follow a
 * heal are counted: the silence that ends in them began in the cut (the last status before the cut up
 * to the first one after the heal is the cut plus up to two keepalives), as in heartbeat.
 */
class DeathAfterHealSimulationTest {
    static final int SEEDS = Integer.getInteger("tandem.sim.seeds", 60);
    static final long WINDOW = OwnershipSimulationTest.DEADTIME + OwnershipSimulationTest.KEEPALIVE + 100;

    @Test
    void a_running_peer_on_a_working_link_is_declared_dead_only_for_a_silence_that_a_fault_began() {
        List<String> unexplained = new ArrayList<>();
        int[] afterHeal = {0};
        int deathsOfRunningPeers = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            for (FailbackMode mode : FailbackMode.values()) {
                Cluster c = OwnershipSimulationTest.cluster(seed * 7919 + mode.ordinal(), OwnershipSimulationTest.settings(mode));
                List<String> deaths = new ArrayList<>();
                long s = seed;
                c.observer = new ClusterObserver() {
                    @Override
                    public void declaredDeadWhileUp(Cluster.Node by, Cluster.Node peer) {
                        deaths.add(by.name);
                        if (!c.linked(by, peer) || !peer.live() || !by.live()) {
                            return; // a cut or a frozen daemon now: nothing to explain
                        }
                        long lastFault = -1;
                        boolean heal = false;
                        for (Trace.Line l : c.lines()) {
                            String w = String.valueOf(l.what());
                            if (w.equals("HEAL") || w.startsWith("CUT") || w.startsWith("THAW") || w.startsWith("FREEZE") || w.startsWith("START")
                                    || w.startsWith("OPERATOR") || w.startsWith("KILL") || w.startsWith("POWER")) {
                                lastFault = l.at();
                                heal = w.equals("HEAL");
                            }
                        }
                        if (c.now - lastFault > WINDOW + c.maxDelay) {
                            unexplained.add("seed " + s + " " + mode + " at " + c.now + " ms: " + by.name + " declared " + peer.name
                                    + " dead; last fault at " + lastFault + " ms");
                        } else if (heal) {
                            afterHeal[0]++;
                        }
                    }
                };
                Episodes faults = new Episodes(c, new Random(seed), 28_000, 36_000);
                faults.startBoth();
                c.runUntil(OwnershipSimulationTest.SETTLE);
                for (int episode = 0; episode < 12; episode++) {
                    String what = faults.next();
                    c.note(null, "EPISODE " + episode + ": " + what);
                    c.runUntil(c.now + (what.startsWith("partition") ? 2 : 1) * OwnershipSimulationTest.SETTLE);
                }
                deathsOfRunningPeers += deaths.size();
                assertThat(unexplained).as("deaths of a running peer with no fault within deadtime").isEmpty();
            }
        }
        System.out.printf(Locale.ROOT, "%d seeds x 3 modes: %d deaths of a running peer, %d of them right after a heal (a silence begun in"
                + " the cut), none without a fault in its deadtime window%n", SEEDS, deathsOfRunningPeers, afterHeal[0]);
        assertThat(deathsOfRunningPeers).as("the episodes produce deaths of running peers (partitions)").isPositive();
    }
}
