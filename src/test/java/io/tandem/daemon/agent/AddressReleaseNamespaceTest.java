package io.tandem.daemon.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.daemon.process.ProcessRunner;
import io.tandem.lab.Poll;
import io.tandem.resources.Effect;
import io.tandem.resources.OpResult;
import io.tandem.resources.ResourceOp;
import io.tandem.resources.ResourceOp.Action;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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
 * The release half of the fast address step ({@link AddressStep}) with heartbeat's real IPaddr, the real
 * send_arp and arping, in a real network namespace: a stop reports the address gone
 * ({@code AgentRunner.run(op, started, addressGone)}) only once {@code ip addr del} is done, the send_arp of
 * IPaddr's pid file and the step's own arping are stopped, and the address is on no interface; before the
 * script runs. Lab prefix {@code edn}, TEST-NET-1 only.
 */
class AddressReleaseNamespaceTest {
    private static final String NS1 = "edn-ar1";
    private static final String IF1 = "edn-ar1v";
    private static final String IF2 = "edn-ar2v";
    private static final String VIP = "192.0.2.101";
    private static final String RES = "IPaddr::" + VIP + "/24/" + IF1;

    private static ProcessRunner processes;

    @TempDir
    Path rsctmp;

    @BeforeAll
    static void createNamespace() {
        assumeTrue(Cmd.isRoot(), "needs root to create network namespaces");
        assumeTrue(Cmd.available("ip"), "needs iproute2");
        assumeTrue(Files.isExecutable(Path.of("/etc/ha.d/resource.d/IPaddr")), "heartbeat's resource.d/IPaddr is not installed");
        assumeTrue(Files.isExecutable(Path.of(AddressStep.SEND_ARP)), "resource-agents' send_arp is not installed");
        assumeTrue(Files.isExecutable(Path.of(AddressStep.ARPING)), "iputils' arping is not installed");
        teardown();
        processes = new ProcessRunner(1_000);
        Cmd.run("ip", "netns", "add", NS1);
        Cmd.run("ip", "link", "add", IF1, "type", "veth", "peer", "name", IF2);
        Cmd.run("ip", "link", "set", IF1, "netns", NS1);
        Cmd.inNs(NS1, "ip", "addr", "add", "192.0.2.11/24", "dev", IF1);
        Cmd.inNs(NS1, "ip", "link", "set", "lo", "up");
        Cmd.inNs(NS1, "ip", "link", "set", IF1, "up");
    }

    @AfterAll
    static void teardown() {
        if (processes != null) {
            processes.close();
        }
        Cmd.tryRun("ip", "netns", "del", NS1);
        Cmd.tryRun("ip", "link", "del", IF2);
    }

    @BeforeEach
    @AfterEach
    void removeVip() {
        Cmd.tryRun("ip", "netns", "exec", NS1, "ip", "addr", "del", VIP + "/24", "dev", IF1);
    }

    private AgentRunner runner(String sendArp) {
        List<String> prefix = List.of("ip", "netns", "exec", NS1);
        Map<String, String> env = new HashMap<>(AgentRunner.heartbeatEnvironment("node1", null, null, null));
        env.put("HA_RSCTMP", rsctmp.toString());
        return new AgentRunner(processes, AgentLookup.standard(), new FileAgentCatalog(), env, prefix,
                new AddressStep(processes, prefix, rsctmp, sendArp, AddressStep.ARPING));
    }

    /** What was true when the runner said the address was gone. */
    private record Moment(String addresses, List<Long> aliveSenders) {
    }

    private static boolean alive(long pid) {
        return !new ArpSenders().gone(pid);
    }

    @Test
    void a_stop_says_the_address_is_gone_once_it_is_removed_and_its_send_arp_stopped_before_the_script_runs() throws Exception {
        AgentRunner runner = runner(AddressStep.SEND_ARP);
        assertThat(runner.run(new ResourceOp("g", RES, Action.START)).get(60, TimeUnit.SECONDS).result()).isEqualTo(OpResult.OK);
        Path pidFile = rsctmp.resolve("send_arp-" + VIP);
        Poll.until(Duration.ofSeconds(10), "send_arp's pid file", () -> Files.exists(pidFile));
        long sendArp = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(alive(sendArp)).as("send_arp announces the address (10 times, 500 ms apart)").isTrue();

        List<Moment> gone = Collections.synchronizedList(new ArrayList<>());
        List<String> early = Collections.synchronizedList(new ArrayList<>());
        AgentOutcome stop = runner.run(new ResourceOp("g", RES, Action.STOP), l -> early.add(l.text()),
                () -> gone.add(new Moment(Cmd.inNs(NS1, "ip", "-o", "-4", "addr", "show"), alive(sendArp) ? List.of(sendArp) : List.of())))
                .get(60, TimeUnit.SECONDS);
        assertThat(stop.result()).isEqualTo(OpResult.OK);
        assertThat(gone).as("reported once").hasSize(1);
        assertThat(gone.get(0).addresses()).as("the address is gone when reported").doesNotContain(VIP);
        assertThat(gone.get(0).aliveSenders()).as("send_arp is stopped when reported").isEmpty();
        assertThat(early).contains("Fast address step: send_arp " + sendArp + " for " + VIP + " stopped",
                "Fast address step: " + VIP + " is on no interface and no longer announced from here");
        assertThat(pidFile).doesNotExist();
        List<String> after = stop.log().stream().map(Effect.Log::text).toList();
        assertThat(after).anyMatch(l -> l.endsWith(" stop done. RC=0"));
        // a second stop: nothing to remove, nothing reported; the script answers as always
        List<Moment> again = new ArrayList<>();
        assertThat(runner.run(new ResourceOp("g", RES, Action.STOP), null, () -> again.add(null)).get(60, TimeUnit.SECONDS).result())
                .isEqualTo(OpResult.OK);
        assertThat(again).isEmpty();
    }

    @Test
    void the_steps_own_arping_is_stopped_before_the_address_counts_as_gone() throws Exception {
        AgentRunner runner = runner("/nonexistent/send_arp");
        assertThat(runner.run(new ResourceOp("g", RES, Action.START)).get(60, TimeUnit.SECONDS).result()).isEqualTo(OpResult.OK);
        ArpSenders senders = new ArpSenders();
        Poll.until(Duration.ofSeconds(10), "the step's arping", () -> !senders.ownArpings(VIP).isEmpty());
        List<List<Long>> atGone = Collections.synchronizedList(new ArrayList<>());
        AgentOutcome stop = runner.run(new ResourceOp("g", RES, Action.STOP), null, () -> atGone.add(senders.ownArpings(VIP)))
                .get(60, TimeUnit.SECONDS);
        assertThat(stop.result()).isEqualTo(OpResult.OK);
        assertThat(atGone).containsExactly(List.of());
        assertThat(stop.log().stream().map(Effect.Log::text)).anyMatch(l -> l.startsWith("Fast address step: arping ") && l.endsWith(" stopped"));
    }
}
