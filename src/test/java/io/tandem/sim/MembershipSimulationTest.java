package io.tandem.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.wire.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 3's simulation cases, each over many seeds: a failure message names the seed and the transcript. */
class MembershipSimulationTest {
    static List<Long> seeds() {
        List<Long> s = new ArrayList<>();
        for (long i = 1; i <= 40; i++) {
            s.add(i * 7919);
        }
        return s;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void twoNodesStartingApartConvergeToActive(long seed) {
        SimNet net = new SimNet(seed, 100, 1000, "a", "b");
        net.start("a");
        net.runUntil(net.random.nextInt(3000));
        net.start("b");
        net.runUntil(net.now + 5000);
        assertThat(net.status("a", "b")).as(net.transcript()).isEqualTo("active");
        assertThat(net.status("b", "a")).as(net.transcript()).isEqualTo("active");
        assertThat(net.nodes.get("a").engine.localStatus()).isEqualTo("active");
        assertThat(net.nodes.get("b").engine.localStatus()).isEqualTo("active");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aSilentNodeIsDeclaredDeadAfterItsDeadtime(long seed) {
        SimNet net = new SimNet(seed, 100, 1000, "a", "b");
        net.start("a");
        net.start("b");
        // after the first 5 s, when b's dt no longer carries the start-up bonus of 2 s
        net.runUntil(6000 + net.random.nextInt(1000));
        assertThat(net.status("a", "b")).isEqualTo("active");
        long crashAt = net.now;
        net.crash("b");
        net.runUntil(crashAt + 3000);
        Long died = net.nodes.get("a").diedAt.get("b");
        assertThat(died).as(net.transcript()).isNotNull();
        // the last status left b at most one keepalive before the crash; a waits exactly b's dt after it
        assertThat(died - crashAt).as("death after crash").isBetween(1000L - 100 - 5, 1000L + 5);
        assertThat(net.transcript()).contains("WARN: node b: is dead", "Link b:eth1 dead.");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void thirtyPercentLossLosesNoReliableMessage(long seed) {
        SimNet net = new SimNet(seed, 100, 2000, "a", "b");
        net.loss = 0.3;
        net.duplicate = 0.05;
        net.maxDelay = 30;
        net.start("a");
        net.start("b");
        net.runUntil(5000);
        for (int i = 1; i <= 200; i++) {
            net.send("a", Message.ofStrings(Message.TYPE, "resource", "n", Integer.toString(i)));
            net.runUntil(net.now + net.random.nextInt(40));
        }
        net.runUntil(net.now + 3000);
        List<String> got = net.nodes.get("b").delivered.stream().filter(m -> m.type().equals("resource"))
                .map(m -> m.getOr("n", "?")).collect(Collectors.toList());
        List<String> want = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            want.add(Integer.toString(i));
        }
        assertThat(got).as("delivered once each").containsExactlyInAnyOrderElementsOf(want);
        assertThat(net.transcript()).contains("lost packet(s) for [a]");
        assertThat(net.status("b", "a")).as("30% loss never looks like death").isEqualTo("active");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aRestartedNodeIsRecognisedAndAnOldPacketReplayedIsIgnored(long seed) {
        SimNet net = new SimNet(seed, 100, 1000, "a", "b");
        net.start("a");
        net.start("b");
        net.runUntil(3000);
        net.send("b", Message.ofStrings(Message.TYPE, "resource", "n", "old"));
        net.runUntil(3500);
        byte[] old = net.nodes.get("b").sentPackets.get(net.nodes.get("b").sentPackets.size() - 1);
        net.crash("b");
        net.runUntil(3500 + net.random.nextInt(2000));
        net.start("b");
        net.runUntil(net.now + 3000);
        assertThat(net.nodes.get("a").restartsSeen).as(net.transcript()).containsExactly("b");
        assertThat(net.status("a", "b")).isEqualTo("active");
        int deliveredBefore = net.nodes.get("a").delivered.size();
        net.inject("a", old);
        assertThat(net.nodes.get("a").delivered).hasSize(deliveredBefore);
        assertThat(net.transcript()).contains("attempted replay attack [b]?");
        assertThat(net.transcript()).contains("Heartbeat restart on node b");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aHealedPartitionIsNoticedFromBothSides(long seed) {
        SimNet net = new SimNet(seed, 100, 1000, "a", "b");
        net.start("a");
        net.start("b");
        net.runUntil(6000);
        net.partition("a", "b");
        net.runUntil(8000);
        assertThat(net.status("a", "b")).isEqualTo("dead");
        assertThat(net.status("b", "a")).isEqualTo("dead");
        net.heal();
        net.runUntil(10000);
        assertThat(net.status("a", "b")).isEqualTo("active");
        assertThat(net.status("b", "a")).isEqualTo("active");
        assertThat(net.transcript()).contains("CRIT: Cluster node b returning after partition.", "CRIT: Cluster node a returning after partition.");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void millisecondTimersKeepalive50msDeadtime200ms(long seed) {
        SimNet net = new SimNet(seed, 50, 200, "a", "b");
        net.loss = 0.05;
        net.start("a");
        net.start("b");
        net.runUntil(6000);
        assertThat(net.status("a", "b")).as(net.transcript()).isEqualTo("active");
        assertThat(net.status("b", "a")).isEqualTo("active");
        long crashAt = net.now;
        net.crash("a");
        net.runUntil(crashAt + 1000);
        assertThat(net.nodes.get("b").diedAt.get("a") - crashAt).isBetween(200L - 50 - 5, 200L + 5);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aReloadedDeadtimeIsAnnouncedAndUsedByThePeer(long seed) {
        SimNet net = new SimNet(seed, 100, 1000, "a", "b");
        net.start("a");
        net.start("b");
        net.runUntil(6000);
        net.retime("b", 50, 400, 200, 400);
        net.runUntil(7000);
        long crashAt = net.now;
        net.crash("b");
        net.runUntil(crashAt + 2000);
        assertThat(net.nodes.get("a").diedAt.get("b") - crashAt).as(net.transcript()).isBetween(400L - 50 - 5, 400L + 5);
        assertThat(net.transcript()).contains("Timers now keepalive 50 ms, deadtime 400 ms");
    }
}
