package io.tandem.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.node.NodeEvent;
import io.tandem.resources.GroupSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A graceful stop of one node racing the death of its peer, with a power switch (docs/split-brain.md,
 * "Fencing"): the peer dies (killed with its resources running, powered off, cut off or frozen) just
 * before, during or after the stop, whose resources may refuse to stop (the shutdown is then aborted
 * and the node keeps running: the peer's groups, orphaned, are adopted later). Invariant, checked at
 * every start: a node never starts a group of a peer it holds dead (stonith_failure_takeover off)
 * unless the switch powered that peer off since its death (after the life it held dead began: a fence
 * ended that life or came after its end), or the peer told it that it shut down (shutdone). (A fence
 * in an earlier life of the node that starts counts: n2 restarted after fencing n1 finds n1's group
 * still running here, with n1 still off.)
 */
class ShutdownFenceSimulationTest {
    static final int SEEDS = Integer.getInteger("tandem.sim.seeds", 1_200);

    @Test
    void a_dead_peers_group_is_started_only_after_a_fence_since_its_death() {
        int aborted = 0, fencedFirst = 0, cancelled = 0, peerGroupsTaken = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            Cluster c = FencingSimulationTest.cluster(seed, seed % 4 == 0);
            c.keepTrace();
            int[] taken = {0};
            watch(c, taken);
            run(c);
            peerGroupsTaken += taken[0];
            boolean abortedHere = false, fencedFirstHere = false, cancelledHere = false;
            for (Trace.Line l : c.lines()) {
                String w = String.valueOf(l.what());
                abortedHere |= w.contains("stays on this node and is not given up");
                fencedFirstHere |= w.contains("was not fenced since it died, fencing it first");
                cancelledHere |= w.contains("cancelled - shutdown in progress");
            }
            aborted += abortedHere ? 1 : 0;
            fencedFirst += fencedFirstHere ? 1 : 0;
            cancelled += cancelledHere ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "%d seeds: %d with an aborted shutdown, %d with a fence cancelled by a shutdown, %d with orphans"
                + " fenced first, %d starts of a dead peer's group (each after a fence since its death)%n", SEEDS, aborted, cancelled,
                fencedFirst, peerGroupsTaken);
        // the schedules reach both gaps, many times
        assertThat(aborted).isGreaterThan(SEEDS / 4);
        assertThat(cancelled).isGreaterThan(SEEDS / 20);
        assertThat(fencedFirst).isGreaterThan(SEEDS / 20);
        assertThat(peerGroupsTaken).isGreaterThan(SEEDS / 10);
    }

    /** Tracks when each node (in its current life) last declared each peer dead, and checks every start. */
    static void watch(Cluster c, int[] taken) {
        Map<String, Long> deadSince = new HashMap<>();
        Map<String, Integer> lifeSeen = new HashMap<>();
        Runnable update = () -> {
            for (Cluster.Node n : c.nodes.values()) {
                for (Cluster.Node p : c.nodes.values()) {
                    if (p == n) {
                        continue;
                    }
                    String key = n.name + ">" + p.name;
                    if (!n.up()) {
                        deadSince.remove(key);
                        continue;
                    }
                    if (!Integer.valueOf(n.life).equals(lifeSeen.put(key, n.life))) {
                        deadSince.remove(key); // a new life declares its peers dead anew
                    }
                    boolean dead = "dead".equals(n.core.membership().nodeStatus(p.name));
                    if (!dead) {
                        deadSince.remove(key);
                    } else {
                        deadSince.putIfAbsent(key, c.now);
                    }
                }
            }
        };
        c.afterEvent = update;
        c.observer = new ClusterObserver() {
            @Override
            public void starting(Cluster.Node n, GroupSpec g) {
                update.run();
                for (Cluster.Node p : c.nodes.values()) {
                    Long since = deadSince.get(n.name + ">" + p.name);
                    if (p == n || !g.preferredBy(p.name) || since == null || leftGracefully(c, n, p, since)) {
                        continue;
                    }
                    long lastStart = lastStart(c, p, since);
                    boolean fenced = c.fencing.fenced.stream().anyMatch(f -> f.startsWith(p.name + "@")
                            && Long.parseLong(f.substring(f.indexOf('@') + 1)) >= lastStart);
                    if (!fenced) {
                        c.violation(n.name + " starts " + g.key() + " of " + p.name + ", dead since " + since + " ms, which was not fenced"
                                + " since its death (the life it holds dead began at " + lastStart + " ms)");
                    }
                    taken[0]++;
                }
            }
        };
    }

    /** When {@code p}'s life that died began: its last daemon start before {@code since} (a later one is a new life). */
    static long lastStart(Cluster c, Cluster.Node p, long since) {
        long at = -1;
        for (Trace.Line l : c.lines()) {
            if (l.at() > since) {
                break;
            }
            if (l.node().equals(p.name) && String.valueOf(l.what()).startsWith("START")) {
                at = l.at();
            }
        }
        return at;
    }

    /** Whether {@code p}'s life that {@code n} holds dead since {@code since} told {@code n} it shut down (shutdone: no fence needed). */
    static boolean leftGracefully(Cluster c, Cluster.Node n, Cluster.Node p, long since) {
        long lifeStart = -1;
        boolean notice = false;
        for (Trace.Line l : c.lines()) {
            if (l.at() > since) {
                break;
            }
            String w = String.valueOf(l.what());
            if (l.node().equals(p.name) && w.startsWith("START")) {
                lifeStart = l.at();
                notice = false;
            } else if (l.node().equals(n.name) && l.at() >= lifeStart && w.contains("Received shutdown notice from '" + p.name + "'")) {
                notice = true;
            }
        }
        return notice;
    }

    /** Both nodes stable; one stops gracefully (its resources may refuse to stop) while the other dies. */
    static void run(Cluster c) {
        FencingSimulationTest.stablePair(c);
        List<String> names = c.settings.names();
        String self = names.get(c.random.nextInt(2));
        String peer = names.get(0).equals(self) ? names.get(1) : names.get(0);
        if (c.random.nextInt(3) > 0) {
            for (GroupSpec g : c.settings.groups()) {
                c.script(self, g.resources().get(g.resources().size() - 1), Cluster.Script.CANNOT_STOP);
            }
        }
        long t0 = c.now;
        long window = 2 * Schedules.DEADTIME + 4_000;
        c.at(t0 + c.between(0, window), () -> c.operator(self, new NodeEvent.Shutdown()));
        int kind = c.random.nextInt(4);
        c.at(t0 + c.between(0, window), () -> {
            switch (kind) {
                case 0 -> c.kill(peer);
                case 1 -> c.powerOff(peer);
                case 2 -> c.isolate(peer);
                default -> c.freeze(peer, c.between(2 * Schedules.DEADTIME, 12 * Schedules.DEADTIME));
            }
        });
        c.runUntil(t0 + window + c.between(5_000, 40_000));
        for (int i = 0; i < 4; i++) {
            int step = c.random.nextInt(6);
            if (step == 0) {
                c.heal();
            } else if (step == 1) {
                c.start(peer);
            } else if (step == 2) {
                c.start(self);
            } else if (step == 3) {
                c.fencing.failing = !c.fencing.failing;
            } else if (step == 4) {
                c.operator(self, new NodeEvent.Shutdown());
            } else {
                c.kill(peer);
            }
            c.runUntil(c.now + c.between(1_000, 20_000));
        }
        c.heal();
        c.runUntil(c.now + 3 * Schedules.DEADTIME);
    }
}
