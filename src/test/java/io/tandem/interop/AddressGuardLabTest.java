package io.tandem.interop;

import static io.tandem.lab.TandemNodes.fetch;
import static io.tandem.lab.TandemNodes.holds;
import static io.tandem.lab.TandemNodes.tandem;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.lab.ExecResult;
import io.tandem.lab.Lab;
import io.tandem.lab.Poll;
import io.tandem.lab.PageClient;
import io.tandem.lab.TandemNodes;
import io.tandem.lab.VipSampler;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The duplicate-address guard and healing (docs/split-brain.md) on two Tandem nodes in the namespace
 * lab, with the real IPaddr script, Debian's apache2 and fast timers (keepalive 200 ms, deadtime 1 s):
 * (a) node2's heartbeat link is down for 20 s while the public LAN works; (b) the owner's daemon is
 * frozen (SIGSTOP) for three deadtimes and resumed. A sampler looks at the VIP in both nodes every
 * ~50 ms, a client fetches the page every ~200 ms. The figures are printed; the asserts are about
 * what happened, never about how fast.
 */
class AddressGuardLabTest {
    private static final String N1 = "node1";
    private static final String N2 = "node2";
    private static final String VIP = "192.0.2.1";
    private static final String GROUP = "IPaddr::192.0.2.1/24/eth0";
    private static final String HA_CF = "logfile /var/log/ha-log\nkeepalive 200ms\ndeadtime 1\nwarntime 500ms\ninitdead 5\n"
            + "udpport 694\nbcast eth1\nauto_failback off\nnode node1\nnode node2\n";
    private static final long DEADTIME_MS = 1_000;
    private static Lab lab;

    @BeforeAll
    static void up() throws IOException {
        lab = TandemNodes.apachePair("grd", HA_CF, "auth 1\n1 md5 guard-lab-key\n", "node1 " + GROUP + " apache2\n");
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void a_cut_heartbeat_link_and_a_frozen_owner_never_put_the_vip_on_both_nodes() throws Exception {
        try {
            List.of(N1, N2).parallelStream().forEach(n -> ok(tandem(lab, n, "start")));
            Poll.untilOrElse(Duration.ofSeconds(60), () -> fetch(lab, VIP).contains(N1), () -> "node1 never served\n" + logs());
            settled();

            // (a) node2's heartbeat link down for 20 s, the public LAN working
            int n2LogBefore = lab.haLog(N2).length();
            try (VipSampler sampler = new VipSampler(lab, N1, N2, VIP, 50); PageClient client = new PageClient(lab, VIP, N2, 200)) {
                lab.setLink(N2, "eth1", false);
                Poll.untilOrElse(Duration.ofSeconds(20), () -> lab.haLog(N2).substring(n2LogBefore).contains("is in use by"),
                        () -> "node2 never probed the VIP\n" + logs());
                Poll.untilOrElse(Duration.ofSeconds(10), () -> tandem(lab, N2, "status").out().contains("address in use by"),
                        () -> "node2's status does not say the address is in use\n" + tandem(lab, N2, "status").out());
                assertThat(tandem(lab, N2, "status", "--json").out()).contains("\"state\":\"address in use by ");
                LockSupport.parkNanos(Duration.ofSeconds(20).toNanos());
                long healedAt = System.nanoTime();
                lab.setLink(N2, "eth1", true);
                settled();
                long settledMs = (System.nanoTime() - healedAt) / 1_000_000;
                long toOneMs = (Math.max(sampler.lastNotOneAt.get(), healedAt) - healedAt) / 1_000_000;
                sampler.close();
                client.close();
                System.out.printf("(a) heartbeat link of node2 down 20 s: VIP on both nodes %d ms (%d samples); client %d of %d fetches failed,"
                        + " %d answered by node2; one holder %d ms after the link came back, both nodes active and stable after %d ms%n",
                        sampler.bothMs.get(), sampler.bothSamples.get(), client.failures.get(), client.fetches.get(), client.fromWatched.get(),
                        toOneMs, settledMs);
                assertThat(sampler.bothSamples.get()).as("samples with the VIP on both nodes").isZero();
                assertThat(client.fromWatched.get()).as("fetches answered by node2").isZero();
                assertThat(client.failures.get()).as("failed fetches while node1 kept the VIP").isZero();
            }
            String n2Log = lab.haLog(N2).substring(n2LogBefore);
            assertThat(n2Log).containsPattern("CRIT: Address 192\\.0\\.2\\.1 on eth0 is in use by ([0-9a-f]{2}:){5}[0-9a-f]{2}: not adding it");
            assertThat(n2Log).doesNotContain("Giving up resources due to failure");
            assertThat(fetch(lab, VIP)).contains(N1);

            // (b) the owner's daemon frozen for three deadtimes, then resumed
            long pid = daemonPid(N1);
            int n1LogBefore = lab.haLog(N1).length();
            try (VipSampler sampler = new VipSampler(lab, N1, N2, VIP, 50); PageClient client = new PageClient(lab, VIP, N2, 200)) {
                signal("STOP", pid);
                LockSupport.parkNanos(Duration.ofMillis(3 * DEADTIME_MS).toNanos());
                long resumedAt = System.nanoTime();
                signal("CONT", pid);
                settled();
                long settledMs = (System.nanoTime() - resumedAt) / 1_000_000;
                long toOneMs = (Math.max(sampler.lastNotOneAt.get(), resumedAt) - resumedAt) / 1_000_000;
                sampler.close();
                client.close();
                System.out.printf("(b) node1's daemon frozen %d ms: VIP on both nodes %d ms (%d samples); client %d of %d fetches failed,"
                        + " %d answered by node2; one holder %d ms after the resume, both nodes active and stable after %d ms%n",
                        3 * DEADTIME_MS, sampler.bothMs.get(), sampler.bothSamples.get(), client.failures.get(), client.fetches.get(),
                        client.fromWatched.get(), toOneMs, settledMs);
                assertThat(sampler.bothSamples.get()).as("samples with the VIP on both nodes").isZero();
            }
            assertThat(lab.haLog(N1).substring(n1LogBefore) + lab.haLog(N2).substring(n2LogBefore)).contains("is in use by");
            assertThat(fetch(lab, VIP)).isNotEmpty();

            // (c) another host on the LAN claims the VIP with gratuitous ARP: node1, its home node, defends it
            String holder = holds(lab, N1, VIP) ? N1 : N2;
            int logBefore = lab.haLog(holder).length();
            ok(lab.ip(Lab.GATEWAY, "addr", "add", VIP + "/32", "dev", "eth0"));
            try {
                ok(lab.exec(Lab.GATEWAY, Duration.ofSeconds(10), "arping", "-U", "-c", "1", "-I", "eth0", "-s", VIP, VIP));
            } finally {
                ok(lab.ip(Lab.GATEWAY, "addr", "del", VIP + "/32", "dev", "eth0"));
            }
            String expected = holder.equals(N1) ? "this node is its home node and defends it." : "this node is not its home node and releases it.";
            Poll.untilOrElse(Duration.ofSeconds(10), () -> lab.haLog(holder).substring(logBefore).contains(expected),
                    () -> holder + " did not react to the gratuitous ARP\n" + logs());
            assertThat(lab.haLog(holder).substring(logBefore)).containsPattern("CRIT: Address 192\\.0\\.2\\.1 of group " + GROUP.replace(".", "\\.")
                    + " is claimed by another host \\(([0-9a-f]{2}:){5}[0-9a-f]{2}\\)");
            System.out.printf("(c) gratuitous ARP for the VIP from the gateway: %s logged \"%s\"%n", holder, expected);
        } finally {
            System.out.println("=== AddressGuardLabTest logs\n" + logs());
        }
    }

    /** One holder of the VIP, both nodes active and stable, the page served. */
    private static void settled() {
        TandemNodes.awaitSettled(lab, N1, N2, VIP, () -> logs());
    }

    private static long daemonPid(String node) {
        return io.tandem.lab.TandemNodes.daemonPid(lab, node);
    }

    private static void signal(String sig, long pid) throws IOException, InterruptedException {
        int rc = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start().waitFor();
        assertThat(rc).as("kill -" + sig + " " + pid).isZero();
    }

    private static void ok(ExecResult r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    private static String logs() {
        return "--- node1 ha-log:\n" + lab.haLog(N1) + "--- node2 ha-log:\n" + lab.haLog(N2);
    }
}
