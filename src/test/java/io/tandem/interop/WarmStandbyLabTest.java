package io.tandem.interop;

import static io.tandem.lab.TandemNodes.fetch;
import static io.tandem.lab.TandemNodes.holds;
import static io.tandem.lab.TandemNodes.tandem;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.lab.ExecResult;
import io.tandem.lab.Lab;
import io.tandem.lab.PageClient;
import io.tandem.lab.Poll;
import io.tandem.lab.TandemNodes;
import io.tandem.lab.VipSampler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Warm standby (tandem.cf {@code resource apache2 warm}, docs/ownership.md "Warm resources") with the real
 * IPaddr script and apache2 on two Tandem nodes: apache2 runs on both; {@code hb_standby} on the owner
 * moves only the address (node1 keeps apache2 running, node2's copy serves at once). A sampler looks at the
 * VIP in both nodes every ~20 ms, a client on the LAN fetches the page every ~20 ms; the client-visible gap
 * is printed (no timing assert; a failed fetch waits curl's 1 s limit, so it is an upper bound); the asserts: the VIP never on both nodes, it ends on node2, and apache2
 * was neither stopped on node1 nor started on node2 by the move (its master pid is the same on each).
 */
class WarmStandbyLabTest {
    private static final String N1 = "node1";
    private static final String N2 = "node2";
    private static final String VIP = "192.0.2.1";
    private static final String GROUP = "IPaddr::192.0.2.1/24/eth0";
    /** Tolerant timers: the machine is shared with fault campaigns. */
    private static final String HA_CF = "logfile /var/log/ha-log\nkeepalive 500ms\ndeadtime 5\nwarntime 3\ninitdead 12\n"
            + "udpport 694\nbcast eth1\nauto_failback off\nnode node1\nnode node2\n";
    private static Lab lab;

    @BeforeAll
    static void up() throws IOException {
        lab = TandemNodes.apachePair("mbb", HA_CF, "auth 1\n1 md5 warm-lab-key\n", "node1 " + GROUP + " apache2\n");
        for (String n : List.of(N1, N2)) {
            Files.writeString(lab.path(n, "/etc/ha.d/tandem.cf"), "# warm standby: apache2 serves local files\nresource apache2 warm\n");
        }
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void hb_standby_moves_only_the_address_and_the_vip_is_never_on_both_nodes() throws Exception {
        try {
            List.of(N1, N2).parallelStream().forEach(n -> ok(tandem(lab, n, "start")));
            Poll.untilOrElse(Duration.ofSeconds(120), () -> fetch(lab, VIP).contains(N1), () -> "node1 never served\n" + logs());
            TandemNodes.awaitSettled(lab, N1, N2, VIP, WarmStandbyLabTest::logs);
            Poll.untilOrElse(Duration.ofSeconds(60), () -> apachePid(N2) > 0 && lab.haLog(N2).contains("Warm standby: started apache2"),
                    () -> "node2 never ran its warm copy of apache2\n" + logs());
            ExecResult check = tandem(lab, N1, "check");
            System.out.println("mbb: tandem check on node1:\n" + check);
            assertThat(check.toString()).contains("warm", "apache2 (tandem.cf: run on both nodes, kept running on the standby node)");
            long n1Apache = apachePid(N1);
            long n2Apache = apachePid(N2);
            int n1LogBefore = lab.haLog(N1).length();
            long standbyAt;
            long servedByN2At;
            try (VipSampler sampler = new VipSampler(lab, N1, N2, VIP, 20); PageClient client = new PageClient(lab, VIP, N2, 20)) {
                LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
                standbyAt = System.nanoTime();
                ok(tandem(lab, N1, "hb_standby"));
                Poll.untilOrElse(Duration.ofSeconds(60), () -> client.fromWatched.get() > 0, () -> "node2 never served\n" + logs());
                servedByN2At = System.nanoTime();
                TandemNodes.awaitSettled(lab, N1, N2, VIP, WarmStandbyLabTest::logs);
                LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
                sampler.close();
                client.close();
                long gapMs = client.longestGapMs(standbyAt);
                System.out.printf("mbb: hb_standby with apache2 warm: client-visible gap %d ms (longest time between two served"
                        + " fetches, fetch every ~20 ms; a failed fetch waits curl's 1 s limit, so an upper bound); failed fetches %d of %d after the standby; node2 served %d ms after"
                        + " the command; VIP on both in %d of %d samples (largest sample gap %d ms)%n", gapMs,
                        client.count(client.failedAt, standbyAt), client.count(client.fetchedAt, standbyAt),
                        (servedByN2At - standbyAt) / 1_000_000, sampler.bothSamples.get(), sampler.samples.get(), sampler.maxGapMs.get());
                assertThat(sampler.bothSamples.get()).as("samples with the VIP on both nodes").isZero();
                assertThat(sampler.secondHeld.get()).isTrue();
            }
            assertThat(holds(lab, N2, VIP)).isTrue();
            assertThat(holds(lab, N1, VIP)).isFalse();
            assertThat(fetch(lab, VIP)).contains(N2);
            assertThat(lab.haLog(N1).substring(n1LogBefore)).contains("Leaving apache2 of group " + GROUP + " running: it may run on both nodes (tandem.cf)");
            assertThat(apachePid(N1)).as("apache2 kept running on node1 (the new standby)").isEqualTo(n1Apache);
            assertThat(apachePid(N2)).as("node2's warm apache2 took over, not a new one").isEqualTo(n2Apache);
        } finally {
            System.out.println("=== WarmStandbyLabTest logs\n" + logs());
        }
    }

    /** apache2's master pid in the node (its pid file, as the node sees it), or 0 when it does not run. */
    private static long apachePid(String node) {
        try {
            Path pid = lab.path(node, "/run/apache2/apache2.pid");
            if (!Files.exists(pid) || lab.pids(node, "apache2").isEmpty()) {
                return 0;
            }
            return Long.parseLong(Files.readString(pid).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static void ok(ExecResult r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    private static String logs() {
        return "--- node1 ha-log:\n" + lab.haLog(N1) + "--- node2 ha-log:\n" + lab.haLog(N2);
    }
}
