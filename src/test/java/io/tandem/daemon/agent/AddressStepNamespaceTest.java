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
import java.util.HashMap;
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
 * The fast address step ({@link AddressStep}) with heartbeat's real resource.d/IPaddr (resource-agents'
 * OCF IPaddr) in a real network namespace: the step adds the address as the script would name it, announces
 * it with the script's send_arp (a neighbour namespace's stale ARP entry is corrected), the script's start
 * finds it and succeeds, its status reports it, its stop kills the send_arp; the step's stop removes the
 * address and the lock link first. The scripts' state directory ({@code HA_RSCTMP}) is a temporary one,
 * shared by step and script. Lab prefix {@code fa}, TEST-NET-1 only.
 */
class AddressStepNamespaceTest {
    private static final String NS1 = "fa-as1";
    private static final String NS2 = "fa-as2";
    private static final String IF1 = "fa-as1v";
    private static final String IF2 = "fa-as2v";
    private static final String VIP = "192.0.2.100";
    private static final String RES = "IPaddr::" + VIP + "/24/" + IF1;

    private static ProcessRunner processes;

    @TempDir
    Path rsctmp;

    @BeforeAll
    static void createNamespaces() {
        assumeTrue(Cmd.isRoot(), "needs root to create network namespaces");
        assumeTrue(Cmd.available("ip"), "needs iproute2");
        assumeTrue(Files.isExecutable(Path.of("/etc/ha.d/resource.d/IPaddr")), "heartbeat's resource.d/IPaddr is not installed");
        assumeTrue(Files.isExecutable(Path.of(AddressStep.SEND_ARP)), "resource-agents' send_arp is not installed");
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
    void removeVip() {
        Cmd.tryRun("ip", "netns", "exec", NS1, "ip", "addr", "del", VIP + "/24", "dev", IF1);
    }

    private AgentRunner runner(boolean step) {
        List<String> prefix = List.of("ip", "netns", "exec", NS1);
        Map<String, String> env = new HashMap<>(AgentRunner.heartbeatEnvironment("node1", null, null, null));
        env.put("HA_RSCTMP", rsctmp.toString());
        return new AgentRunner(processes, AgentLookup.standard(), new FileAgentCatalog(), env, prefix,
                step ? new AddressStep(processes, prefix, rsctmp, AddressStep.SEND_ARP, "/nonexistent") : null);
    }

    private static AgentOutcome run(AgentRunner runner, Action action) throws Exception {
        return runner.run(new ResourceOp("g", RES, action)).get(60, TimeUnit.SECONDS);
    }

    private static List<String> texts(AgentOutcome o) {
        return o.log().stream().map(l -> l.level().word() + ": " + l.text()).toList();
    }

    private static String addresses() {
        return Cmd.inNs(NS1, "ip", "-o", "-4", "addr", "show", "dev", IF1);
    }

    @Test
    void the_step_adds_and_announces_the_address_and_the_real_script_agrees_at_every_operation() throws Exception {
        AgentRunner runner = runner(true);
        Cmd.inNs(NS2, "ip", "neigh", "replace", VIP, "lladdr", "02:00:00:00:00:99", "dev", IF2, "nud", "stale");
        String mac = Cmd.inNs(NS1, "cat", "/sys/class/net/" + IF1 + "/address").trim();
        assertThat(run(runner, Action.STATUS).result()).isEqualTo(OpResult.NOT_RUNNING);

        AgentOutcome start = run(runner, Action.START);
        assertThat(start.result()).as("%s", texts(start)).isEqualTo(OpResult.OK);
        assertThat(texts(start)).containsSubsequence("info: Running /etc/ha.d/resource.d/IPaddr " + VIP + "/24/" + IF1 + " start",
                "info: Fast address step: ip addr add " + VIP + "/24 brd 192.0.2.255 dev " + IF1 + " label " + IF1 + ":0",
                "debug: /etc/ha.d/resource.d/IPaddr " + VIP + "/24/" + IF1 + " start done. RC=0");
        assertThat(addresses()).contains("inet " + VIP + "/24 brd 192.0.2.255 scope global secondary " + IF1 + ":0");
        assertThat(rsctmp.resolve("IPaddr-" + IF1 + ":0")).as("IPaddr's lock link, as its start makes it").exists();
        Poll.until(Duration.ofSeconds(10), "send_arp's pid file", () -> Files.exists(rsctmp.resolve("send_arp-" + VIP)));
        Poll.until(Duration.ofSeconds(10), "the neighbour's ARP entry for the VIP to point at " + mac,
                () -> Cmd.inNs(NS2, "ip", "neigh", "show", VIP, "dev", IF2).contains(mac));
        // the script's status (its monitor) finds the address the step added
        assertThat(run(runner, Action.STATUS).result()).isEqualTo(OpResult.RUNNING);
        // a second start: the address is there, the step leaves it to the script, which says it runs
        AgentOutcome again = run(runner, Action.START);
        assertThat(again.result()).isEqualTo(OpResult.OK);
        assertThat(texts(again)).noneMatch(l -> l.contains("Fast address step"));
        assertThat(addresses().lines().filter(l -> l.contains(VIP)).count()).isEqualTo(1);

        String sendArpPid = Files.readString(rsctmp.resolve("send_arp-" + VIP)).strip();
        AgentOutcome stop = run(runner, Action.STOP);
        assertThat(stop.result()).as("%s", texts(stop)).isEqualTo(OpResult.OK);
        assertThat(texts(stop)).contains("info: Fast address step: ip addr del " + VIP + "/24 dev " + IF1);
        assertThat(addresses()).doesNotContain(VIP);
        assertThat(rsctmp.resolve("IPaddr-" + IF1 + ":0")).doesNotExist();
        assertThat(rsctmp.resolve("send_arp-" + VIP)).as("the script's stop killed send_arp by its pid file").doesNotExist();
        Poll.until(Duration.ofSeconds(10), "send_arp " + sendArpPid + " to end",
                () -> ProcessHandle.of(Long.parseLong(sendArpPid)).map(p -> !p.isAlive()).orElse(true));
        assertThat(run(runner, Action.STATUS).result()).isEqualTo(OpResult.NOT_RUNNING);
        assertThat(run(runner, Action.STOP).result()).as("stop of a stopped address").isEqualTo(OpResult.OK);

        // started again: the same label, as the script would choose
        assertThat(run(runner, Action.START).result()).isEqualTo(OpResult.OK);
        assertThat(addresses()).contains(IF1 + ":0");
        assertThat(run(runner, Action.STOP).result()).isEqualTo(OpResult.OK);
    }

    @Test
    void an_address_the_script_added_itself_is_released_by_the_step_and_its_lock_link_removed() throws Exception {
        AgentOutcome byScript = run(runner(false), Action.START);
        assertThat(byScript.result()).as("%s", texts(byScript)).isEqualTo(OpResult.OK);
        assertThat(addresses()).contains(IF1 + ":0");
        assertThat(rsctmp.resolve("IPaddr-" + IF1 + ":0")).exists();
        AgentOutcome stop = run(runner(true), Action.STOP);
        assertThat(stop.result()).as("%s", texts(stop)).isEqualTo(OpResult.OK);
        assertThat(texts(stop)).contains("info: Fast address step: ip addr del " + VIP + "/24 dev " + IF1);
        assertThat(addresses()).doesNotContain(VIP);
        assertThat(rsctmp.resolve("IPaddr-" + IF1 + ":0")).doesNotExist();
        assertThat(rsctmp.resolve("send_arp-" + VIP)).doesNotExist();
    }

    @Test
    void a_status_outside_monitoring_is_answered_without_the_script_only_while_the_address_is_on_no_interface() throws Exception {
        AgentRunner runner = runner(true);
        AgentOutcome absent = run(runner, Action.STATUS);
        assertThat(absent.result()).isEqualTo(OpResult.NOT_RUNNING);
        assertThat(texts(absent)).contains("debug: Fast address step: " + VIP + " is on no interface: " + RES + " is stopped (status without the script)")
                .noneMatch(l -> l.contains("done. RC="));
        // a monitor check (its own time limit) always asks the script
        AgentOutcome monitor = runner.run(new ResourceOp("g", RES, Action.STATUS, 20_000)).get(60, TimeUnit.SECONDS);
        assertThat(monitor.result()).isEqualTo(OpResult.NOT_RUNNING);
        assertThat(texts(monitor)).anyMatch(l -> l.endsWith(" status done. RC=7")).noneMatch(l -> l.contains("Fast address step"));
        // the address on the interface, unlabelled (IPaddr does not manage it): the script answers, as it always did
        Cmd.inNs(NS1, "ip", "addr", "add", VIP + "/24", "dev", IF1);
        AgentOutcome present = run(runner, Action.STATUS);
        assertThat(texts(present)).anyMatch(l -> l.contains(" status done. RC=")).noneMatch(l -> l.contains("Fast address step"));
        assertThat(present.result()).isEqualTo(run(runner(false), Action.STATUS).result());
    }

    @Test
    void an_unlabelled_address_is_left_to_the_script_which_does_not_manage_it() throws Exception {
        Cmd.inNs(NS1, "ip", "addr", "add", VIP + "/24", "dev", IF1);
        AgentOutcome stop = run(runner(true), Action.STOP);
        assertThat(stop.result()).as("%s", texts(stop)).isEqualTo(OpResult.OK);
        assertThat(texts(stop)).noneMatch(l -> l.contains("Fast address step"));
        assertThat(addresses()).as("IPaddr only manages its aliases").contains(VIP);
    }
}
