package io.tandem.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.FailbackMode;
import io.tandem.resources.GroupSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Freezes (the simulator's {@code freeze}: the node processes nothing, then everything that waited,
 * with the clock jumped), over thousands of seeds: two nodes, a network without loss, delays up to
 * 40 ms, freezes from half a second to three deadtimes. A node that resumes knows it was frozen
 * (NodeCore's freeze detection) and so it never declares its live, connected peer dead for the
 * silence that was its own, and never starts a group the peer runs because of it. The peer, which
 * rightly declared the frozen node dead, may take its groups meanwhile: that double hold is for the
 * healing rule (resources.Precedence), not for this test.
 */
class FreezeSimulationTest {
    static final int SEEDS = 2_000;

    @Test
    void a_resumed_node_never_declares_its_live_peer_dead_nor_takes_its_groups() {
        int freezes = 0;
        int pastDeadtime = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            int[] counts = run(seed);
            freezes += counts[0];
            pastDeadtime += counts[1];
        }
        System.out.printf(Locale.ROOT, "%d freeze schedules: %d freezes, %d of them past deadtime%n", SEEDS, freezes, pastDeadtime);
        assertThat(pastDeadtime).as("the schedules freeze nodes past deadtime").isGreaterThan(SEEDS);
    }

    /** Within a deadtime after a thaw (and not before it). */
    static boolean recently(Long thaw, long now) {
        return thaw != null && now >= thaw && now < thaw + Schedules.DEADTIME + Schedules.SCRIPT_TIMEOUT;
    }

    /** One schedule; returns the number of freezes and of those longer than deadtime. */
    static int[] run(long seed) {
        Cluster c = new Cluster(seed, Schedules.settings(2, seed % 2 == 0 ? FailbackMode.ON : FailbackMode.OFF));
        c.maxDelay = 1 + c.random.nextInt(40);
        List<String> names = c.settings.names();
        Map<String, Long> thawAt = new HashMap<>();
        c.observer = new ClusterObserver() {
            @Override
            public void declaredDeadWhileUp(Cluster.Node by, Cluster.Node peer) {
                // the peer of a frozen node rightly declares it dead; until its packets arrive after the
                // thaw it may do so even though it runs again: only a peer that was not frozen counts
                if (peer.live() && !recently(thawAt.get(peer.name), c.now)) {
                    c.violation(by.name + " declared its live, connected peer " + peer.name + " dead");
                }
            }

            @Override
            public void starting(Cluster.Node n, GroupSpec g) {
                if (!recently(thawAt.get(n.name), c.now)) {
                    return;
                }
                for (Cluster.Node p : c.nodes.values()) {
                    if (p != n && p.live() && p.holds(g)) {
                        c.violation(n.name + ", just resumed from a freeze, starts " + g.key() + " while its live peer " + p.name + " runs it");
                    }
                }
            }
        };
        for (String n : names) {
            c.at(c.between(0, 3_000), () -> c.start(n));
        }
        c.runUntil(c.between(8_000, 15_000));
        int freezes = 0;
        int past = 0;
        for (int i = 0; i < 6; i++) {
            String n = names.get(c.random.nextInt(names.size()));
            long ms = c.between(500, 3 * Schedules.DEADTIME);
            c.freeze(n, ms);
            thawAt.put(n, c.now + ms);
            freezes++;
            if (ms > Schedules.DEADTIME) {
                past++;
            }
            // the next freeze only after the window in which this one's consequences are watched
            c.runUntil(c.now + ms + c.between(Schedules.DEADTIME + Schedules.SCRIPT_TIMEOUT, 15_000));
        }
        return new int[] {freezes, past};
    }
}
