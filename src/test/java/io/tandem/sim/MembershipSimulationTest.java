package io.tandem.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.FailbackMode;
import io.tandem.node.NodeEffect;
import io.tandem.node.NodeEvent;
import io.tandem.resources.GroupSpec;
import io.tandem.wire.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 3's membership cases in the whole-cluster simulator (real node cores, codec and signatures),
 * each over many seeds: a failure message names the seed and the trace.
 */
class MembershipSimulationTest {
    static List<Long> seeds() {
        List<Long> s = new ArrayList<>();
        for (long i = 1; i <= 40; i++) {
            s.add(i * 7919);
        }
        return s;
    }

    static Cluster cluster(long seed, long keepalive, long deadtime) {
        Cluster c = new Cluster(seed, Cluster.Settings.membership(keepalive, deadtime, "a", "b"));
        c.keepTrace();
        return c;
    }

    static String status(Cluster c, String on, String of) {
        return c.nodes.get(on).core.membership().nodeStatus(of);
    }

    /** How many times {@code node} logged a line containing {@code text}. */
    static long logged(Cluster c, String node, String text) {
        return c.lines().stream().filter(l -> l.node().equals(node) && l.what() instanceof NodeEffect.Log g && g.text().contains(text)).count();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void twoNodesStartingApartConvergeToActive(long seed) {
        Cluster c = cluster(seed, 100, 1000);
        c.start("a");
        c.runUntil(c.random.nextInt(3000));
        c.start("b");
        c.runUntil(c.now + 5000);
        assertThat(status(c, "a", "b")).as(c.trace()).isEqualTo("active");
        assertThat(status(c, "b", "a")).as(c.trace()).isEqualTo("active");
        assertThat(c.nodes.get("a").core.membership().localStatus()).isEqualTo("active");
        assertThat(c.nodes.get("b").core.membership().localStatus()).isEqualTo("active");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aSilentNodeIsDeclaredDeadAfterItsDeadtime(long seed) {
        Cluster c = cluster(seed, 100, 1000);
        c.start("a");
        c.start("b");
        // after the first 5 s, when b's dt no longer carries the start-up bonus of 2 s
        c.runUntil(6000 + c.random.nextInt(1000));
        assertThat(status(c, "a", "b")).isEqualTo("active");
        long crashAt = c.now;
        c.kill("b");
        c.runUntil(crashAt + 3000);
        Long died = c.nodes.get("a").diedAt.get("b");
        assertThat(died).as(c.trace()).isNotNull();
        // the last status left b at most one keepalive before the crash; a waits exactly b's dt after it
        assertThat(died - crashAt).as("death after crash").isBetween(1000L - 100 - 5, 1000L + 5);
        assertThat(logged(c, "a", "node b: is dead")).isEqualTo(1);
        assertThat(logged(c, "a", "Link b:eth1 dead.")).isEqualTo(1);
    }

    /**
     * Every sequence-numbered message a sends to b (its ownership engine's, made by operator commands
     * a few ms apart: standby and takeover requests and the handshakes they start) is delivered to b's
     * ownership engine exactly once, over a link losing 30%, duplicating 5% and reordering.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void thirtyPercentLossLosesNoReliableMessage(long seed) {
        Cluster.Settings s = new Cluster.Settings(List.of("a", "b"), 100, 2000, 4000, FailbackMode.ON,
                List.of(GroupSpec.of("a", "10.0.0.10", "web")), 50, 500, 3000);
        Cluster c = new Cluster(seed, s);
        c.keepTrace();
        c.loss = 0.3;
        c.duplicate = 0.05;
        c.maxDelay = 30;
        c.start("a");
        c.start("b");
        c.runUntil(5000);
        for (int i = 1; i <= 200; i++) {
            c.operator("a", i % 2 == 0 ? new NodeEvent.Standby("all") : new NodeEvent.Takeover("all"));
            c.runUntil(c.now + c.random.nextInt(40));
        }
        // time for the last retransmissions: at 30% loss a message, its copies and the requests for it can
        // all be lost for seconds (seed 39 * 7919: 9 of 11 requests, 250 ms apart, and two copies lost;
        // delivered just after the 3 s this test used to wait)
        c.runUntil(c.now + 10_000);
        long generation = c.nodes.get("a").generation;
        Set<String> sent = new HashSet<>();
        for (Trace.Line l : c.lines()) {
            if (l.node().equals("a") && l.what() instanceof Trace.Sent m && isReliableFor("b", m.message())) {
                sent.add(m.message().getOr(Message.SEQ, "?"));
            }
        }
        List<String> delivered = c.nodes.get("b").delivered.stream()
                .filter(m -> m.getOr(Message.SRC, "").equals("a") && m.getOr(Message.GEN, "").equals(Long.toHexString(generation)))
                .map(m -> m.getOr(Message.SEQ, "?")).toList();
        assertThat(sent).as("a sent many reliable messages").hasSizeGreaterThan(150);
        assertThat(delivered).as("delivered once each\n" + c.trace()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sent);
        assertThat(logged(c, "b", "lost packet(s) for [a]")).isPositive();
        assertThat(status(c, "b", "a")).as("30% loss never looks like death").isEqualTo("active");
    }

    /** Numbered, not for a third node, and not one membership answers itself. */
    private static boolean isReliableFor(String to, Message m) {
        String dest = m.getOr(Message.DEST, to);
        return m.getOr(Message.SEQ, null) != null && dest.equals(to) && !List.of("status", "reqnodes", "repnodes").contains(m.type());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aRestartedNodeIsRecognisedAndAnOldPacketReplayedIsIgnored(long seed) {
        Cluster c = cluster(seed, 100, 1000);
        c.start("a");
        c.start("b");
        c.runUntil(3500);
        Message last = null;
        for (Trace.Line l : c.lines()) {
            if (l.node().equals("b") && l.what() instanceof Trace.Sent m && m.message().getOr(Message.SEQ, null) != null) {
                last = m.message();
            }
        }
        assertThat(last).as("b sent a numbered message in its first life\n" + c.trace()).isNotNull();
        byte[] old = Wire.seal(last); // the very packet b sent: signing is deterministic
        c.kill("b");
        c.runUntil(3500 + c.random.nextInt(2000));
        c.start("b");
        c.runUntil(c.now + 3000);
        assertThat(logged(c, "a", "Heartbeat restart on node b")).as(c.trace()).isEqualTo(1);
        assertThat(status(c, "a", "b")).isEqualTo("active");
        int deliveredBefore = c.nodes.get("a").delivered.size();
        c.inject("a", old);
        assertThat(c.nodes.get("a").delivered).hasSize(deliveredBefore);
        assertThat(c.trace()).contains("attempted replay attack [b]?");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aHealedPartitionIsNoticedFromBothSides(long seed) {
        Cluster c = cluster(seed, 100, 1000);
        c.start("a");
        c.start("b");
        c.runUntil(6000);
        c.cutLink("a", "b");
        c.runUntil(8000);
        assertThat(status(c, "a", "b")).isEqualTo("dead");
        assertThat(status(c, "b", "a")).isEqualTo("dead");
        c.heal();
        c.runUntil(10000);
        assertThat(status(c, "a", "b")).isEqualTo("active");
        assertThat(status(c, "b", "a")).isEqualTo("active");
        assertThat(logged(c, "a", "Cluster node b returning after partition.")).isEqualTo(1);
        assertThat(logged(c, "b", "Cluster node a returning after partition.")).isEqualTo(1);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void millisecondTimersKeepalive50msDeadtime200ms(long seed) {
        Cluster c = cluster(seed, 50, 200);
        c.loss = 0.05;
        c.start("a");
        c.start("b");
        c.runUntil(6000);
        assertThat(status(c, "a", "b")).as(c.trace()).isEqualTo("active");
        assertThat(status(c, "b", "a")).isEqualTo("active");
        long crashAt = c.now;
        c.kill("a");
        c.runUntil(crashAt + 1000);
        assertThat(c.nodes.get("b").diedAt.get("a") - crashAt).isBetween(200L - 50 - 5, 200L + 5);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aReloadedDeadtimeIsAnnouncedAndUsedByThePeer(long seed) {
        Cluster c = cluster(seed, 100, 1000);
        c.start("a");
        c.start("b");
        c.runUntil(6000);
        c.operator("b", new NodeEvent.Retime(50, 400, 200, 400));
        c.runUntil(7000);
        long crashAt = c.now;
        c.kill("b");
        c.runUntil(crashAt + 2000);
        assertThat(c.nodes.get("a").diedAt.get("b") - crashAt).as(c.trace()).isBetween(400L - 50 - 5, 400L + 5);
        assertThat(logged(c, "b", "Timers now keepalive 50 ms, deadtime 400 ms")).isEqualTo(1);
    }
}
