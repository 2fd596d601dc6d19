package io.tandem.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.FailbackMode;
import io.tandem.node.NodeEffect;
import io.tandem.node.NodeEvent;
import io.tandem.resources.GroupSpec;
import io.tandem.resources.ResourceOp;
import io.tandem.resources.StopFailurePolicy;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The giver of a standby hand-over says {@code done} once the address it releases last is gone (the
 * daemon's address step, {@code NodeEvent.AddressReleased}), before that address's stop script ends
 * (docs/ownership.md, "Done at address-gone"). The simulator's address resources are removed halfway
 * through their stop ({@link Shell}); the cluster's invariants hold after every event. Covered: done
 * between the address step and the script's end, with warm, may-run-twice and plain groups; a stop
 * script that fails after done (and keeps failing: its status decides); the giver's daemon killed or its
 * machine powered off right after done, before the script ends; the taker killed right after done.
 */
class EarlyDoneSimulationTest {
    static final List<GroupSpec> GROUPS = OwnershipSimulationTest.GROUPS;

    /** When {@code n} sent its {@code ask_resources info=done} from {@code from} on, or -1. */
    static long doneAt(Cluster c, long from, Cluster.Node n) {
        return c.lines().stream().filter(l -> l.at() >= from && l.node().equals(n.name) && l.what() instanceof Trace.Sent s
                        && s.message().type().equals("ask_resources") && "done".equals(s.message().getOr("info", "")))
                .mapToLong(Trace.Line::at).findFirst().orElse(-1);
    }

    private static Cluster settled(long seed, Set<String> warm, Set<String> twice) {
        return WarmSimulationTest.settled(seed, seed % 2 == 0 ? FailbackMode.ON : FailbackMode.OFF, false, warm, twice);
    }

    @ParameterizedTest
    @ValueSource(strings = {"warm", "may-run-twice", "plain"})
    void the_giver_says_done_once_the_address_is_gone_before_its_stop_script_ends(String kind) {
        for (long seed = 1; seed <= 20; seed++) {
            Set<String> overlapping = kind.equals("plain") ? Set.of() : WarmSimulationTest.WARM;
            Cluster c = settled(seed * 37 + kind.length(), kind.equals("warm") ? overlapping : Set.of(),
                    kind.equals("may-run-twice") ? overlapping : Set.of());
            Cluster.Node giver = WarmSimulationTest.holderOf(c, GROUPS.get(0));
            Cluster.Node taker = WarmSimulationTest.other(c, giver);
            c.keepTrace();
            long from = c.now;
            c.operator(giver.name, new NodeEvent.Standby("all"));
            c.runUntil(c.now + 60_000);
            assertThat(c.invariants.ownershipProblems()).as("seed %d\n%s", c.seed, c.trace()).isEmpty();
            assertThat(c.addresses.doubleAdds).as("seed %d\n%s", c.seed, c.trace()).isEmpty();
            c.checkHeld(); // with auto_failback on, the groups may be back on their home node by now
            long done = doneAt(c, from, giver);
            assertThat(done).as("seed %d: %s said done\n%s", c.seed, giver.name, c.trace()).isPositive();
            // the release's last stop is an address (right to left): done comes while its script still runs
            assertThat(addressStopRunningAt(c, from, giver, done)).as("seed %d: done while an address's stop script of %s ran\n%s",
                    c.seed, giver.name, c.trace()).isTrue();
            assertThat(c.trace()).as("seed %d", c.seed).contains("done before the end of their stop script");
        }
    }

    /** Whether a stop of an address resource ran on {@code n} at {@code t} (begun before, ended after). */
    static boolean addressStopRunningAt(Cluster c, long from, Cluster.Node n, long t) {
        return c.lines().stream().anyMatch(l -> l.at() >= from && l.node().equals(n.name) && l.what() instanceof Trace.Ran r
                && r.op().action() == ResourceOp.Action.STOP && SimAddresses.isAddress(r.op().resource()) && l.at() < t && t < l.at() + r.ms());
    }

    @ParameterizedTest
    @ValueSource(strings = {"HOLD", "REBOOT"})
    void a_stop_script_that_fails_after_done_leaves_the_group_with_the_taker(String policy) {
        for (long seed = 1; seed <= 20; seed++) {
            Cluster.Settings s = OwnershipSimulationTest.settings(seed % 2 == 0 ? FailbackMode.ON : FailbackMode.OFF)
                    .with(StopFailurePolicy.valueOf(policy));
            Cluster c = OwnershipSimulationTest.cluster(seed * 53, s);
            c.warm.addAll(WarmSimulationTest.WARM);
            new Episodes(c, new java.util.Random(seed), 1_000, 5_000).startBoth();
            c.runUntil(80_000);
            Cluster.Node giver = WarmSimulationTest.holderOf(c, GROUPS.get(0));
            Cluster.Node taker = WarmSimulationTest.other(c, giver);
            for (GroupSpec g : GROUPS) {
                g.resources().stream().filter(SimAddresses::isAddress).forEach(giver.failingTails::add);
            }
            c.keepTrace();
            long from = c.now;
            c.operator(giver.name, new NodeEvent.Standby("all"));
            c.runUntil(c.now + 120_000);
            assertThat(c.invariants.ownershipProblems()).as("seed %d\n%s", c.seed, c.trace()).isEmpty();
            assertThat(c.addresses.doubleAdds).as("seed %d\n%s", c.seed, c.trace()).isEmpty();
            assertThat(doneAt(c, from, giver)).as("seed %d: done\n%s", c.seed, c.trace()).isPositive();
            assertThat(giver.up()).as("seed %d: the address was gone: no reboot\n%s", c.seed, c.trace()).isTrue();
            for (GroupSpec g : GROUPS) {
                assertThat(taker.holdsAll(g)).as("seed %d: %s runs %s\n%s", c.seed, taker.name, g.key(), c.trace()).isTrue();
                assertThat(giver.holds(g)).as("seed %d: %s runs nothing of %s\n%s", c.seed, giver.name, g.key(), c.trace()).isFalse();
            }
            // the stop failed and was retried after done; its status found the address gone: the release went on
            assertThat(c.trace()).as("seed %d", c.seed).contains("Retrying failed stop operation").contains("probably not LSB-compliant")
                    .doesNotContain("Starting again the [");
            c.checkHeld();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"HOLD", "REBOOT"})
    void a_stop_failing_after_done_whose_status_says_nothing_never_restarts_the_group_on_the_giver(String policy) {
        for (long seed = 1; seed <= 20; seed++) {
            Cluster.Settings s = OwnershipSimulationTest.settings(seed % 2 == 0 ? FailbackMode.ON : FailbackMode.OFF)
                    .with(StopFailurePolicy.valueOf(policy));
            Cluster c = OwnershipSimulationTest.cluster(seed * 67, s);
            c.warm.addAll(WarmSimulationTest.WARM);
            new Episodes(c, new java.util.Random(seed), 1_000, 5_000).startBoth();
            c.runUntil(80_000);
            Cluster.Node giver = WarmSimulationTest.holderOf(c, GROUPS.get(0));
            Cluster.Node taker = WarmSimulationTest.other(c, giver);
            c.effects = (n, e) -> {
                if (n == giver && e instanceof NodeEffect.Transmit t && t.message().type().equals("ask_resources")
                        && "done".equals(t.message().getOr("info", "")) && giver.pending != null) {
                    // from the giver's done on, the stop script of its address fails and its status says nothing
                    giver.failingTails.add(giver.pending.resource());
                    giver.unknownStatus.add(giver.pending.resource());
                }
            };
            c.keepTrace();
            long from = c.now;
            c.operator(giver.name, new NodeEvent.Standby("all"));
            c.runUntil(c.now + 120_000);
            assertThat(c.invariants.ownershipProblems()).as("seed %d\n%s", c.seed, c.trace()).isEmpty();
            assertThat(c.addresses.doubleAdds).as("seed %d\n%s", c.seed, c.trace()).isEmpty();
            assertThat(doneAt(c, from, giver)).as("seed %d: done\n%s", c.seed, c.trace()).isPositive();
            assertThat(c.trace()).as("seed %d", c.seed).contains("failed after this node said done").doesNotContain("Starting again the [");
            assertThat(giver.up()).as("seed %d: %s rebooted (stop_failure %s)\n%s", c.seed, giver.name, policy, c.trace())
                    .isEqualTo(policy.equals("HOLD"));
            for (GroupSpec g : GROUPS) {
                assertThat(taker.holdsAll(g)).as("seed %d: %s runs %s\n%s", c.seed, taker.name, g.key(), c.trace()).isTrue();
                assertThat(giver.holds(g)).as("seed %d: %s runs nothing of %s\n%s", c.seed, giver.name, g.key(), c.trace()).isFalse();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kill giver", "power off giver", "kill taker"})
    void a_crash_right_after_done_keeps_the_invariants_and_every_group_ends_on_one_node(String crash) {
        int caught = 0;
        for (long seed = 1; seed <= 30; seed++) {
            Cluster c = settled(seed * 61 + crash.length(), seed % 3 == 0 ? Set.of() : WarmSimulationTest.WARM,
                    seed % 3 == 1 ? WarmSimulationTest.WARM : Set.of());
            Cluster.Node giver = WarmSimulationTest.holderOf(c, GROUPS.get(0));
            Cluster.Node taker = WarmSimulationTest.other(c, giver);
            Cluster.Node victim = crash.endsWith("taker") ? taker : giver;
            boolean[] midScript = {false};
            BiConsumer<Cluster.Node, NodeEffect> before = c.effects;
            c.effects = (n, e) -> {
                if (n == giver && e instanceof NodeEffect.Transmit t && t.message().type().equals("ask_resources")
                        && "done".equals(t.message().getOr("info", "")) && !midScript[0]) {
                    // the giver's script still runs (its pending stop): crash now, before it ends
                    midScript[0] = giver.pending != null && giver.pending.action() == ResourceOp.Action.STOP;
                    c.at(c.now, () -> {
                        if (crash.startsWith("power off")) {
                            c.powerOff(victim.name);
                        } else {
                            c.kill(victim.name);
                        }
                    });
                }
            };
            c.keepTrace();
            c.operator(giver.name, new NodeEvent.Standby("all"));
            c.runUntil(c.now + 30_000);
            c.effects = before;
            c.start(victim.name);
            c.runUntil(c.now + 120_000);
            assertThat(c.invariants.ownershipProblems()).as("seed %d\n%s", c.seed, c.trace()).isEmpty();
            assertThat(c.addresses.doubleAdds).as("seed %d\n%s", c.seed, c.trace()).isEmpty();
            c.checkHeld();
            if (midScript[0]) {
                caught++;
            }
        }
        assertThat(caught).as("hand-overs whose giver said done while its address's stop script still ran").isPositive();
    }
}
