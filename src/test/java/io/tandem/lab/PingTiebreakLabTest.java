package io.tandem.lab;

import static io.tandem.lab.TandemNodes.holds;
import static io.tandem.lab.TandemNodes.tandem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ping-node tiebreak (docs/split-brain.md) on two Tandem nodes in the namespace lab, the lab's
 * gateway 192.0.2.254 as the ping node and a real VIP through heartbeat's IPaddr script:
 * (a) node2 loses its heartbeat link (eth1 down) and the gateway (nftables drops what it sends to it)
 * at once: it declares node1 dead but does not take the VIP, and its status says why;
 * (b) the owner node1 loses the gateway while node2 still reaches it and the heartbeat link works:
 * the VIP moves to node2 through the standby handshake. Times are printed, not asserted.
 */
class PingTiebreakLabTest {
    private static final String N1 = "node1";
    private static final String N2 = "node2";
    private static final String VIP = "192.0.2.1";
    private static final long DEADTIME_MS = 2000;
    private static final String HA_CF = "logfile /var/log/ha-log\nkeepalive 250ms\ndeadtime 2\nwarntime 1\ninitdead 6\ndeadping 2\n"
            + "udpport 694\nbcast eth1\nauto_failback off\nnode node1\nnode node2\nping " + Lab.GATEWAY_ADDRESS + "\n";
    private static Lab lab;

    @BeforeAll
    static void up() {
        assumeTrue(Lab.unavailable().isEmpty(), () -> "skipped: " + Lab.unavailable().orElse(""));
        assumeTrue(Files.isExecutable(Path.of("/etc/ha.d/resource.d/IPaddr")), "skipped: heartbeat's IPaddr script is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nft")), "skipped: nft (nftables) is not installed");
        lab = Lab.start("tbk", N1, N2);
        for (String n : List.of(N1, N2)) {
            TandemNodes.configure(lab, n, HA_CF, "auth 1\n1 md5 tiebreak-lab-key\n", "node1 IPaddr::" + VIP + "/24/eth0\n");
        }
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
        }
    }

    /** Drops (or stops dropping) everything the node sends to the gateway, inside its own namespace. */
    private static void gatewayLost(String node, boolean lost) {
        if (lost) {
            ok(lab.exec(node, Duration.ofSeconds(10), "nft", "add", "table", "inet", "tbk"));
            ok(lab.exec(node, Duration.ofSeconds(10), "nft", "add", "chain", "inet", "tbk", "out",
                    "{ type filter hook output priority 0 ; }"));
            ok(lab.exec(node, Duration.ofSeconds(10), "nft", "add", "rule", "inet", "tbk", "out", "ip", "daddr",
                    Lab.GATEWAY_ADDRESS, "drop"));
        } else {
            ok(lab.exec(node, Duration.ofSeconds(10), "nft", "delete", "table", "inet", "tbk"));
        }
    }

    @Test
    void aBlindNodeKeepsOffAndABlindOwnerHandsOver() {
        List.of(N1, N2).parallelStream().forEach(n -> ok(tandem(lab, n, "start")));
        Poll.untilOrElse(Duration.ofSeconds(60), () -> holds(lab, N1, VIP), () -> "node1 never took the VIP\n" + logs());
        Poll.untilOrElse(Duration.ofSeconds(30), () -> tandem(lab, N2, "status", "--json").out().contains("\"peer_reachable\":1")
                && tandem(lab, N1, "status", "--json").out().contains("\"peer_reachable\":1"),
                () -> "the nodes never told each other what they reach\n" + tandem(lab, N2, "status").out() + logs());

        // (a) node2 loses the heartbeat link and the gateway together
        long t0 = System.nanoTime();
        gatewayLost(N2, true);
        lab.setLink(N2, "eth1", false);
        Poll.untilOrElse(Duration.ofSeconds(30), () -> lab.haLog(N2).contains("node node1: is dead"), () -> "node2 never declared node1 dead\n" + logs());
        long deadMs = ms(t0);
        Poll.untilOrElse(Duration.ofSeconds(30), () -> tandem(lab, N2, "status").out().contains("not taking over: no ping node reachable"),
                () -> "node2's status does not say it holds back\n" + tandem(lab, N2, "status").out() + logs());
        // well past deadtime, deadping and a takeover's scripts: the VIP must still be on node1 alone
        long watchUntil = System.nanoTime() + 4 * DEADTIME_MS * 1_000_000;
        while (System.nanoTime() < watchUntil) {
            assertThat(holds(lab, N2, VIP)).as("node2 reaches no ping node and must not take the VIP").isFalse();
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000); // sampling period
        }
        assertThat(holds(lab, N1, VIP)).isTrue();
        assertThat(lab.haLog(N2)).contains("CRIT: No ping node reachable: not taking over resources of node1.");
        assertThat(lab.haLog(N2)).doesNotContain("Taking over resource group");
        assertThat(tandem(lab, N2, "status", "--json").out()).contains("\"holding_back\":\"not taking over: no ping node reachable");
        System.out.printf("(a) node2 cut off from node1 and the gateway: node1 declared dead after %d ms; the VIP stayed on node1"
                + " for %d ms after that%n", deadMs, ms(t0) - deadMs);

        // the cut mended; what two nodes that both lived through a partition do next is the healing
        // guard's business (docs/split-brain.md), so the cluster starts afresh for (b)
        lab.setLink(N2, "eth1", true);
        gatewayLost(N2, false);
        assertThat(holds(lab, N2, VIP)).isFalse();
        // both machines power-cycled (a graceful stop after a healed partition waits for a stability the
        // pair may not reach before the healing guard exists: seen in 2 of 8 runs with tandem stop)
        for (String n : List.of(N1, N2)) {
            lab.pids(n).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            Poll.until(Duration.ofSeconds(10), "processes of " + n + " to die", () -> lab.pids(n).isEmpty());
            if (holds(lab, n, VIP)) {
                lab.ip(n, "addr", "del", VIP + "/24", "dev", "eth0"); // a machine that was off holds no address
            }
            // a machine that was off has an empty /run (the killed daemon may linger as a zombie with its pid)
            var paths = io.tandem.daemon.lifecycle.DaemonPaths.defaults();
            try {
                Files.deleteIfExists(lab.path(n, paths.pidFile().toString()));
                Files.deleteIfExists(lab.path(n, paths.controlSocket().toString()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        List.of(N1, N2).parallelStream().forEach(n -> ok(tandem(lab, n, "start")));
        Poll.untilOrElse(Duration.ofSeconds(60), () -> holds(lab, N1, VIP)
                && tandem(lab, N1, "status", "--json").out().contains("\"peer_reachable\":1")
                && tandem(lab, N2, "status", "--json").out().contains("\"peer_reachable\":1")
                && tandem(lab, N2, "cl_status", "rscstatus").out().equals("local")
                && tandem(lab, N1, "cl_status", "rscstatus").out().equals("local"),
                () -> "the restarted cluster did not settle\n" + tandem(lab, N1, "status").out()
                        + tandem(lab, N2, "status").out() + logs());
        assertThat(holds(lab, N2, VIP)).isFalse();

        // (b) the owner loses the gateway; node2 reaches it and the heartbeat link works
        long t1 = System.nanoTime();
        gatewayLost(N1, true);
        Poll.untilOrElse(Duration.ofSeconds(60), () -> holds(lab, N2, VIP) && !holds(lab, N1, VIP),
                () -> "the VIP did not move to node2\n" + tandem(lab, N1, "status").out() + logs());
        long movedMs = ms(t1);
        assertThat(lab.haLog(N1)).contains("giving up resources.", "Going standby [all].");
        System.out.printf("(b) node1 cut off from the gateway: the VIP is on node2 (and off node1) after %d ms"
                + " (deadping 2000 ms + loss hold 2000 ms + the standby handshake and IPaddr)%n", movedMs);
        gatewayLost(N1, false);
        for (String n : List.of(N1, N2)) {
            ok(tandem(lab, n, "stop"));
        }
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    private static void ok(ExecResult r) {
        assertThat(r.ok()).as(r.toString()).isTrue();
    }

    private static String logs() {
        return "--- node1 ha-log ---\n" + lab.haLog(N1) + "\n--- node2 ha-log ---\n" + lab.haLog(N2);
    }
}
