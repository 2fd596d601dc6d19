package io.tandem.interop;

import static io.tandem.lab.TandemNodes.fetch;
import static io.tandem.lab.TandemNodes.holds;
import static io.tandem.lab.TandemNodes.tandem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.lab.ExecResult;
import io.tandem.lab.HeartbeatConfig;
import io.tandem.lab.Lab;
import io.tandem.lab.LabProcess;
import io.tandem.lab.Poll;
import io.tandem.lab.TandemNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 4's interop proof: one real heartbeat 3.0.6 node and one Tandem node share the group
 * {@code node1 IPaddr::192.0.2.1/24/eth0 apache2} and hand it over in both directions on
 * {@code hb_standby}, on a graceful stop and on a crash, with the client fetching the page at the
 * VIP after every move and a sampler checking that the VIP is never on both nodes.
 */
class MixedClusterHandoverTest {
    private static final String HB = "node1";
    private static final String TANDEM = "node2";
    private static final String VIP = "192.0.2.1";
    private static final String HB_STANDBY = "/usr/share/heartbeat/hb_standby";
    private static Lab lab;
    private static HeartbeatConfig cfg;

    @BeforeAll
    static void up() {
        assumeTrue(Lab.unavailable().isEmpty(), () -> "skipped: " + Lab.unavailable().orElse(""));
        assumeTrue(Lab.heartbeatUnavailable().isEmpty(), () -> "skipped: " + Lab.heartbeatUnavailable().orElse(""));
        assumeTrue(Files.isExecutable(Path.of("/etc/init.d/apache2")), "skipped: apache2 is not installed");
        lab = Lab.start("tmh", HB, TANDEM);
        cfg = HeartbeatConfig.fastBcast(List.of(HB, TANDEM), "eth1", 694)
                .withHaresources("node1 IPaddr::192.0.2.1/24/eth0 apache2\n");
        lab.writeHeartbeatConfig(HB, cfg);
        lab.writeHeartbeatConfig(TANDEM, cfg);
        TandemNodes.installApache(lab, HB);
        TandemNodes.installApache(lab, TANDEM);
        try {
            // Tandem's monitoring settings; heartbeat never reads this file
            Files.writeString(lab.path(TANDEM, "/etc/ha.d/tandem-monitor.cf"), "resource apache2 interval=1s\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void theGroupMovesBothWaysOnStandbyStopAndCrash() {
        List<String> bothHeld = new CopyOnWriteArrayList<>();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                if (holds(lab, HB, VIP) && holds(lab, TANDEM, VIP)) {
                    bothHeld.add(java.time.Instant.now().toString());
                }
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000); // sampling period
            }
        }, "vip-sampler");
        sampler.start();
        LabProcess tandem = null;
        try {
            step("heartbeat starts alone on node1", () -> lab.startHeartbeat(HB, cfg), HB);
            tandem = TandemNodes.run(lab, TANDEM);
            Poll.untilOrElse(Duration.ofSeconds(30), () -> "active".equals(lab.clStatus(HB, "nodestatus", TANDEM).out())
                    && "active".equals(tandem(lab, TANDEM, "cl_status", "nodestatus", HB).out()), () -> "no mixed cluster\n" + logs());
            assertThat(fetch(lab, VIP)).as("joining leaves the group where it is").isEqualTo(HB);
            settled(HB); // heartbeat refuses hb_standby while the resources are "in flux"

            step("hb_standby on heartbeat: to Tandem", () -> ok(lab.exec(HB, Duration.ofSeconds(20), HB_STANDBY)), TANDEM);
            settled(TANDEM);
            step("hb_standby on Tandem: to heartbeat", () -> ok(tandem(lab, TANDEM, "hb_standby")), HB);
            settled(HB);
            step("heartbeat -k: to Tandem", () -> lab.stopHeartbeat(HB), TANDEM);
            assertThat(holds(lab, HB, VIP)).isFalse();

            step("heartbeat back (stays with Tandem)", () -> lab.startHeartbeat(HB, cfg), TANDEM);
            Poll.untilOrElse(Duration.ofSeconds(30), () -> "active".equals(lab.clStatus(HB, "nodestatus", TANDEM).out()),
                    () -> "heartbeat did not rejoin\n" + logs());
            settled(TANDEM);
            LabProcess t = tandem;
            step("tandem stop: to heartbeat", () -> {
                ok(tandem(lab, TANDEM, "stop"));
                Poll.until(Duration.ofSeconds(30), "the Tandem daemon to exit", () -> !t.isAlive());
            }, HB);
            assertThat(lab.pids(TANDEM, "apache2")).isEmpty();

            tandem = TandemNodes.run(lab, TANDEM);
            Poll.untilOrElse(Duration.ofSeconds(30), () -> "active".equals(tandem(lab, TANDEM, "cl_status", "nodestatus", HB).out()),
                    () -> "Tandem did not rejoin\n" + logs());
            settled(HB); // Tandem is past comm-up and the negotiation: a crash now is timed by deadtime, not initdead
            step("heartbeat node powered off: Tandem takes over", () -> powerOff(HB), TANDEM);

            powerOn(HB);
            step("heartbeat back after the crash", () -> lab.startHeartbeat(HB, cfg), TANDEM);
            Poll.untilOrElse(Duration.ofSeconds(30), () -> "active".equals(lab.clStatus(HB, "nodestatus", TANDEM).out()),
                    () -> "heartbeat did not rejoin after the crash\n" + logs());
            settled(TANDEM);

            // monitoring: apache2 dies on the Tandem node and cannot start there again; Tandem hands the group
            // over with the standby handshake, which heartbeat understands as an ordinary hb_standby
            step("apache2 killed and broken on Tandem: to heartbeat", () -> {
                TandemNodes.breakApache(lab, TANDEM);
                TandemNodes.killApache(lab, TANDEM);
            }, HB);
            Poll.untilOrElse(Duration.ofSeconds(20), () -> lab.haLog(HB).contains("standby: acquire [foreign] resources from " + TANDEM),
                    () -> "heartbeat did not take the group as a standby\n" + logs());
            assertThat(lab.haLog(TANDEM)).contains("leaves this node: start of apache2 failed. Asking " + HB + " to take [foreign].");
            assertThat(MixedClusterMembershipTest.complaints(lab.haLog(HB))).as("heartbeat's complaints").isEmpty();
            // Tandem gave its [foreign] set (heartbeat's group): each node now holds its own set, stable
            Poll.untilOrElse(Duration.ofSeconds(30), () -> rscstatus(HB).equals("local") && rscstatus(TANDEM).equals("local"),
                    () -> "not settled after the monitor hand-over: " + rscstatus(HB) + "/" + rscstatus(TANDEM) + "\n" + logs());
            TandemNodes.repairApache(lab, TANDEM);
            ok(tandem(lab, TANDEM, "cleanup", "apache2"));
            step("hb_standby on heartbeat after cleanup: to Tandem", () -> ok(lab.exec(HB, Duration.ofSeconds(20), HB_STANDBY)), TANDEM);
            settled(TANDEM);

            step("Tandem node powered off: heartbeat takes over", () -> powerOff(TANDEM), HB);
        } finally {
            sampling.set(false);
            if (tandem != null) {
                tandem.close();
            }
            System.out.println("=== mixed cluster hand-over logs\n" + logs());
        }
        assertThat(bothHeld).as("moments where both nodes held the VIP").isEmpty();
    }

    /** Waits until both nodes report a settled resource state: {@code owner} holds all, the other none. */
    private static void settled(String owner) {
        String other = owner.equals(HB) ? TANDEM : HB;
        Poll.untilOrElse(Duration.ofSeconds(40), () -> "all".equals(rscstatus(owner)) && "none".equals(rscstatus(other)),
                () -> "resources did not settle on " + owner + ": " + rscstatus(HB) + "/" + rscstatus(TANDEM) + "\n" + logs());
    }

    private static String rscstatus(String node) {
        return node.equals(HB) ? lab.clStatus(HB, "rscstatus").out() : tandem(lab, TANDEM, "cl_status", "rscstatus").out();
    }

    /** Links down, every process killed, the VIP gone with the machine. */
    private static void powerOff(String node) {
        lab.setLink(node, "eth0", false);
        lab.setLink(node, "eth1", false);
        lab.pids(node).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        lab.ip(node, "addr", "del", VIP + "/24", "dev", "eth0");
        Poll.until(Duration.ofSeconds(10), "processes of " + node + " to die", () -> lab.pids(node).isEmpty());
    }

    private static void powerOn(String node) {
        lab.setLink(node, "eth0", true);
        lab.setLink(node, "eth1", true);
        lab.ip(node, "route", "replace", "default", "via", Lab.GATEWAY_ADDRESS);
    }

    private static void step(String what, Runnable action, String expectedServer) {
        long t0 = System.nanoTime();
        action.run();
        Poll.untilOrElse(Duration.ofSeconds(60), () -> fetch(lab, VIP).equals(expectedServer),
                () -> what + ": the VIP is not served by " + expectedServer + " (got '" + fetch(lab, VIP) + "')\n" + logs());
        System.out.printf("step %-48s -> %s serves after %d ms%n", what, expectedServer, (System.nanoTime() - t0) / 1_000_000);
    }

    private static void ok(ExecResult r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    private static String logs() {
        return "--- node1 (heartbeat 3.0.6) ha-log:\n" + lab.haLog(HB) + "--- node2 (Tandem) ha-log:\n" + lab.haLog(TANDEM);
    }
}
