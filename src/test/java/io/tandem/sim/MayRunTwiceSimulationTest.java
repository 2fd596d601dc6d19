package io.tandem.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.FailbackMode;
import io.tandem.node.NodeEvent;
import io.tandem.resources.GroupSpec;
import io.tandem.resources.ResourceOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * May-run-twice resources (tandem.cf {@code resource NAME may-run-twice}, docs/ownership.md
 * "Make-before-break") in the whole-cluster simulator. The cluster's invariants hold after every event,
 * with these resources left out of exclusivity only (the address and the Filesystem stay exclusive). A
 * planned move makes before it breaks: the taker's start of the may-run-twice resource ends before the
 * giver's stop of the address begins, and the giver stops its copy only after the taker added the
 * address. A power-off of either node, a killed giver, a stop of the taker, a cut or lossy link at every
 * 50 ms of a hand-over: then every group complete on one node, and (once quiet) no may-run-twice resource
 * left on a node that does not hold its group. A graceful stop with warm resources lets the peer add the
 * address before the stopping node's warm copy stops.
 */
class MayRunTwiceSimulationTest {
    static final int SEEDS = Integer.getInteger("tandem.sim.twice.seeds", 400);
    static final List<GroupSpec> GROUPS = OwnershipSimulationTest.GROUPS;
    static final Set<String> TWICE = Set.of("apache2", "postgresql", "exim4");
    static final String ADDRESS = GROUPS.get(0).resources().get(0);

    @Test
    void random_schedules_with_may_run_twice_resources_keep_the_invariants() {
        int runs = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            for (int nodes = 2; nodes <= 3; nodes++) {
                Cluster c = Schedules.run(seed, nodes, Campaign.STEPS, Set.of(), Set.of("web", "db")).cluster();
                Cluster.Node a = c.nodes.get("n1");
                Cluster.Node b = c.nodes.get("n2");
                if (nodes == 2 && c.invariants.canTalk(a, b)) { // after a split nothing is promised (Invariants)
                    assertThat(strays(c)).as("seed %d: once quiet\n%s", seed, c.trace()).isEmpty();
                }
                runs++;
            }
        }
        assertThat(runs).isEqualTo(2 * SEEDS);
    }

    @ParameterizedTest
    @EnumSource(value = FailbackMode.class, names = {"ON", "OFF"})
    void a_hand_over_starts_on_the_taker_before_the_address_moves_and_stops_on_the_giver_after(FailbackMode mode) {
        for (long seed = 1; seed <= 20; seed++) {
            Cluster c = WarmSimulationTest.settled(seed * 43 + mode.ordinal(), mode, false, Set.of(), TWICE);
            assertThat(strays(c)).as("seed %d start-up\n%s", c.seed, c.trace()).isEmpty();
            Cluster.Node giver = WarmSimulationTest.holderOf(c, GROUPS.get(0));
            Cluster.Node taker = WarmSimulationTest.other(c, giver);
            c.keepTrace();
            long from = c.now;
            c.operator(giver.name, new NodeEvent.Standby("all"));
            c.runUntil(c.now + 60_000);
            assertThat(c.invariants.ownershipProblems()).as("seed %d\n%s", c.seed, c.trace()).isEmpty();
            assertThat(taker.holdsAll(GROUPS.get(0))).as("seed %d: %s took the group\n%s", c.seed, taker.name, c.trace()).isTrue();
            assertThat(strays(c)).as("seed %d\n%s", c.seed, c.trace()).isEmpty();
            Ran takerStart = last(c, from, taker, "apache2", ResourceOp.Action.START);
            Ran giverAddressStop = first(c, from, giver, ADDRESS, ResourceOp.Action.STOP);
            Ran takerAddressStart = last(c, from, taker, ADDRESS, ResourceOp.Action.START);
            Ran giverStop = last(c, from, giver, "apache2", ResourceOp.Action.STOP);
            assertThat(takerStart.end()).as("seed %d: apache2 runs on %s before %s's address stops\n%s", c.seed, taker.name,
                    giver.name, c.trace()).isLessThanOrEqualTo(giverAddressStop.at());
            assertThat(giverStop.at()).as("seed %d: %s's apache2 stops after the address is on %s\n%s", c.seed, giver.name,
                    taker.name, c.trace()).isGreaterThanOrEqualTo(takerAddressStart.end());
        }
    }

    @Test
    void a_slow_start_on_the_taker_does_not_hold_its_answer_past_half_of_the_givers_wait() {
        int late = 0;
        for (long seed = 1; seed <= 30; seed++) {
            Cluster c = WarmSimulationTest.settled(seed * 71, seed % 2 == 0 ? FailbackMode.ON : FailbackMode.OFF, false, Set.of(), TWICE);
            Cluster.Node giver = WarmSimulationTest.holderOf(c, GROUPS.get(0));
            Cluster.Node taker = WarmSimulationTest.other(c, giver);
            c.script(taker.name, "apache2", Cluster.Script.SLOW);
            c.script(taker.name, "exim4", Cluster.Script.SLOW);
            c.keepTrace();
            long me = c.now;
            c.operator(giver.name, new NodeEvent.Standby("all"));
            c.runUntil(c.now + 30_000);
            c.nodes.get(taker.name).scripts.clear();
            c.runUntil(c.now + 90_000);
            long other = c.lines().stream().filter(l -> l.at() >= me && l.node().equals(taker.name) && l.what() instanceof Trace.Sent x
                    && x.message().type().equals("ask_resources") && "other".equals(x.message().getOr("info", "")))
                    .mapToLong(Trace.Line::at).findFirst().orElseThrow(() -> new AssertionError("seed " + c.seed + ": no other\n" + c.trace()));
            // heartbeat's giver cancels after 10 s without other (STANDBY_INIT_TO_MS): the taker answers within 5 s
            assertThat(other - me).as("seed %d\n%s", c.seed, c.trace()).isLessThanOrEqualTo(5_000 + OwnershipSimulationTest.KEEPALIVE);
            assertThat(c.invariants.ownershipProblems()).as("seed %d\n%s", c.seed, c.trace()).isEmpty();
            c.checkHeld();
            if (c.trace().contains("answering the standby request before the starts are done")) {
                late++;
            }
        }
        assertThat(late).as("seeds whose starts outlasted the answer's 5 s").isPositive();
    }

    @Test
    void a_graceful_stop_with_warm_resources_lets_the_peer_take_the_address_before_the_warm_copy_stops() {
        for (long seed = 1; seed <= 20; seed++) {
            FailbackMode mode = seed % 2 == 0 ? FailbackMode.ON : FailbackMode.OFF;
            Cluster c = WarmSimulationTest.settled(seed * 59, mode, false, WarmSimulationTest.WARM);
            Cluster.Node stopping = WarmSimulationTest.holderOf(c, GROUPS.get(0));
            Cluster.Node peer = WarmSimulationTest.other(c, stopping);
            c.keepTrace();
            long from = c.now;
            c.operator(stopping.name, new NodeEvent.Shutdown());
            c.runUntil(c.now + 60_000);
            assertThat(stopping.up()).as("seed %d: stopped\n%s", c.seed, c.trace()).isFalse();
            assertThat(c.invariants.ownershipProblems()).as("seed %d\n%s", c.seed, c.trace()).isEmpty();
            for (GroupSpec g : GROUPS) {
                assertThat(peer.holdsAll(g)).as("seed %d: %s runs %s\n%s", c.seed, peer.name, g.key(), c.trace()).isTrue();
            }
            Ran peerAddressStart = last(c, from, peer, ADDRESS, ResourceOp.Action.START);
            Ran warmStop = last(c, from, stopping, "apache2", ResourceOp.Action.STOP);
            assertThat(warmStop.at()).as("seed %d: apache2 stops on %s after %s serves the address\n%s", c.seed, stopping.name,
                    peer.name, c.trace()).isGreaterThanOrEqualTo(peerAddressStart.end());
            // the peer's copy served all along: the hand-over did not start it
            assertThat(c.lines().stream().filter(l -> l.at() >= from && l.node().equals(peer.name) && l.what() instanceof Trace.Ran r
                    && r.op().resource().equals("apache2") && r.op().action() == ResourceOp.Action.START).count())
                    .as("seed %d\n%s", c.seed, c.trace()).isZero();
        }
    }

    @Test
    void a_graceful_stop_with_may_run_twice_resources_makes_before_it_breaks() {
        for (long seed = 1; seed <= 20; seed++) {
            FailbackMode mode = seed % 2 == 0 ? FailbackMode.ON : FailbackMode.OFF;
            Cluster c = WarmSimulationTest.settled(seed * 61, mode, false, Set.of(), TWICE);
            Cluster.Node stopping = WarmSimulationTest.holderOf(c, GROUPS.get(0));
            Cluster.Node peer = WarmSimulationTest.other(c, stopping);
            c.keepTrace();
            long from = c.now;
            c.operator(stopping.name, new NodeEvent.Shutdown());
            c.runUntil(c.now + 60_000);
            assertThat(stopping.up()).as("seed %d: stopped\n%s", c.seed, c.trace()).isFalse();
            for (GroupSpec g : GROUPS) {
                assertThat(peer.holdsAll(g)).as("seed %d: %s runs %s\n%s", c.seed, peer.name, g.key(), c.trace()).isTrue();
            }
            assertThat(last(c, from, peer, "apache2", ResourceOp.Action.START).end()).as("seed %d\n%s", c.seed, c.trace())
                    .isLessThanOrEqualTo(first(c, from, stopping, ADDRESS, ResourceOp.Action.STOP).at());
            assertThat(last(c, from, stopping, "apache2", ResourceOp.Action.STOP).at()).as("seed %d\n%s", c.seed, c.trace())
                    .isGreaterThanOrEqualTo(last(c, from, peer, ADDRESS, ResourceOp.Action.START).end());
        }
    }

    @ParameterizedTest
    @EnumSource(WarmSimulationTest.Fault.class)
    void a_fault_in_every_step_of_a_make_before_break_hand_over_keeps_the_address_on_one_node(WarmSimulationTest.Fault fault) {
        int runs = 0;
        for (FailbackMode mode : List.of(FailbackMode.ON, FailbackMode.OFF)) {
            // every 50 ms of the first 8 s: the taker's status and start of the may-run-twice resources, its
            // late other, the address's stop, done, its start, the reports, the giver's stop of its copy
            for (long offset = 0; offset <= 8_000; offset += 50) {
                long seed = offset * 17 + fault.ordinal() * 5 + mode.ordinal();
                Cluster c = WarmSimulationTest.handOver(seed, mode, fault, offset, Set.of(), TWICE);
                c.checkHeld();
                if (fault != WarmSimulationTest.Fault.KILL_GIVER) { // a killed daemon's resources run on without it
                    assertThat(c.invariants.ownershipProblems()).as("seed %d %s at %d ms\n%s", c.seed, fault, offset, c.trace()).isEmpty();
                    assertThat(strays(c)).as("seed %d %s at %d ms\n%s", c.seed, fault, offset, c.trace()).isEmpty();
                }
                runs++;
            }
        }
        assertThat(runs).isEqualTo(2 * 161);
    }

    /** One script run from the trace: when it began and ended. */
    record Ran(long at, long end) {
    }

    /** The first run of {@code action} on {@code resource} by {@code n} since {@code from}. */
    private static Ran first(Cluster c, long from, Cluster.Node n, String resource, ResourceOp.Action action) {
        for (Trace.Line l : c.lines()) {
            if (l.at() >= from && l.node().equals(n.name) && l.what() instanceof Trace.Ran r && r.op().resource().equals(resource)
                    && r.op().action() == action) {
                return new Ran(l.at(), l.at() + r.ms());
            }
        }
        throw new AssertionError("seed " + c.seed + ": no " + action + " of " + resource + " on " + n.name + "\n" + c.trace());
    }

    /** The last run of {@code action} on {@code resource} by {@code n} since {@code from}. */
    private static Ran last(Cluster c, long from, Cluster.Node n, String resource, ResourceOp.Action action) {
        Ran found = null;
        for (Trace.Line l : c.lines()) {
            if (l.at() >= from && l.node().equals(n.name) && l.what() instanceof Trace.Ran r && r.op().resource().equals(resource)
                    && r.op().action() == action) {
                found = new Ran(l.at(), l.at() + r.ms());
            }
        }
        assertThat(found).as("seed %d: %s %s on %s\n%s", c.seed, action, resource, n.name, c.trace()).isNotNull();
        return found;
    }

    /**
     * Two nodes: the may-run-twice resources that run on a live node that does not run their group's
     * address (groups with a failed script in a running node's life, or left by a killed daemon, excepted,
     * as {@link Invariants#held}).
     */
    static List<String> strays(Cluster c) {
        List<String> found = new ArrayList<>();
        if (c.nodes.size() != 2) {
            return found;
        }
        for (Cluster.Node n : c.nodes.values()) {
            if (!n.live()) {
                continue;
            }
            for (GroupSpec g : c.settings.groups()) {
                if (c.nodes.values().stream().anyMatch(p -> p.live() && p.failedHere.contains(g.key()) || p.leftOver(g))) {
                    continue;
                }
                for (String r : g.resources()) {
                    if (c.mayRunTwice.contains(r) && n.runs(g.key(), r) && !n.runs(g.key(), g.resources().get(0))) {
                        found.add(r + " of " + g.key() + " runs on " + n.name + ", which does not hold the group");
                    }
                }
            }
        }
        return found;
    }
}
