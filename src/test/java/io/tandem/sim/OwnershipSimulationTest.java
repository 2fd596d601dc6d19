package io.tandem.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.FailbackMode;
import io.tandem.node.NodeEffect;
import io.tandem.node.NodeEvent;
import io.tandem.resources.GroupSpec;
import io.tandem.resources.StopFailurePolicy;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Many seeded two-node runs of {@link Cluster} with power-offs, restarts, graceful stops, standby and
 * takeover requests, partitions and (in the second test) failing scripts, each fault given time to
 * settle. Besides the cluster's invariants (checked after every event): with working scripts, after
 * each single fault every group runs on exactly one live node, and after a power-off within deadtime +
 * script time.
 */
class OwnershipSimulationTest {
    static final long KEEPALIVE = 1000, DEADTIME = 3000, INITDEAD = 6000, SETTLE = 80_000;
    static final long SCRIPT_MIN = 50, SCRIPT_MAX = 2000, SCRIPT_TIMEOUT = 10_000;
    /** More seeds with -Dtandem.sim.seeds=N (the default keeps the build fast). */
    static final int SEEDS = Integer.getInteger("tandem.sim.seeds", 60);
    static final List<GroupSpec> GROUPS = List.of(
            GroupSpec.of("n1", "IPaddr::192.0.2.1/24/eth0", "apache2"),
            GroupSpec.of("n2", "IPaddr::192.0.2.2/24/eth0", "postgresql"),
            GroupSpec.of("n1", "192.0.2.3", "Filesystem::/dev/sdb1::/srv", "exim4"));

    static Cluster.Settings settings(FailbackMode mode) {
        return new Cluster.Settings(List.of("n1", "n2"), KEEPALIVE, DEADTIME, INITDEAD, mode, GROUPS, SCRIPT_MIN, SCRIPT_MAX, SCRIPT_TIMEOUT);
    }

    /** A two-node cluster on the simulator's link (random delay, hence reordering); the trace is kept whole. */
    static Cluster cluster(long seed, Cluster.Settings settings) {
        Cluster c = new Cluster(seed, settings);
        c.keepTrace();
        return c;
    }

    /** What the run did: every log line (its text, and with priority and source), message sent (its caller's fields) and note. */
    static Set<String> seen(Cluster c) {
        Set<String> seen = new HashSet<>();
        for (Trace.Line l : c.lines()) {
            if (l.what() instanceof NodeEffect.Log g) {
                seen.add(g.text());
                seen.add(l.text());
            } else if (l.what() instanceof Trace.Sent s) {
                seen.add("send " + s.callerFields());
            } else {
                seen.add(l.what().toString());
            }
        }
        return seen;
    }

    static boolean any(Set<String> seen, String prefix) {
        return seen.stream().anyMatch(t -> t.startsWith(prefix));
    }

    @ParameterizedTest
    @EnumSource(FailbackMode.class)
    void every_fault_leaves_each_group_on_exactly_one_node(FailbackMode mode) {
        Set<String> seen = new HashSet<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            Cluster c = cluster(seed * 7919 + mode.ordinal(), settings(mode));
            // restarts come after the takeover bound, so each crash is measured as a single fault
            Episodes faults = new Episodes(c, new Random(seed), 28_000, 36_000);
            faults.startBoth();
            c.runUntil(SETTLE);
            check(c, "start-up");
            for (int episode = 0; episode < 12; episode++) {
                String what = faults.next();
                c.note(null, "EPISODE " + episode + ": " + what);
                seen.add(what.split(" ")[0]);
                long faultAt = c.now;
                long owned = -1;
                // A partition that split the two ends with a graceful restart of both (Episodes): two shutdowns
                // that each wait for a stable peer, two starts after deadtime, each followed by failbacks. That
                // chain is two episodes' work, so it gets two settle windows (seed 277165 needs 87 s).
                long settle = what.startsWith("partition") ? 2 * SETTLE : SETTLE;
                while (c.now < faultAt + settle) {
                    c.runUntil(c.now + 100);
                    if (owned < 0 && what.startsWith("crash") && c.invariants.ownershipProblems().isEmpty()) {
                        owned = c.now - faultAt;
                    }
                }
                check(c, what);
                if (what.startsWith("crash")) {
                    long bound = DEADTIME + 12 * SCRIPT_MAX;
                    assertThat(owned).as("%s: survivor owns everything within deadtime + script time\n%s", what, c.trace()).isBetween(0L, bound);
                }
            }
            seen.addAll(seen(c));
        }
        assertThat(seen).as("the runs exercised every kind of fault").contains("crash", "stop", "hb_standby", "hb_takeover", "partition", "racing");
        if (mode.niceFailback()) {
            assertThat(seen).as("the runs went through shutdone, mach_down, the handshake and the partition restart")
                    .contains("mach_down takeover complete.", "EXIT 0", "OPERATOR restarts both after the split");
            assertThat(any(seen, "Received shutdown notice")).isTrue();
            assertThat(any(seen, "Standby resource acquisition done")).isTrue();
        } else {
            assertThat(any(seen, "send t=ip-request ipaddr=")).isTrue();
            assertThat(seen.stream().anyMatch(t -> t.startsWith("send t=ip-request-resp") && t.contains("weown=yes"))).isTrue();
        }
    }

    /**
     * Scripts break and are repaired between the faults: a start that fails, hangs or is slow, a stop
     * that fails while the resource keeps running; only the cluster's invariants are asserted.
     */
    @ParameterizedTest
    @EnumSource(StopFailurePolicy.class)
    void failing_scripts_never_run_a_group_twice(StopFailurePolicy policy) {
        Set<String> seen = new HashSet<>();
        for (FailbackMode mode : FailbackMode.values()) {
            for (long seed = 1; seed <= SEEDS / 2; seed++) {
                Cluster c = cluster(seed * 31 + mode.ordinal(), settings(mode).with(policy));
                Random r = new Random(seed + 1000);
                Episodes faults = new Episodes(c, r, 1_000, 8_000);
                faults.startBoth();
                c.runUntil(SETTLE);
                for (int episode = 0; episode < 10; episode++) {
                    String what = r.nextInt(3) == 0 ? breakScript(c, r) : faults.next();
                    c.note(null, "EPISODE " + episode + ": " + what);
                    c.runUntil(c.now + SETTLE);
                }
                seen.addAll(seen(c));
            }
        }
        assertThat(any(seen, "Giving up resources due to failure of")).as("failed starts were exercised").isTrue();
        assertThat(any(seen, "Retrying failed stop operation")).as("failed stops were exercised").isTrue();
        if (policy == StopFailurePolicy.REBOOT) {
            assertThat(any(seen, "Rebooting system.")).isTrue();
        } else {
            assertThat(any(seen, "Resource STOP failure")).isTrue();
            assertThat(any(seen, "Shutdown aborted")).isTrue();
        }
    }

    /** A random script of a random node breaks (or, a third of the time, is repaired). */
    static String breakScript(Cluster c, Random r) {
        String node = c.settings.names().get(r.nextInt(2));
        GroupSpec g = GROUPS.get(r.nextInt(GROUPS.size()));
        String res = g.resources().get(r.nextInt(g.resources().size()));
        Cluster.Script[] all = Cluster.Script.values();
        Cluster.Script s = r.nextInt(3) == 0 ? Cluster.Script.OK : all[1 + r.nextInt(all.length - 1)];
        c.script(node, res, s);
        return "script " + res + " on " + node + ": " + s;
    }

    /**
     * Node 2 joins after node 1 took everything (initdead); its two reports {@code resource
     * rsc_hold=none isstable=0} and {@code isstable=1} leave in the same millisecond and the second
     * arrives first. Node 1 ignores the late {@code isstable=0} (older than the report it has), sees
     * node 2 stable and, with auto_failback on, sends node 2's group home. (Before, it took the late
     * report as the latest word and delayed the failback every second, for good.)
     */
    @Test
    void a_report_overtaken_on_the_link_is_ignored_and_the_group_goes_home() {
        // the seed gives the reordering: with the start-up probe (and early reports no longer
        // replayed) 172 248 no longer did; in 172 254 the failback is delayed for good without the check
        Cluster c = new Cluster(172_254, settings(FailbackMode.ON));
        c.keepTrace();
        c.at(355, () -> c.start("n1"));
        c.at(6_940, () -> c.start("n2"));
        c.runUntil(300_000);
        GroupSpec homeOfN2 = GROUPS.get(1);
        assertThat(c.lines()).anyMatch(l -> "n1".equals(l.node()) && l.text().contains("lost packet(s) for [n2]"))
                .anyMatch(l -> "n1".equals(l.node()) && l.text().matches(".*Ignoring resource report \\d+ from n2: report \\d+ is newer\\."));
        assertThat(c.nodes.get("n2").holdsAll(homeOfN2)).as(c.trace()).isTrue();
        assertThat(c.nodes.get("n1").holdsAll(homeOfN2)).isFalse();
        assertThat(c.lines().stream().filter(l -> l.at() > 60_000 && l.text().contains("Auto failback delayed.")).count()).isZero();
        c.checkHeld();
    }

    /**
     * Node 2 runs the group after a standby; its graceful stop releases it, but its {@code shutdone} is
     * lost (a cut from the middle of its shutdown until its restart; on a real link one lost packet does
     * it, the sender exits at once), and it starts again 2.6 s later, well within node 1's deadtime.
     * Node 1 sees a restart, not a death: it forgets what the old life claimed and takes its group back
     * once the new life reports. (Before, it kept believing the old life held everything and the group
     * ran nowhere; seed 909 of the campaign, with a restart 5 ms after the stop.)
     */
    @Test
    void a_restart_within_deadtime_after_a_lost_shutdone_gives_the_group_back_to_its_home() {
        GroupSpec web = GroupSpec.of("n1", "10.0.0.10", "web");
        Cluster c = new Cluster(1, new Cluster.Settings(List.of("n1", "n2"), 1000, 10_000, 20_000, FailbackMode.ON,
                List.of(web), 200, 200, 10_000));
        c.keepTrace();
        c.start("n1");
        c.start("n2");
        c.runUntil(60_000);
        c.operator("n1", new NodeEvent.Standby("all"));
        c.runUntil(80_000);
        c.operator("n2", new NodeEvent.Shutdown());
        c.runUntil(80_300);
        c.cutLink("n1", "n2");
        c.runUntil(83_000);
        c.heal();
        c.start("n2");
        c.runUntil(200_000);
        assertThat(c.trace()).contains("Heartbeat restart on node n2").contains("it restarted, so it holds nothing now.")
                .doesNotContain("No one owns our local resources!");
        assertThat(c.nodes.get("n1").holdsAll(web)).as(c.trace()).isTrue();
        c.checkHeld();
    }

    /**
     * Node 1 runs node 2's group (it started alone; auto_failback off keeps it there) and hands it over
     * with hb_standby, but its stop keeps failing (HOLD retries it for about ten seconds, then keeps the
     * group). Meanwhile node 2's daemon is killed and starts again within deadtime: its new life learns
     * from node 1's report who holds what. Node 1 reports the group as held until its release is done,
     * so node 2 never starts it. (Before, node 1 dropped the group from its report when the handshake
     * began and node 2's new life took it after RQSTDELAY while it ran on node 1.)
     */
    @Test
    void a_group_whose_release_keeps_failing_stays_reported_and_is_not_taken_by_a_restarted_peer() {
        GroupSpec db = GroupSpec.of("n2", "10.0.0.20", "db");
        Cluster c = new Cluster(3, new Cluster.Settings(List.of("n1", "n2"), 1000, 10_000, 5_000, FailbackMode.OFF,
                List.of(db), 1000, 1000, 10_000));
        c.keepTrace();
        c.start("n1");
        c.runUntil(20_000);
        c.start("n2");
        c.runUntil(50_000);
        assertThat(c.nodes.get("n1").holdsAll(db)).as(c.trace()).isTrue();
        c.script("n1", "db", Cluster.Script.CANNOT_STOP);
        c.operator("n1", new NodeEvent.Standby("all"));
        c.runUntil(51_000);
        c.kill("n2");
        c.runUntil(52_500);
        c.start("n2");
        c.runUntil(120_000);
        assertThat(c.trace()).contains("Resource STOP failure: db still running").contains("Heartbeat restart on node n2");
        assertThat(c.nodes.get("n1").holdsAll(db)).as(c.trace()).isTrue();
        assertThat(c.nodes.get("n2").holdsAll(db)).as(c.trace()).isFalse();
    }

    private static void check(Cluster c, String what) {
        assertThat(c.invariants.ownershipProblems()).as("seed %d after %s\n%s", c.seed, what, c.trace()).isEmpty();
    }
}
