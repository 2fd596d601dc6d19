package io.tandem.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.wire.RejectReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Three nodes on a lossy, duplicating, reordering link with an adversary that sends a hostile
 * packet every 5-30 ms (replays of any life, corrupted copies, garbage, wrong keys, signed absurd
 * numbers); one node crashes and comes back. The membership must not notice the adversary:
 * nodes that can talk never declare each other dead, the crashed node is dead after its deadtime
 * whatever was replayed in its name, and its next life is recognised at once. A failure names the
 * seed and prints the trace. The nodes are whole node cores (with no groups: the ownership engines
 * have nothing to hold) in {@link Cluster}, the adversary its {@link Adversary}.
 */
class HostileSimulationTest {
    private static final long KEEPALIVE = 100, DEADTIME = 1000;
    private static final Map<String, Integer> SENT = new TreeMap<>();
    private static final Map<RejectReason, Integer> REJECTED = new TreeMap<>();

    static List<Long> seeds() {
        List<Long> s = new ArrayList<>();
        for (long i = 1; i <= 60; i++) {
            s.add(i * 104_729);
        }
        return s;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theAdversaryChangesNothingTheMembershipDecides(long seed) {
        Cluster net = new Cluster(seed, Cluster.Settings.membership(KEEPALIVE, DEADTIME, "a", "b", "c"));
        net.keepTrace();
        Adversary adversary = net.adversary();
        net.loss = 0.05;
        net.duplicate = 0.05;
        net.maxDelay = 25;
        net.start("a");
        net.start("b");
        net.start("c");
        String[] names = {"a", "b", "c"};
        long crashAt = 8_000 + net.random.nextInt(4_000);
        long restartAt = crashAt + 2_000 + net.random.nextInt(2_000);
        boolean crashed = false, restarted = false;
        while (net.now < restartAt + 6_000) {
            net.runUntil(net.now + 5 + net.random.nextInt(26));
            if (net.now > 2_000) {
                adversary.strike(names[net.random.nextInt(3)]);
            }
            if (!crashed && net.now >= crashAt) {
                crashed = true;
                crashAt = net.now;
                net.kill("c");
            }
            if (!restarted && net.now >= restartAt) {
                restarted = true;
                restartAt = net.now;
                net.start("c");
            }
        }
        String why = "seed " + seed + "\n" + net.trace();
        assertThat(net.nodes.get("a").diedAt).as(why).doesNotContainKey("b");
        assertThat(net.nodes.get("b").diedAt).as(why).doesNotContainKey("a");
        for (String n : List.of("a", "b")) {
            Long died = net.nodes.get(n).diedAt.get("c");
            assertThat(died).as(n + " declares the crashed c dead; " + why).isNotNull();
            assertThat(died - crashAt).as(n + ": c dead after its deadtime, whatever was replayed in its name; " + why)
                    .isBetween(DEADTIME - 4 * KEEPALIVE, DEADTIME + net.maxDelay + 1); // c's last statuses may be lost or still on the link
            assertThat(MembershipSimulationTest.status(net, n, "c")).as(n + " sees c's new life; " + why).isEqualTo("active");
            assertThat(MembershipSimulationTest.status(net, "c", n)).as("c sees " + n + "; " + why).isEqualTo("active");
        }
        assertThat(MembershipSimulationTest.logged(net, "a", "Heartbeat restart on node ")).as(why).isEqualTo(1);
        assertThat(MembershipSimulationTest.logged(net, "a", "Heartbeat restart on node c")).as(why).isEqualTo(1);
        net.checkAgreed();
        synchronized (SENT) {
            adversary.sent.forEach((k, v) -> SENT.merge(k, v, Integer::sum));
            net.nodes.values().forEach(n -> n.rejected.forEach((k, v) -> REJECTED.merge(k, v, Integer::sum)));
        }
    }

    @org.junit.jupiter.api.AfterAll
    static void figures() {
        System.out.println("hostile packets sent over all seeds: " + SENT);
        System.out.println("rejected over all seeds: " + REJECTED);
    }
}
