package io.tandem.interop;

import static io.tandem.lab.TandemNodes.fetch;
import static io.tandem.lab.TandemNodes.holds;
import static io.tandem.lab.TandemNodes.tandem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.lab.ExecResult;
import io.tandem.lab.Lab;
import io.tandem.lab.Poll;
import io.tandem.lab.TandemNodes;
import io.tandem.lab.VipSampler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Which starts of the address are probed for duplicates (docs/split-brain.md, "Not after the peer's
 * done"), on two Tandem nodes in the namespace lab with the real IPaddr script and a warm apache2: the
 * taker of {@code hb_standby} and of {@code hb_takeover} adds the VIP without the probe (its debug file
 * says so) and the VIP is never on both nodes; after a SIGKILL of the holder's daemon, which leaves the VIP
 * on its machine, the survivor's crash takeover still probes, hears the old holder's kernel answer and
 * does not add the VIP. No timing asserts.
 */
class HandOverProbeLabTest {
    private static final String N1 = "node1";
    private static final String N2 = "node2";
    private static final String VIP = "192.0.2.1";
    private static final String GROUP = "IPaddr::192.0.2.1/24/eth0";
    private static final String NOT_PROBING = "Not probing the address of " + GROUP + " before its start: the other node released it";
    /** Tolerant timers: the machine is shared with fault campaigns. */
    private static final String HA_CF = "logfile /var/log/ha-log\ndebugfile /var/log/ha-debug\nkeepalive 500ms\ndeadtime 5\nwarntime 3\n"
            + "initdead 12\nudpport 694\nbcast eth1\nauto_failback off\nnode node1\nnode node2\n";
    private static Lab lab;

    @org.junit.jupiter.api.BeforeAll
    static void up() throws IOException {
        assumeTrue(Lab.unavailable().isEmpty(), () -> "skipped: " + Lab.unavailable().orElse(""));
        assumeTrue(Files.isExecutable(Path.of("/etc/init.d/apache2")), "skipped: apache2 is not installed");
        assumeTrue(Files.isExecutable(Path.of("/etc/ha.d/resource.d/IPaddr")), "skipped: heartbeat's IPaddr script is not installed");
        lab = Lab.start("gpb", N1, N2);
        for (String n : List.of(N1, N2)) {
            TandemNodes.configure(lab, n, HA_CF, "auth 1\n1 md5 handover-probe-key\n", "node1 " + GROUP + " apache2\n");
            Files.writeString(lab.path(n, "/etc/ha.d/tandem.cf"), "resource apache2 warm\n");
            TandemNodes.installApache(lab, n);
        }
    }

    @org.junit.jupiter.api.AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
        }
    }

    @org.junit.jupiter.api.Test
    void hand_overs_add_the_vip_without_the_probe_and_a_crash_takeover_still_probes() throws Exception {
        try {
            List.of(N1, N2).parallelStream().forEach(n -> ok(tandem(lab, n, "start")));
            Poll.untilOrElse(Duration.ofSeconds(120), () -> fetch(lab, VIP).contains(N1), () -> "node1 never served\n" + logs());
            settled();
            assertThat(debug(N1)).as("node1's first acquisition (start-up) is probed").doesNotContain(NOT_PROBING);

            // hb_standby on node1: node2 takes the VIP after node1's done, without the probe
            int n2Before = debug(N2).length();
            try (VipSampler sampler = new VipSampler(lab, N1, N2, VIP, 20)) {
                ok(tandem(lab, N1, "hb_standby"));
                Poll.untilOrElse(Duration.ofSeconds(60), () -> fetch(lab, VIP).contains(N2), () -> "node2 never served\n" + logs());
                settled();
                sampler.close();
                assertThat(sampler.bothSamples.get()).as("samples with the VIP on both nodes (hb_standby)").isZero();
            }
            assertThat(debug(N2).substring(n2Before)).contains(NOT_PROBING);

            // hb_takeover on node1 (failback): node1 takes it back after node2's done, without the probe
            int n1Before = debug(N1).length();
            try (VipSampler sampler = new VipSampler(lab, N1, N2, VIP, 20)) {
                ok(tandem(lab, N1, "hb_takeover"));
                Poll.untilOrElse(Duration.ofSeconds(60), () -> fetch(lab, VIP).contains(N1), () -> "node1 never served again\n" + logs());
                settled();
                sampler.close();
                assertThat(sampler.bothSamples.get()).as("samples with the VIP on both nodes (hb_takeover)").isZero();
            }
            assertThat(debug(N1).substring(n1Before)).contains(NOT_PROBING);

            // node1's daemon killed: its VIP stays on its machine; node2's crash takeover probes and hears it
            n2Before = debug(N2).length();
            int n2LogBefore = lab.haLog(N2).length();
            long pid = TandemNodes.daemonPid(lab, N1);
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            // (the probe begun before node1's death hears it first and logs a warning; the start after the death
            // probes again, hears it again and refuses: docs/split-brain.md, "Probe before death")
            Poll.untilOrElse(Duration.ofSeconds(60), () -> lab.haLog(N2).substring(n2LogBefore).contains("CRIT: Address 192.0.2.1 on eth0 is in use by"),
                    () -> "node2 did not probe the VIP left on node1\n" + logs());
            assertThat(lab.haLog(N2).substring(n2LogBefore)).containsPattern(
                    "CRIT: Address 192\\.0\\.2\\.1 on eth0 is in use by ([0-9a-f]{2}:){5}[0-9a-f]{2}: not adding it");
            assertThat(debug(N2).substring(n2Before)).doesNotContain(NOT_PROBING);
            assertThat(holds(lab, N2, VIP)).as("node2 did not add the VIP node1's machine still has").isFalse();
            System.out.println("gpb: hb_standby and hb_takeover added the VIP without the probe; the crash takeover probed and"
                    + " found node1's leftover VIP");
        } finally {
            System.out.println("=== HandOverProbeLabTest logs\n" + logs());
        }
    }

    private static void settled() {
        TandemNodes.awaitSettled(lab, N1, N2, VIP, HandOverProbeLabTest::logs);
    }

    /** A node's debug file (every line, debug included). */
    private static String debug(String node) {
        try {
            Path p = lab.path(node, "/var/log/ha-debug");
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void ok(ExecResult r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    private static String logs() {
        return "--- node1 ha-log:\n" + lab.haLog(N1) + "--- node2 ha-log:\n" + lab.haLog(N2);
    }
}
