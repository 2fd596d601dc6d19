package io.tandem.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fence device's periodic status check with cluster-glue's real {@code stonith -S} and the lab PDU
 * ({@link FencePdu}, installed as {@code external/fenlab-pdu-fck}), and a SIGHUP reload of tandem.cf: one
 * Tandem node, the PDU and the ping node on the public LAN's gateway, tandem.cf asking for a check every
 * second. The PDU's status answer fails and recovers: one ERROR line, {@code tandem status} says why while
 * it fails, a recovery line; then tandem.cf turns the check and the ping-node tiebreak off and sets the
 * fence delay, and SIGHUP applies it to the running daemon.
 */
class FenceCheckLabTest {
    private static final Duration UP = Duration.ofSeconds(60);

    private Lab lab;
    private FencePdu pdu;
    private LabProcess daemon;

    @BeforeEach
    void startLab() throws Exception {
        assumeTrue(Lab.unavailable().isEmpty(), () -> "skipped: " + Lab.unavailable().orElse(""));
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/stonith")), "skipped: cluster-glue's stonith command is not installed");
        lab = Lab.start("fck", "node1");
        pdu = FencePdu.start(lab, "fenlab-pdu-fck");
        HeartbeatConfig c = HeartbeatConfig.fastBcast(lab.nodes(), "eth1", 694);
        TandemNodes.configure(lab, "node1", c.haCf() + "ping " + Lab.GATEWAY_ADDRESS + "\n"
                + pdu.stonithHost(lab.nodes(), Lab.GATEWAY_ADDRESS), c.authkeys(), "");
        Files.writeString(lab.path("node1", "/etc/ha.d/tandem.cf"), "# Tandem's own settings\nstonith_check_interval 1\n");
        daemon = TandemNodes.run(lab, "node1");
    }

    @AfterEach
    void stopLab() {
        if (daemon != null) {
            daemon.close();
        }
        if (pdu != null) {
            pdu.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    private String device() {
        return "Fencing device " + pdu.type();
    }

    private long count(String text) {
        return lab.haLog("node1").lines().filter(l -> l.contains(text)).count();
    }

    @Test
    void a_failing_status_is_logged_once_shown_and_cleared_and_sighup_applies_tandem_cf() throws Exception {
        Poll.untilOrElse(UP, () -> lab.haLog("node1").contains("info: " + device() + ": status OK."),
                () -> "no first device check\n" + lab.haLog("node1") + "\nPDU: " + pdu.statusLog);
        assertThat(TandemNodes.bin(lab, "node1", "tandem", "status").out()).contains("fencing device " + pdu.type() + ": status OK");
        assertThat(TandemNodes.bin(lab, "node1", "tandem", "status", "--json").out()).contains("\"tiebreak\":{\"active\":true");

        // the PDU's management board stops answering
        pdu.statusBroken = true;
        long brokenAt = System.nanoTime();
        Poll.untilOrElse(UP, () -> count("ERROR: " + device() + ": status failed: ") == 1,
                () -> "the failing device was not logged\n" + lab.haLog("node1"));
        System.out.printf("device check: failure logged %d ms after the PDU stopped answering (interval 1 s)%n",
                (System.nanoTime() - brokenAt) / 1_000_000);
        assertThat(lab.haLog("node1")).contains("status failed: stonith -t " + pdu.type() + " -S exited with status ",
                "fenlab-pdu: PDU refused: error management board not responding");
        int refusedBefore = (int) pdu.statusLog.stream().filter(s -> s.equals("status refused")).count();
        Poll.untilOrElse(UP, () -> pdu.statusLog.stream().filter(s -> s.equals("status refused")).count() >= refusedBefore + 3,
                () -> "the device was not checked again\n" + pdu.statusLog);
        assertThat(count(device() + ": status failed: ")).as("logged once, not at every check").isEqualTo(1);
        ExecResult status = TandemNodes.bin(lab, "node1", "tandem", "status");
        assertThat(status.out()).contains("  fencing device " + pdu.type() + ": status failed: stonith -t " + pdu.type() + " -S exited",
                "error management board not responding (checked every 1s, last ");
        assertThat(TandemNodes.bin(lab, "node1", "tandem", "status", "--json").out()).contains("\"check\":{\"health\":\"failed\"");
        System.out.println("device check: status while the PDU's status fails:\n" + status.out());

        // it answers again
        pdu.statusBroken = false;
        Poll.untilOrElse(UP, () -> count("info: " + device() + ": status OK again (it failed for ") == 1,
                () -> "no recovery logged\n" + lab.haLog("node1"));
        assertThat(TandemNodes.bin(lab, "node1", "tandem", "status").out()).contains("fencing device " + pdu.type() + ": status OK")
                .doesNotContain("status failed");

        // tandem.cf changed, then SIGHUP: no more checks, the tiebreak off, another fence delay
        Files.writeString(lab.path("node1", "/etc/ha.d/tandem.cf"), "stonith_check_interval 0\nfence_delay 3\nping_tiebreak off\n");
        long pid = daemonPid();
        assertThat(new ProcessBuilder("kill", "-HUP", Long.toString(pid)).inheritIO().start().waitFor()).isZero();
        Poll.untilOrElse(UP, () -> lab.haLog("node1").contains("Configuration reloaded: tandem.cf."),
                () -> "SIGHUP did not reload\n" + lab.haLog("node1"));
        assertThat(lab.haLog("node1")).contains("info: Fencing settings now: fence_delay 3 s, stonith_failure_takeover no, device"
                + " status not checked (reload).", "info: " + device() + ": status no longer checked.",
                "ipfail(default)[", "info: Ping-node tiebreak off (reload).");
        ExecResult after = TandemNodes.bin(lab, "node1", "tandem", "status", "--json");
        assertThat(after.out()).contains("\"tiebreak\":{\"active\":false").doesNotContain("\"check\":");
        int checks = pdu.statusLog.size();
        LockSupport.parkNanos(Duration.ofSeconds(4).toNanos());
        assertThat(pdu.statusLog.size()).as("status checks after the reload turned them off").isLessThanOrEqualTo(checks + 1);
    }

    private long daemonPid() {
        // the oldest JVM of the node: the daemon (a tandem command's JVM may come and go)
        return lab.pids("node1", "java").stream().min(java.util.Comparator.comparing((Long p) -> ProcessHandle.of(p)
                .flatMap(h -> h.info().startInstant()).orElse(java.time.Instant.MAX))).orElseThrow(() -> new AssertionError("no daemon"));
    }
}
