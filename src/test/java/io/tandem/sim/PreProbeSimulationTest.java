package io.tandem.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.FailbackMode;
import io.tandem.node.NodeEffect;
import io.tandem.resources.AddressPreProbe;
import io.tandem.resources.GroupSpec;
import io.tandem.resources.ResourceOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Probe before death (docs/split-brain.md) in the whole-cluster simulator, with the address model of
 * {@link SimAddresses}: n1 runs 10.0.0.10 (group 10.0.0.10 web), n2 runs 10.0.0.20; then n1 is powered off,
 * silenced as a whole machine and heard again before its deadline, or frozen (its kernel still answers ARP).
 * The cluster's invariants hold after every event in every run; a campaign of random deaths, freezes and
 * cuts checks that an address is never added on a machine while another one runs it.
 */
class PreProbeSimulationTest {
    static final String IP1 = "10.0.0.10";

    private static Cluster pair(long seed, Cluster.Settings s) {
        return pair(seed, s, AddressPreProbe.Settings.window(300));
    }

    private static Cluster pair(long seed, Cluster.Settings s, AddressPreProbe.Settings preProbe) {
        Cluster c = new Cluster(seed, s);
        c.preProbe = preProbe;
        c.keepTrace();
        c.start("n1");
        c.start("n2");
        c.runUntil(20_000);
        assertThat(c.nodes.get("n1").runs(IP1, IP1)).as("n1 runs its address before the fault\n%s", c.trace()).isTrue();
        return c;
    }

    private static Cluster pair(long seed) {
        return pair(seed, Schedules.settings(2, FailbackMode.OFF));
    }

    /** The first line of {@code node} at or after {@code from} that {@code what} matches, or null. */
    private static Trace.Line first(Cluster c, String node, long from, Predicate<String> what) {
        return c.lines().stream().filter(l -> l.node().equals(node) && l.at() >= from && what.test(l.text())).findFirst().orElse(null);
    }

    private static List<Trace.Line> all(Cluster c, String node, long from, Predicate<String> what) {
        return c.lines().stream().filter(l -> l.node().equals(node) && l.at() >= from && what.test(l.text())).toList();
    }

    /** The campaign's timers with scripts of 20-60 ms, as an address's status takes (the campaign's take up to 500 ms). */
    static Cluster.Settings quickScripts(long keepalive) {
        return new Cluster.Settings(List.of("n1", "n2"), keepalive, Schedules.DEADTIME, Schedules.INITDEAD, FailbackMode.OFF,
                Schedules.settings(2, FailbackMode.OFF).groups(), 20, 60, Schedules.SCRIPT_TIMEOUT);
    }

    @Test
    void a_power_off_is_probed_before_the_death_and_the_address_is_added_at_once_without_a_second_probe() {
        for (long seed = 1; seed <= 20; seed++) {
            Cluster c = pair(seed, quickScripts(Schedules.KEEPALIVE));
            long off = c.now;
            c.powerOff("n1");
            c.runUntil(off + 10_000);
            Trace.Line probe = first(c, "n2", off, t -> t.startsWith("probe before death " + IP1));
            Trace.Line dead = first(c, "n2", off, t -> t.contains("node n1: is dead"));
            Trace.Line start = first(c, "n2", off, t -> t.startsWith("run " + IP1 + " start"));
            assertThat(probe).as("seed %d: n2 probes before n1's death\n%s", seed, c.trace()).isNotNull();
            assertThat(dead).as("seed %d: n1 declared dead\n%s", seed, c.trace()).isNotNull();
            assertThat(start).as("seed %d: n2 starts the address\n%s", seed, c.trace()).isNotNull();
            assertThat(probe.at()).as("seed %d: the probe begins before the death", seed).isLessThan(dead.at());
            assertThat(start.text()).as("seed %d: the start takes the probe\n%s", seed, c.trace()).contains("pre-probed");
            assertThat(first(c, "n2", off, t -> t.contains("Not probing the address of " + IP1 + " again before its start: probed before the"
                    + " death of n1, nobody answered"))).as("seed %d\n%s", seed, c.trace()).isNotNull();
            assertThat(c.addresses.probedStarts).as("seed %d: no start of n2 probed after the death", seed)
                    .noneMatch(p -> p.startsWith("n2 ") && Long.parseLong(p.substring(p.lastIndexOf(' ') + 1)) >= off);
            assertThat(c.nodes.get("n2").runs(IP1, IP1)).as("seed %d: n2 runs the address", seed).isTrue();
            assertThat(c.addresses.doubleAdds).isEmpty();
        }
    }

    @Test
    void a_peer_heard_again_before_its_deadline_drops_the_probe_and_nothing_is_taken() {
        int dropped = 0;
        for (long seed = 1; seed <= 20; seed++) {
            Cluster c = pair(seed);
            long off = c.now;
            long deadAt = c.nodes.get("n2").core.membership().deadlineOf("n1").getAsLong();
            // the whole machine stops (no heartbeat, no ARP answer) and comes back 100 ms before n2 would declare it dead
            c.freezeMachine("n1", deadAt - c.now - 100);
            c.runUntil(off + 10_000);
            assertThat(first(c, "n2", off, t -> t.startsWith("probe before death " + IP1))).as("seed %d: n2 probes\n%s", seed, c.trace())
                    .isNotNull();
            assertThat(first(c, "n2", off, t -> t.contains("n1 was heard again: dropping the probe of the address of " + IP1
                    + " begun before its death"))).as("seed %d: the probe is dropped\n%s", seed, c.trace()).isNotNull();
            assertThat(first(c, "n2", off, t -> t.contains("node n1: is dead"))).as("seed %d: n1 never declared dead", seed).isNull();
            assertThat(first(c, "n2", off, t -> t.startsWith("run " + IP1 + " start"))).as("seed %d: nothing taken\n%s", seed, c.trace())
                    .isNull();
            assertThat(first(c, "n2", off, t -> t.contains("probed before its death"))).as("seed %d: the late answer is ignored", seed).isNull();
            assertThat(c.nodes.get("n1").runs(IP1, IP1)).isTrue();
            dropped++;
        }
        assertThat(dropped).isEqualTo(20);
    }

    @Test
    void a_frozen_owner_answers_the_probe_and_the_address_is_not_added() {
        for (long seed = 1; seed <= 20; seed++) {
            Cluster c = pair(seed);
            long off = c.now;
            c.freeze("n1", 3 * Schedules.DEADTIME);
            List<Integer> holders = new ArrayList<>();
            c.afterEvent = () -> holders.add(c.addresses.holders(IP1, IP1));
            c.runUntil(off + 3 * Schedules.DEADTIME - 10);
            assertThat(first(c, "n2", off, t -> t.startsWith("probe before death " + IP1))).as("seed %d\n%s", seed, c.trace()).isNotNull();
            assertThat(first(c, "n2", off, t -> t.contains("The address of " + IP1 + " is in use by " + SimAddresses.mac(c.nodes.get("n1"))
                    + " while n1 is silent (probed before its death)"))).as("seed %d: answered\n%s", seed, c.trace()).isNotNull();
            assertThat(first(c, "n2", off, t -> t.contains("node n1: is dead"))).as("seed %d", seed).isNotNull();
            assertThat(all(c, "n2", off, t -> t.startsWith("run " + IP1))).as("seed %d: no call takes the answered probe", seed)
                    .noneMatch(l -> l.text().contains("pre-probed"));
            assertThat(first(c, "n2", off, t -> t.contains("Group " + IP1 + " not started: the address of " + IP1 + " is in use by")))
                    .as("seed %d: the start's own probe is answered too\n%s", seed, c.trace()).isNotNull();
            assertThat(holders).as("seed %d: the address stays on n1 alone", seed).containsOnly(1);
            c.runUntil(c.now + 30_000);
            assertThat(c.addresses.doubleAdds).isEmpty();
        }
    }

    @Test
    void a_death_before_the_probe_ends_waits_only_for_the_rest_of_it() {
        // keepalive 900 ms: two missed keepalives (1.8 s) come after deadline - window (1.4 s), so the probe of
        // 600 ms still listens when the deadtime (2 s) ends; 20-60 ms scripts: the start comes before it ends
        for (long seed = 1; seed <= 20; seed++) {
            Cluster c = pair(seed, quickScripts(900), AddressPreProbe.Settings.window(600));
            long off = c.now;
            c.powerOff("n1");
            c.runUntil(off + 10_000);
            Trace.Line dead = first(c, "n2", off, t -> t.contains("node n1: is dead"));
            Trace.Line start = first(c, "n2", off, t -> t.startsWith("run " + IP1 + " start"));
            Trace.Line ended = first(c, "n2", off, t -> t.startsWith("probe ahead of " + IP1 + " ended: nobody answered"));
            assertThat(dead).as("seed %d\n%s", seed, c.trace()).isNotNull();
            assertThat(start).as("seed %d\n%s", seed, c.trace()).isNotNull();
            assertThat(ended).as("seed %d\n%s", seed, c.trace()).isNotNull();
            assertThat(start.text()).contains("pre-probed");
            assertThat(start.at()).as("seed %d: the start is asked before the probe ends", seed).isLessThan(ended.at());
            assertThat(first(c, "n2", off, t -> t.contains("Not probing the address of " + IP1 + " anew before its start: taking the rest of"
                    + " the probe begun before the death of n1"))).as("seed %d\n%s", seed, c.trace()).isNotNull();
            assertThat(c.addresses.probedStarts).as("seed %d: no second probe", seed)
                    .noneMatch(p -> p.startsWith("n2 ") && Long.parseLong(p.substring(p.lastIndexOf(' ') + 1)) >= off);
            assertThat(c.nodes.get("n2").runs(IP1, IP1)).as("seed %d\n%s", seed, c.trace()).isTrue();
        }
    }

    @Test
    void both_nodes_started_together_each_start_takes_the_probe_begun_at_start_up() {
        // probe at start-up: each node probes the address of the group it prefers while its start-up probe runs;
        // the acquisition that follows the join takes that probe instead of probing again
        for (long seed = 1; seed <= 20; seed++) {
            Cluster c = new Cluster(seed, quickScripts(100));
            c.preProbe = AddressPreProbe.Settings.window(300);
            c.keepTrace();
            c.start("n1");
            c.start("n2");
            c.runUntil(5_000);
            for (String[] own : new String[][] {{"n1", IP1}, {"n2", "10.0.0.20"}}) {
                assertThat(first(c, own[0], 0, t -> t.startsWith("probe at start-up " + own[1]))).as("seed %d\n%s", seed, c.trace()).isNotNull();
                assertThat(first(c, own[0], 0, t -> t.startsWith("run " + own[1] + " start pre-probed"))).as("seed %d\n%s", seed, c.trace())
                        .isNotNull();
                assertThat(c.nodes.get(own[0]).runs(own[1], own[1])).as("seed %d\n%s", seed, c.trace()).isTrue();
            }
            assertThat(c.addresses.probedStarts).as("seed %d: no start probed again", seed).isEmpty();
            assertThat(all(c, "n2", 0, t -> t.startsWith("probe at start-up " + IP1))).as("seed %d: n2 does not probe n1's address", seed)
                    .isEmpty();
            assertThat(c.addresses.doubleAdds).isEmpty();
        }
    }

    /** Counts of one campaign run. */
    record Counts(int preProbedStarts, int answered, int dropped, List<String> doubles) {
    }

    static Counts campaignRun(long seed) {
        Cluster c = new Cluster(seed, Schedules.settings(2, seed % 2 == 0 ? FailbackMode.ON : FailbackMode.OFF));
        c.maxDelay = 1 + c.random.nextInt(20);
        int[] n = new int[3];
        c.effects = (node, e) -> {
            if (e instanceof NodeEffect.Run r && r.op().action() == ResourceOp.Action.START && r.op().preProbed()) {
                n[0]++;
            } else if (e instanceof NodeEffect.Log l && l.text().contains("(probed before its death)")) {
                n[1]++;
            } else if (e instanceof NodeEffect.Log l && l.text().contains("was heard again: dropping the probe")) {
                n[2]++;
            }
        };
        List<String> doubles = new ArrayList<>();
        c.afterEvent = () -> {
            for (GroupSpec g : c.settings.groups()) {
                if (c.addresses.holders(g.key(), g.key()) > 1) {
                    doubles.add(c.now + " ms: " + g.key() + " on both machines");
                }
            }
        };
        for (String name : c.settings.names()) {
            c.at(c.between(0, 3_000), () -> c.start(name));
        }
        c.runUntil(20_000);
        for (int step = 0; step < 8; step++) {
            String who = c.random.nextBoolean() ? "n1" : "n2";
            switch (c.random.nextInt(7)) {
                case 0 -> c.powerOff(who);
                case 1 -> c.kill(who);
                case 2 -> c.freeze(who, c.between(Schedules.DEADTIME - 600, 3 * Schedules.DEADTIME));
                case 3 -> c.cutLink("n1", "n2");
                case 4 -> c.heal();
                default -> c.start(who);
            }
            c.runUntil(c.now + c.between(500, 12_000));
        }
        c.heal();
        c.start("n1");
        c.start("n2");
        c.runUntil(c.now + Schedules.QUIET);
        doubles.addAll(c.addresses.doubleAdds);
        return new Counts(n[0], n[1], n[2], doubles);
    }

    @Test
    void random_deaths_freezes_and_cuts_never_add_an_address_twice() {
        int preProbed = 0;
        int answered = 0;
        int dropped = 0;
        for (long seed = 1; seed <= 400; seed++) {
            Counts r = campaignRun(seed);
            assertThat(r.doubles()).as("seed %d", seed).isEmpty();
            preProbed += r.preProbedStarts();
            answered += r.answered();
            dropped += r.dropped();
        }
        System.out.printf(Locale.ROOT, "400 runs: %d starts took a probe begun before the death, %d such probes answered, %d dropped%n",
                preProbed, answered, dropped);
        assertThat(preProbed).as("starts that took a probe begun before the death").isPositive();
        assertThat(answered).as("probes before death answered by a frozen or cut-off holder").isPositive();
        assertThat(dropped).as("probes dropped because the peer was heard again").isPositive();
    }

    @Test
    void one_seed_is_one_run() {
        assertThat(campaignRun(33)).isEqualTo(campaignRun(33));
    }
}
