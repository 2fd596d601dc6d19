package io.tandem.resources;

import io.tandem.config.FailbackMode;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The project's reference scenario (auto_failback off, one group preferring node 1), compared with
 * the real heartbeat 3.0.6 captures and ha-log files kept with the tests: node 1 alone takes
 * the group after initdead; node 2 joins and nothing moves; node 1 stops gracefully and node 2 takes
 * over on shutdone; node 1 comes back, hb_standby on node 2 hands the group to node 1; node 1
 * crashes and node 2 takes over after deadtime.
 */
class ReferenceScenarioTest {
    static final String N1 = "orasrv1.xlk.com", N2 = "orasrv2.xlk.com", KEY = "IPaddr::192.0.2.1/24/eth0";
    static SimCluster c;

    @BeforeAll
    static void run() {
        c = new SimCluster(1, FailbackMode.OFF, List.of(GroupSpec.of(N1, KEY, "apache2")),
                new SimCluster.Scripts(200, 200, 0, 0, 0), StopFailurePolicy.HOLD, 3000, 6000, N1, N2);
        c.autoRestart = false;
        c.start(c.a);
        c.runUntil(30_000);
        c.start(c.b);
        c.runUntil(50_000);
        c.stop(c.a);
        c.runUntil(70_000);
        c.start(c.a);
        c.runUntil(90_000);
        c.standby(c.b, "all");
        c.runUntil(110_000);
        c.crash(c.a);
        c.runUntil(130_000);
    }

    private static List<String> lines(String node, String prefix, long from, long to) {
        return c.lines.stream().filter(l -> l.node().equals(node) && l.time() >= from && l.time() < to && l.text().startsWith(prefix))
                .map(l -> l.text().substring(prefix.length())).collect(Collectors.toList());
    }

    private static List<String> sends(String node, long from, long to) {
        return lines(node, "send ", from, to);
    }

    private static List<String> logs(String node, long from, long to) {
        return c.lines.stream().filter(l -> l.node().equals(node) && l.time() >= from && l.time() < to && l.text().contains("] "))
                .map(l -> l.text().substring(l.text().indexOf("] ") + 2)).collect(Collectors.toList());
    }

    @Test
    void no_invariant_is_violated() {
        assertThat(c.violations).as(c.tail(400)).isEmpty();
    }

    @Test
    void node1_alone_takes_the_group_after_initdead_with_the_captured_messages() {
        assertThat(sends(N1, 0, 30_000)).containsExactly(
                "t=stonith node=" + N2 + " result=n_stnth",
                "t=starting",
                "t=resource rsc_hold=foreign info=mach_down",
                "t=ip-request-resp dest=" + N1 + " ipaddr=" + KEY + " weown=yes ok=OK",
                "t=resource rsc_hold=all rtype=full isstable=1 info=req_our_resources()",
                "t=resource rsc_hold=all rtype=full isstable=1");
        assertThat(logs(N1, 0, 30_000)).containsSubsequence(
                "No STONITH device configured.",
                "Shared disks are not protected.",
                "Resources being acquired from " + N2 + ".",
                "mach_down takeover complete for node " + N2 + ".",
                "Initial resource acquisition complete (T_RESOURCES(us))",
                "mach_down takeover complete.",
                "Local Resource acquisition completed.",
                "received ip-request-resp " + KEY + " OK yes",
                "Acquiring resource group: " + N1 + " " + KEY + " apache2",
                "Local Resource acquisition completed. (none)",
                "local resource transition completed.");
        assertThat(lines(N1, "run ", 0, 30_000)).as("req_resource probes the key, then takegroup").containsExactly(KEY + " status", KEY + " status", KEY + " start", "apache2 status", "apache2 start");
    }

    @Test
    void node2_joining_moves_nothing_with_auto_failback_off() {
        assertThat(sends(N2, 30_000, 50_000)).containsExactly(
                "t=starting",
                "t=resource rsc_hold=none rtype=full isstable=0",
                "t=resource rsc_hold=none rtype=full isstable=1");
        assertThat(sends(N1, 30_000, 50_000)).containsExactly(
                "t=resource rsc_hold=all rtype=full isstable=1",
                "t=resource rsc_hold=all rtype=full isstable=1");
        assertThat(logs(N2, 30_000, 50_000)).containsExactly(
                "remote resource transition completed.",
                "remote resource transition completed.",
                "Local Resource acquisition completed. (none)",
                "Initial resource acquisition complete (T_RESOURCES(them))");
        assertThat(lines(N2, "run ", 30_000, 50_000)).isEmpty();
    }

    @Test
    void graceful_stop_releases_then_shutdone_and_node2_acquires_at_once() {
        // heartbeat sends rsc_hold=none here; Tandem says what it still holds until shutdone (docs/ownership.md)
        assertThat(sends(N1, 50_000, 70_000)).containsExactly(
                "t=resource rsc_hold=all rtype=full isstable=0 info=shutdown",
                "t=shutdone st=dead");
        assertThat(logs(N1, 50_000, 70_000)).containsExactly(
                "Heartbeat shutdown in progress. (1001)",
                "Giving up all HA resources.",
                "Releasing resource group: " + N1 + " " + KEY + " apache2",
                "All HA resources relinquished.");
        assertThat(lines(N1, "run ", 50_000, 70_000)).containsExactly("apache2 stop", KEY + " stop");
        assertThat(sends(N2, 50_000, 70_000)).containsExactly(
                "t=ask_resources rsc_hold=all info=done",
                "t=resource rsc_hold=all rtype=full isstable=1",
                "t=resource rsc_hold=foreign info=mach_down",
                "t=resource rsc_hold=all rtype=full isstable=1 info=req_our_resources()",
                "t=stonith node=" + N1 + " result=unneeded");
        assertThat(logs(N2, 50_000, 70_000)).containsSubsequence(
                "Received shutdown notice from '" + N1 + "'.",
                "Resources being acquired from " + N1 + ".",
                "acquire all HA resources (standby).",
                "Acquiring resource group: " + N1 + " " + KEY + " apache2",
                "all HA resource acquisition completed (standby).",
                "Standby resource acquisition done [all].",
                "Taking over resource group " + KEY,
                "mach_down takeover complete.",
                "No local resources [/usr/share/heartbeat/ResourceManager listkeys " + N2 + "] to acquire.",
                "Dead node " + N1 + " gave up resources.");
        long firstStart = c.lines.stream().filter(l -> l.node().equals(N2) && l.text().equals("run " + KEY + " start")).findFirst().orElseThrow().time();
        long shutdone = c.lines.stream().filter(l -> l.node().equals(N1) && l.text().equals("send t=shutdone st=dead")).findFirst().orElseThrow().time();
        assertThat(firstStart - shutdone).as("node 2 starts the group right after shutdone, not after deadtime").isLessThan(1000);
    }

    @Test
    void hb_standby_on_node2_hands_the_group_to_node1_through_the_handshake() {
        assertThat(sends(N1, 70_000, 90_000)).containsExactly(
                "t=starting",
                "t=resource rsc_hold=none rtype=full isstable=0",
                "t=resource rsc_hold=none rtype=full isstable=1");
        assertThat(sends(N2, 90_000, 110_000)).containsExactly(
                "t=ask_resources rsc_hold=all info=me",
                "t=resource rsc_hold=none rtype=full isstable=0 info=standby",
                "t=ask_resources rsc_hold=all info=done",
                "t=resource rsc_hold=none rtype=full isstable=1",
                "t=resource rsc_hold=none rtype=full isstable=1");
        assertThat(sends(N1, 90_000, 110_000)).containsSubsequence(
                "t=ask_resources rsc_hold=all info=other",
                "t=ask_resources rsc_hold=all info=done",
                "t=resource rsc_hold=all rtype=full isstable=1");
        assertThat(logs(N2, 90_000, 110_000)).containsSubsequence(
                "Going standby [all].",
                N2 + " wants to go standby [all]",
                "standby: " + N1 + " can take our all resources",
                "give up all HA resources (standby).",
                "Releasing resource group: " + N1 + " " + KEY + " apache2",
                "all HA resource release completed (standby).",
                "Local standby process completed [all].",
                "Other node completed standby takeover of all resources.");
        assertThat(logs(N1, 90_000, 110_000)).containsSubsequence(
                N2 + " wants to go standby [all]",
                "standby: acquire [all] resources from " + N2,
                "acquire all HA resources (standby).",
                "Acquiring resource group: " + N1 + " " + KEY + " apache2",
                "all HA resource acquisition completed (standby).",
                "Standby resource acquisition done [all].",
                "remote resource transition completed.");
    }

    @Test
    void node1_crash_moves_the_group_to_node2_after_deadtime() {
        assertThat(sends(N2, 110_000, 130_000)).containsExactly(
                "t=stonith node=" + N1 + " result=n_stnth",
                "t=resource rsc_hold=foreign info=mach_down",
                "t=resource rsc_hold=all rtype=full isstable=1 info=req_our_resources()");
        assertThat(logs(N2, 110_000, 130_000)).containsSubsequence(
                "No STONITH device configured.",
                "Shared disks are not protected.",
                "Resources being acquired from " + N1 + ".",
                "Taking over resource group " + KEY,
                "Acquiring resource group: " + N1 + " " + KEY + " apache2",
                "mach_down takeover complete for node " + N1 + ".",
                "mach_down takeover complete.");
        long dead = c.lines.stream().filter(l -> l.node().equals(N2) && l.time() >= 110_000 && l.text().startsWith("declares")).findFirst().orElseThrow().time();
        assertThat(dead).isEqualTo(113_000);
        assertThat(c.ownershipProblems()).isEmpty();
        assertThat(c.b.runsAllOf(c.groups.get(0))).isTrue();
    }
}
