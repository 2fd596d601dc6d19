package io.tandem.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.FailbackMode;
import io.tandem.node.NodeEffect;
import io.tandem.node.NodeEvent;
import io.tandem.resources.GroupSpec;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The project's reference scenario (auto_failback off, one group preferring node 1) in {@link Cluster},
 * compared with the real heartbeat 3.0.6 captures and ha-log files kept with the tests: node 1 alone
 * takes the group after initdead; node 2 joins and nothing moves; node 1 stops gracefully and node 2
 * takes over on shutdone; node 1 comes back, hb_standby on node 2 hands the group to node 1; node 1
 * powers off and node 2 takes over after deadtime. The messages compared are those of the resource
 * protocol, with the fields the ownership engine writes (membership's control fields and its own
 * messages aside); log lines are compared as subsequences (membership's lines come in between).
 */
class ReferenceScenarioTest {
    static final String N1 = "orasrv1.xlk.com", N2 = "orasrv2.xlk.com", KEY = "IPaddr::192.0.2.1/24/eth0";
    static final long KEEPALIVE = 1000, DEADTIME = 3000;
    /** What a node that joins a running cluster says, holding nothing. */
    static final String[] JOINING = {"t=starting", "t=resource rsc_hold=none rtype=full isstable=0",
        "t=resource rsc_hold=none rtype=full isstable=1"};
    static Cluster c;

    @BeforeAll
    static void run() {
        c = new Cluster(1, new Cluster.Settings(List.of(N1, N2), KEEPALIVE, DEADTIME, 6000, FailbackMode.OFF,
                List.of(GroupSpec.of(N1, KEY, "apache2")), 200, 200, 10_000));
        c.keepTrace();
        // a LAN as in the captures: 2 ms, nothing reordered, so the messages compare one to one
        c.minDelay = 2;
        c.maxDelay = 2;
        c.start(N1);
        c.runUntil(30_000);
        c.start(N2);
        c.runUntil(50_000);
        c.operator(N1, new NodeEvent.Shutdown());
        c.runUntil(70_000);
        c.start(N1);
        c.runUntil(90_000);
        c.operator(N2, new NodeEvent.Standby("all"));
        c.runUntil(110_000);
        c.powerOff(N1);
        c.runUntil(130_000);
    }

    private static List<Trace.Line> lines(String node, long from, long to) {
        return c.lines().stream().filter(l -> l.node().equals(node) && l.at() >= from && l.at() < to).collect(Collectors.toList());
    }

    /** The scripts run, as {@code resource action}. */
    private static List<String> runs(String node, long from, long to) {
        return lines(node, from, to).stream().filter(l -> l.what() instanceof Trace.Ran).map(l -> ((Trace.Ran) l.what()).op())
                .map(op -> op.resource() + " " + op.action().word()).collect(Collectors.toList());
    }

    /** The resource protocol's messages sent, with the fields the ownership engine wrote. */
    private static List<String> sends(String node, long from, long to) {
        return lines(node, from, to).stream().filter(l -> l.what() instanceof Trace.Sent s && !s.message().type().startsWith("NS_")
                        && !List.of("reqnodes", "repnodes").contains(s.message().type()))
                .map(l -> ((Trace.Sent) l.what()).callerFields()).collect(Collectors.toList());
    }

    private static List<String> logs(String node, long from, long to) {
        return lines(node, from, to).stream().filter(l -> l.what() instanceof NodeEffect.Log).map(l -> ((NodeEffect.Log) l.what()).text())
                .collect(Collectors.toList());
    }

    @Test
    void every_group_ends_on_node2() {
        assertThat(c.invariants.ownershipProblems()).as(c.trace()).isEmpty();
        assertThat(c.nodes.get(N2).holdsAll(c.settings.groups().get(0))).isTrue();
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
        // Tandem's start-up probe first asks every resource's status (heartbeat has none; it changes no message)
        assertThat(runs(N1, 0, 30_000)).as("the start-up probe, then req_resource probes the key, then takegroup").containsExactly(
                KEY + " status", "apache2 status", KEY + " status", KEY + " status", KEY + " start", "apache2 status", "apache2 start");
    }

    @Test
    void node2_joining_moves_nothing_with_auto_failback_off() {
        assertThat(sends(N2, 30_000, 50_000)).containsExactly(JOINING);
        assertThat(sends(N1, 30_000, 50_000)).containsExactly(
                "t=resource rsc_hold=all rtype=full isstable=1",
                "t=resource rsc_hold=all rtype=full isstable=1");
        assertThat(logs(N2, 30_000, 50_000)).containsSubsequence(
                "remote resource transition completed.",
                "remote resource transition completed.",
                "Local Resource acquisition completed. (none)",
                "Initial resource acquisition complete (T_RESOURCES(them))");
        assertThat(runs(N2, 30_000, 50_000)).as("the start-up probe only").containsExactly(KEY + " status", "apache2 status");
    }

    @Test
    void graceful_stop_releases_then_shutdone_and_node2_acquires_at_once() {
        // heartbeat sends rsc_hold=none here; Tandem says what it still holds until shutdone (docs/ownership.md)
        assertThat(sends(N1, 50_000, 70_000)).containsExactly(
                "t=resource rsc_hold=all rtype=full isstable=0 info=shutdown",
                "t=shutdone st=dead");
        assertThat(logs(N1, 50_000, 70_000)).containsSubsequence(
                "Heartbeat shutdown in progress. (1001)",
                "Giving up all HA resources.",
                "Releasing resource group: " + N1 + " " + KEY + " apache2",
                "All HA resources relinquished.");
        assertThat(runs(N1, 50_000, 70_000)).containsExactly("apache2 stop", KEY + " stop");
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
        long firstStart = c.lines().stream().filter(l -> l.node().equals(N2) && l.what() instanceof Trace.Ran r && r.op().resource().equals(KEY)
                && r.op().action().word().equals("start")).findFirst().orElseThrow().at();
        long shutdone = c.lines().stream().filter(l -> l.node().equals(N1) && l.what() instanceof Trace.Sent s && s.message().type().equals("shutdone"))
                .findFirst().orElseThrow().at();
        assertThat(firstStart - shutdone).as("node 2 starts the group right after shutdone, not after deadtime").isLessThan(1000);
    }

    @Test
    void hb_standby_on_node2_hands_the_group_to_node1_through_the_handshake() {
        assertThat(sends(N1, 70_000, 90_000)).containsExactly(JOINING);
        assertThat(runs(N1, 70_000, 90_000)).as("the start-up probe: nothing runs on node 1").containsExactly(KEY + " status", "apache2 status");
        // heartbeat sends rsc_hold=none before it stops anything; Tandem says what it still holds (docs/ownership.md)
        assertThat(sends(N2, 90_000, 110_000)).containsExactly(
                "t=ask_resources rsc_hold=all info=me",
                "t=resource rsc_hold=all rtype=full isstable=0 info=standby",
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
                // heartbeat says done after the address's stop script; Tandem once the address is gone (docs/ownership.md 16)
                "Standby: the addresses of [all] are gone and no longer announced from this node: done before the end of their stop script.",
                "Local standby process completed [all].",
                "all HA resource release completed (standby).",
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
        // node 1's last status left at most one keepalive before the power-off; node 2 waits its deadtime after it
        long dead = c.lines().stream().filter(l -> l.node().equals(N2) && l.at() >= 110_000 && l.what() instanceof NodeEffect.Log g
                && g.text().equals("node " + N1 + ": is dead")).findFirst().orElseThrow().at();
        assertThat(dead).isBetween(110_000 + DEADTIME - KEEPALIVE, 110_000 + DEADTIME + 5);
    }
}
