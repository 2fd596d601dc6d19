package io.tandem.daemon.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.daemon.agent.Cmd;
import io.tandem.lab.NetnsThread;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ArpGuard}'s probes in a real network namespace ({@code apx-1}: a veth pair, TEST-NET addresses): two
 * addresses probed ahead at once (a group's two VIPs before a takeover or at start-up) run side by side, each
 * on its own thread and socket, so the second does not wait for the first's window; the one whose address the
 * other end of the pair holds is answered by that end's kernel, the other is free. The probing threads are made
 * by the test's thread after it entered the namespace (setns), and so live there too. The order of the probes'
 * beginnings and ends is asserted, never a duration: with a 2 s window, one at a time would end the first
 * before the second began.
 */
class ParallelProbeNamespaceTest {
    private static final String NS = "apx-1";
    private static final String A = "apx-a";
    private static final String B = "apx-b";

    @BeforeAll
    static void createNamespace() {
        assumeTrue(Cmd.isRoot(), "needs root to create network namespaces and raw ARP sockets");
        assumeTrue(Cmd.available("ip"), "needs iproute2");
        teardown();
        Cmd.run("ip", "netns", "add", NS);
        Cmd.inNs(NS, "ip", "link", "add", A, "type", "veth", "peer", "name", B);
        Cmd.inNs(NS, "ip", "link", "set", A, "up");
        Cmd.inNs(NS, "ip", "link", "set", B, "up");
        Cmd.inNs(NS, "ip", "addr", "add", "192.0.2.11/24", "dev", A);
        Cmd.inNs(NS, "ip", "addr", "add", "198.51.100.7/24", "dev", B);
        Cmd.inNs(NS, "ip", "addr", "add", "192.0.2.50/32", "dev", B); // B's kernel answers ARP for it (arp_ignore 0)
        Cmd.inNs(NS, "sysctl", "-q", "-w", "net.ipv4.conf.all.arp_ignore=0", "net.ipv4.conf." + B + ".arp_ignore=0");
    }

    @AfterAll
    static void teardown() {
        Cmd.tryRun("ip", "netns", "del", NS);
    }

    @Test
    void two_addresses_probed_ahead_run_side_by_side_and_each_gets_its_own_answer() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        String free = "IPaddr::192.0.2.60/24/" + A;
        String held = "IPaddr::192.0.2.50/24/" + A;
        ArpGuard.ProbeResult[] results = NetnsThread.call(NS, 60, () -> {
            try (ArpGuard guard = new ArpGuard(new ProbeSettings(true, 3, 100, 2_000), c -> { }, p -> { }, line -> order.add("began " + line))) {
                CompletableFuture<ArpGuard.ProbeResult> f1 = guard.probeAhead(free, "ahead").whenComplete((r, e) -> order.add("ended free"));
                CompletableFuture<ArpGuard.ProbeResult> f2 = guard.probeAhead(held, "ahead").whenComplete((r, e) -> order.add("ended held"));
                return new ArpGuard.ProbeResult[] {f1.get(20, TimeUnit.SECONDS), f2.get(20, TimeUnit.SECONDS)};
            }
        });
        assertThat(results[0]).as("nobody holds 192.0.2.60").isInstanceOf(ArpGuard.ProbeResult.Free.class);
        assertThat(results[1]).as("the other end of the pair holds 192.0.2.50").isInstanceOf(ArpGuard.ProbeResult.InUse.class);
        assertThat(order).as("both began before the free one's 2 s window ended").hasSize(4);
        assertThat(order.indexOf("ended free")).as("%s", order).isGreaterThan(1);
        assertThat(order.subList(0, 2)).allMatch(l -> l.startsWith("began Probing the address 192.0.2."));
    }
}
