package io.tandem.daemon.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.daemon.process.ProcessRunner;
import io.tandem.lab.Poll;
import io.tandem.resources.OpResult;
import io.tandem.resources.ResourceOp;
import io.tandem.resources.ResourceOp.Action;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Virtual addresses managed in a real network namespace: heartbeat's own resource.d/IPaddr, and the
 * built-in IPaddr when no script is installed (label, next free label, gratuitous ARP seen by a
 * neighbour namespace). Two namespaces joined by a veth pair, TEST-NET-1 addresses only.
 */
class AgentNamespaceTest {
    private static final String NS1 = "ta-ag1";
    private static final String NS2 = "ta-ag2";
    private static final String IF1 = "ta-ag1v";
    private static final String IF2 = "ta-ag2v";
    private static final String VIP = "192.0.2.100";

    private static ProcessRunner processes;

    @TempDir
    Path empty;

    @BeforeAll
    static void createNamespaces() {
        assumeTrue(Cmd.isRoot(), "needs root to create network namespaces");
        assumeTrue(Cmd.available("ip") && Cmd.available("arping"), "needs iproute2 and arping");
        teardown();
        processes = new ProcessRunner(1_000);
        Cmd.run("ip", "netns", "add", NS1);
        Cmd.run("ip", "netns", "add", NS2);
        Cmd.run("ip", "link", "add", IF1, "type", "veth", "peer", "name", IF2);
        Cmd.run("ip", "link", "set", IF1, "netns", NS1);
        Cmd.run("ip", "link", "set", IF2, "netns", NS2);
        Cmd.inNs(NS1, "ip", "addr", "add", "192.0.2.10/24", "dev", IF1);
        Cmd.inNs(NS2, "ip", "addr", "add", "192.0.2.20/24", "dev", IF2);
        for (String[] nsIf : new String[][] {{NS1, IF1}, {NS2, IF2}}) {
            Cmd.inNs(nsIf[0], "ip", "link", "set", "lo", "up");
            Cmd.inNs(nsIf[0], "ip", "link", "set", nsIf[1], "up");
        }
    }

    @AfterAll
    static void teardown() {
        if (processes != null) {
            processes.close();
        }
        Cmd.tryRun("ip", "netns", "del", NS1);
        Cmd.tryRun("ip", "netns", "del", NS2);
        Cmd.tryRun("ip", "link", "del", IF1);
    }

    @BeforeEach
    @AfterEach
    void removeVips() {
        for (String vip : List.of(VIP, "192.0.2.101", "192.0.2.50")) {
            Cmd.tryRun("ip", "netns", "exec", NS1, "ip", "addr", "del", vip + "/24", "dev", IF1);
        }
    }

    private static AgentOutcome run(AgentRunner runner, String resource, Action action) throws Exception {
        return runner.run(new ResourceOp("g", resource, action)).get(60, TimeUnit.SECONDS);
    }

    private static List<String> texts(AgentOutcome o) {
        return o.log().stream().map(l -> l.level().word() + ": " + l.text()).toList();
    }

    private static String addresses() {
        return Cmd.inNs(NS1, "ip", "-o", "-4", "addr", "show", "dev", IF1);
    }

    private AgentRunner runner(boolean scriptsInstalled) {
        AgentLookup lookup = scriptsInstalled ? AgentLookup.standard()
                : new AgentLookup(empty.toString(), empty.toString(), AgentLookup.OCF_ROOT, 30_000);
        return new AgentRunner(processes, lookup, new FileAgentCatalog(), Map.of(), List.of("ip", "netns", "exec", NS1));
    }

    @Test
    void heartbeats_resource_d_ipaddr_adds_reports_and_removes_the_vip() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/etc/ha.d/resource.d/IPaddr")), "heartbeat's resource.d/IPaddr is not installed");
        AgentRunner runner = runner(true);
        String res = "IPaddr::" + VIP + "/24/" + IF1;

        assertThat(run(runner, res, Action.STATUS).result()).isEqualTo(OpResult.NOT_RUNNING);
        AgentOutcome start = run(runner, res, Action.START);
        assertThat(start.result()).as("%s", texts(start)).isEqualTo(OpResult.OK);
        assertThat(texts(start)).contains("info: Running /etc/ha.d/resource.d/IPaddr " + VIP + "/24/" + IF1 + " start");
        assertThat(addresses()).contains("inet " + VIP + "/24 brd 192.0.2.255").contains(IF1 + ":0");
        assertThat(run(runner, res, Action.STATUS).result()).isEqualTo(OpResult.RUNNING);

        AgentOutcome stop = run(runner, res, Action.STOP);
        assertThat(stop.result()).as("%s", texts(stop)).isEqualTo(OpResult.OK);
        assertThat(addresses()).doesNotContain(VIP);
        assertThat(run(runner, res, Action.STATUS).result()).isEqualTo(OpResult.NOT_RUNNING);
    }

    @Test
    void heartbeats_resource_d_ipaddr2_works_as_installed() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/etc/ha.d/resource.d/IPaddr2")), "heartbeat's resource.d/IPaddr2 is not installed");
        AgentRunner runner = runner(true);
        String res = "IPaddr2::" + VIP + "/24/" + IF1;
        assertThat(run(runner, res, Action.STATUS).result()).isEqualTo(OpResult.NOT_RUNNING);
        AgentOutcome start = run(runner, res, Action.START);
        assertThat(start.result()).as("%s", texts(start)).isEqualTo(OpResult.OK);
        assertThat(addresses()).contains("inet " + VIP + "/24");
        assertThat(run(runner, res, Action.STATUS).result()).isEqualTo(OpResult.RUNNING);
        AgentOutcome stop = run(runner, res, Action.STOP);
        assertThat(stop.result()).as("%s", texts(stop)).isEqualTo(OpResult.OK);
        assertThat(addresses()).doesNotContain(VIP);
        assertThat(run(runner, res, Action.STATUS).result()).isEqualTo(OpResult.NOT_RUNNING);
    }

    @Test
    void builtin_ipaddr_adds_a_labelled_vip_announces_it_and_removes_it() throws Exception {
        AgentRunner runner = runner(false);
        String res = "IPaddr::" + VIP + "/24/" + IF1;
        // the neighbour has a stale entry for the VIP pointing elsewhere: the gratuitous ARP must correct it
        Cmd.inNs(NS2, "ip", "neigh", "replace", VIP, "lladdr", "02:00:00:00:00:99", "dev", IF2, "nud", "stale");
        String mac = Cmd.inNs(NS1, "cat", "/sys/class/net/" + IF1 + "/address").trim();

        assertThat(run(runner, res, Action.STATUS).result()).isEqualTo(OpResult.NOT_RUNNING);
        AgentOutcome start = run(runner, res, Action.START);
        assertThat(start.result()).as("%s", texts(start)).isEqualTo(OpResult.OK);
        assertThat(texts(start)).contains("info: Running builtin:IPaddr " + VIP + "/24/" + IF1 + " start");
        assertThat(addresses()).contains("inet " + VIP + "/24 brd 192.0.2.255 scope global secondary " + IF1 + ":0");
        assertThat(run(runner, res, Action.STATUS).result()).isEqualTo(OpResult.RUNNING);
        Poll.until(Duration.ofSeconds(10), "the neighbour's ARP entry for the VIP to point at " + mac,
                () -> Cmd.inNs(NS2, "ip", "neigh", "show", VIP, "dev", IF2).contains(mac));
        AgentOutcome again = run(runner, res, Action.START);
        assertThat(again.result()).isEqualTo(OpResult.OK);

        AgentOutcome stop = run(runner, res, Action.STOP);
        assertThat(stop.result()).as("%s", texts(stop)).isEqualTo(OpResult.OK);
        assertThat(addresses()).doesNotContain(VIP);
        assertThat(run(runner, res, Action.STATUS).result()).isEqualTo(OpResult.NOT_RUNNING);
        assertThat(run(runner, res, Action.STOP).result()).as("stop of a stopped VIP").isEqualTo(OpResult.OK);
    }

    @Test
    void builtin_takes_the_next_free_label_and_finds_interface_and_netmask() throws Exception {
        AgentRunner runner = runner(false);
        Cmd.inNs(NS1, "ip", "addr", "add", "192.0.2.50/24", "dev", IF1, "label", IF1 + ":0");
        String res = "192.0.2.101";
        assertThat(run(runner, res, Action.START).result()).isEqualTo(OpResult.OK);
        assertThat(addresses()).contains("inet 192.0.2.101/24 brd 192.0.2.255 scope global secondary " + IF1 + ":1");
        assertThat(run(runner, res, Action.STATUS).result()).isEqualTo(OpResult.RUNNING);
        assertThat(run(runner, res, Action.STOP).result()).isEqualTo(OpResult.OK);
        assertThat(addresses()).doesNotContain("192.0.2.101").contains("192.0.2.50");
    }

    @Test
    void builtin_refuses_an_address_outside_every_network_and_bad_arguments() throws Exception {
        AgentRunner runner = runner(false);
        AgentOutcome off = run(runner, "IPaddr::198.51.100.7", Action.START);
        assertThat(off.result()).isEqualTo(OpResult.FAILED);
        assertThat(texts(off)).anyMatch(l -> l.contains("no interface has a network containing 198.51.100.7"));
        AgentOutcome bad = run(runner, "IPaddr::192.0.2.300/24", Action.START);
        assertThat(bad.result()).isEqualTo(OpResult.FAILED);
        assertThat(texts(bad)).anyMatch(l -> l.contains("bad address [192.0.2.300]"))
                .contains("ERROR: Return code 2 from builtin:IPaddr");
        assertThat(run(runner, "IPaddr::192.0.2.300/24", Action.STATUS).result()).isEqualTo(OpResult.FAILED);
        assertThat(AgentLookup.resolve("IPaddr::" + VIP, p -> false).kind()).isEqualTo(AgentKind.BUILTIN);
        assertThat(addresses()).doesNotContain("198.51.100.7");
    }
}
