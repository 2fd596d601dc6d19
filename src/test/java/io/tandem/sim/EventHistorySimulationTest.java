package io.tandem.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.FailbackMode;
import io.tandem.node.ClusterEvent;
import io.tandem.node.NodeEffect;
import io.tandem.node.NodeEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The event history in the whole-cluster simulator (docs/observability.md): the same core, its
 * {@link NodeEffect.Recorded} entries collected per node. Over many seeds, a failover (the owner's
 * machine powered off) leaves the survivor the causal chain {@code node-dead → group starting
 * (after = that entry) → start of each resource, ok → group running}; an operator's standby leaves
 * {@code operator → group stopping} on the node that gives the group up. On every entry: numbers rise
 * within a life, and an {@code after} names an earlier entry of the same life.
 */
class EventHistorySimulationTest {
    static final int SEEDS = 200;

    @Test
    void a_failover_leaves_the_survivor_the_causal_chain_of_events() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            failover(seed);
        }
    }

    private static void failover(long seed) {
        {
            Cluster c = new Cluster(seed, Schedules.settings(2, FailbackMode.OFF));
            Map<String, List<ClusterEvent>> events = collect(c);
            for (String n : c.settings.names()) {
                c.at(c.between(0, 2_000), () -> c.start(n));
            }
            c.runUntil(c.between(20_000, 30_000));
            long crash = c.now;
            c.powerOff("n1");
            c.runUntil(c.now + 30_000);
            List<ClusterEvent> n2 = events.get("n2").stream().filter(e -> e.time() >= crash).toList();
            ClusterEvent dead = n2.stream().filter(e -> e.kind().equals("node-dead") && e.subject().equals("n1")).findFirst()
                    .orElseThrow(() -> new AssertionError("seed " + seed + ": no node-dead of n1 on n2: " + n2));
            assertThat(Long.parseLong(dead.field("silentMs"))).as("seed %d: silent at least deadtime", seed).isGreaterThanOrEqualTo(Schedules.DEADTIME);
            assertThat(dead.field("link")).as("seed %d", seed).isNotEmpty();
            assertThat(Long.parseLong(dead.field("lastHeard"))).isEqualTo(dead.time() - Long.parseLong(dead.field("silentMs")));
            ClusterEvent decision = n2.stream().filter(e -> e.kind().equals("group") && e.subject().equals("10.0.0.10")
                    && e.field("to").equals("starting")).findFirst()
                    .orElseThrow(() -> new AssertionError("seed " + seed + ": no takeover decision on n2: " + n2));
            assertThat(decision.field("after")).as("seed %d: the decision names its cause", seed).isEqualTo(Long.toString(dead.seq()));
            assertThat(decision.cause()).contains("node-dead n1");
            List<String> starts = n2.stream().filter(e -> e.kind().equals("op") && e.field("group").equals("10.0.0.10")
                    && e.seq() > decision.seq() && !e.field("action").equals("status")).map(e -> e.field("resource") + " " + e.field("action") + " " + e.field("result")).toList();
            assertThat(starts).as("seed %d", seed).startsWith("10.0.0.10 start ok", "web start ok");
            ClusterEvent running = n2.stream().filter(e -> e.kind().equals("group") && e.subject().equals("10.0.0.10")
                    && e.field("to").equals("running") && e.seq() > decision.seq()).findFirst()
                    .orElseThrow(() -> new AssertionError("seed " + seed + ": the group never ran on n2"));
            assertThat(running.time()).isGreaterThanOrEqualTo(decision.time());
            n2.stream().filter(e -> e.kind().equals("op") && e.field("group").equals("10.0.0.10") && e.seq() > decision.seq()
                    && e.seq() < running.seq()).forEach(op -> assertThat(Long.parseLong(op.field("durationMs")))
                    .isBetween(Schedules.SCRIPT_MIN, Schedules.SCRIPT_TIMEOUT));
        }
    }

    @Test
    void an_operator_standby_is_the_cause_of_the_give_up() {
        for (long seed = 1; seed <= SEEDS / 4; seed++) {
            standby(seed);
        }
    }

    private static void standby(long seed) {
        {
            Cluster c = new Cluster(seed, Schedules.settings(2, FailbackMode.OFF));
            Map<String, List<ClusterEvent>> events = collect(c);
            for (String n : c.settings.names()) {
                c.at(c.between(0, 2_000), () -> c.start(n));
            }
            c.runUntil(c.between(20_000, 30_000));
            long asked = c.now;
            c.operator("n1", new NodeEvent.Standby("all"));
            c.runUntil(c.now + 30_000);
            List<ClusterEvent> n1 = events.get("n1").stream().filter(e -> e.time() >= asked).toList();
            ClusterEvent op = n1.stream().filter(e -> e.kind().equals("operator")).findFirst()
                    .orElseThrow(() -> new AssertionError("seed " + seed + ": no operator entry: " + n1));
            assertThat(op.cause()).isEqualTo("hb_standby all");
            ClusterEvent stopping = n1.stream().filter(e -> e.kind().equals("group") && e.field("to").equals("stopping")).findFirst()
                    .orElseThrow(() -> new AssertionError("seed " + seed + ": n1 gave nothing up: " + n1));
            assertThat(chainRoot(n1, stopping)).as("seed %d: the give-up goes back to the operator (%s)", seed, n1).isEqualTo(op);
            List<ClusterEvent> n2 = events.get("n2").stream().filter(e -> e.time() >= asked).toList();
            assertThat(n2).as("seed %d: n2 heard the standby handshake", seed)
                    .anyMatch(e -> e.kind().equals("message") && e.field("from").equals("n1"));
        }
    }

    @Test
    void a_failed_start_is_recorded_with_its_result_and_the_group_state_it_led_to() {
        for (long seed = 1; seed <= SEEDS / 4; seed++) {
            failedStart(seed);
        }
    }

    private static void failedStart(long seed) {
        Cluster c = new Cluster(seed, Schedules.settings(2, FailbackMode.OFF));
        Map<String, List<ClusterEvent>> events = collect(c);
        c.script("n1", "web", Cluster.Script.FAILING);
        for (String n : c.settings.names()) {
            c.at(c.between(0, 2_000), () -> c.start(n));
        }
        c.runUntil(60_000);
        List<ClusterEvent> n1 = events.get("n1");
        ClusterEvent failed = n1.stream().filter(e -> e.kind().equals("op") && e.field("resource").equals("web")
                && e.field("action").equals("start")).findFirst()
                .orElseThrow(() -> new AssertionError("seed " + seed + ": no start of web on n1: " + n1));
        assertThat(failed.field("result")).isEqualTo("failed");
        assertThat(failed.cause()).isEqualTo("start failed");
        assertThat(n1).as("seed %d", seed).anyMatch(e -> e.kind().equals("group") && e.subject().equals("10.0.0.10")
                && e.field("to").equals("start failed") && e.seq() > failed.seq());
        assertThat(n1).as("seed %d: the failure said at WARN or worse", seed).anyMatch(e -> e.kind().equals("notice") && e.seq() >= failed.seq());
    }

    /** Follows {@code after} back to the first entry of the chain. */
    private static ClusterEvent chainRoot(List<ClusterEvent> events, ClusterEvent e) {
        ClusterEvent at = e;
        for (int guard = 0; guard < 100 && !at.field("after").isEmpty(); guard++) {
            long seq = Long.parseLong(at.field("after"));
            ClusterEvent next = events.stream().filter(x -> x.seq() == seq).findFirst().orElse(null);
            if (next == null || next == at) {
                break;
            }
            at = next;
        }
        return at;
    }

    /** Collects every node's entries, checking the numbering on each. */
    private static Map<String, List<ClusterEvent>> collect(Cluster c) {
        Map<String, List<ClusterEvent>> events = new HashMap<>();
        c.effects = (n, e) -> {
            if (!(e instanceof NodeEffect.Recorded r)) {
                return;
            }
            List<ClusterEvent> mine = events.computeIfAbsent(n.name, k -> new ArrayList<>());
            ClusterEvent ev = r.event();
            if (!mine.isEmpty() && ev.seq() <= mine.get(mine.size() - 1).seq() && ev.seq() != 1) {
                c.violation(n.name + ": event " + ev + " numbered after " + mine.get(mine.size() - 1));
            }
            if (!ev.field("after").isEmpty()) {
                long after = Long.parseLong(ev.field("after"));
                if (after >= ev.seq() || mine.stream().noneMatch(x -> x.seq() == after)) {
                    c.violation(n.name + ": event " + ev + " after an unknown entry " + after);
                }
            }
            assertThat(ev.time()).isEqualTo(c.now);
            mine.add(ev);
        };
        return events;
    }
}
