package io.tandem.interop;

import static io.tandem.lab.TandemNodes.fetch;
import static io.tandem.lab.TandemNodes.holds;
import static io.tandem.lab.TandemNodes.tandem;
import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Probe before death (docs/split-brain.md) on two Tandem nodes in the namespace lab, with the real IPaddr
 * script, a warm apache2 and the fast profile (keepalive 100 ms, deadtime 500 ms): (a) node1's daemon is frozen
 * (SIGSTOP) while its machine keeps the VIP: node2 probes the VIP before it declares node1 dead, node1's kernel
 * answers, and node2 does not add the VIP; (b) node1 is powered off (links down, every process killed): node2
 * probes before {@code is dead} and adds the VIP after the death with no second probe (its debug file logs
 * every probe that begins). The order of the log lines is asserted, never how fast.
 */
class CrashProbeLabTest {
    private static final String N1 = "node1";
    private static final String N2 = "node2";
    private static final String VIP = "192.0.2.1";
    private static final String GROUP = "IPaddr::192.0.2.1/24/eth0";
    private static final String HA_CF = "logfile /var/log/ha-log\ndebugfile /var/log/ha-debug\nkeepalive 100ms\ndeadtime 500ms\n"
            + "warntime 300ms\ninitdead 2\nudpport 694\nbcast eth1\nauto_failback off\nnode node1\nnode node2\n";
    private static final String PRE_PROBE = "Probing the address of " + GROUP + " before the death of node1";
    private static final String DEAD = "node node1: is dead";
    /** The daemon's debug line when any probe of the VIP begins (ArpGuard). */
    private static final String A_PROBE = "Probing the address " + VIP + " on eth0";
    private static Lab lab;

    @BeforeAll
    static void up() throws IOException {
        lab = TandemNodes.apachePair("cpb", HA_CF, "auth 1\n1 md5 crash-probe-key\n", "node1 " + GROUP + " apache2\n");
        for (String n : List.of(N1, N2)) {
            Files.writeString(lab.path(n, "/etc/ha.d/tandem.cf"), "resource apache2 warm\n");
        }
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void the_vip_is_probed_before_the_owners_death_taken_at_once_after_a_power_off_and_left_to_a_frozen_owner() throws Exception {
        try {
            List.of(N1, N2).parallelStream().forEach(n -> ok(tandem(lab, n, "start")));
            Poll.untilOrElse(Duration.ofSeconds(120), () -> fetch(lab, VIP).contains(N1), () -> "node1 never served\n" + logs());
            settled();
            startedTogether();

            // (a) node1's daemon frozen, its machine keeping the VIP: the probe before death is answered
            int before = debug(N2).length();
            long pid = TandemNodes.daemonPid(lab, N1);
            try (VipSampler sampler = new VipSampler(lab, N1, N2, VIP, 20)) {
                signal("STOP", pid);
                try {
                    Poll.untilOrElse(Duration.ofSeconds(30), () -> debug(N2).substring(before).contains("CRIT: Address " + VIP + " on eth0 is in use by"),
                            () -> "node2 did not find node1's VIP\n" + logs());
                } finally {
                    signal("CONT", pid);
                }
                String d = debug(N2).substring(before);
                assertThat(d).contains(PRE_PROBE, DEAD);
                assertThat(d.indexOf(PRE_PROBE)).as("the probe begins before the death").isLessThan(d.indexOf(DEAD));
                assertThat(d).containsPattern("WARN: The address of " + GROUP.replace(".", "\\.") + " is in use by ([0-9a-f]{2}:){5}[0-9a-f]{2}"
                        + " while node1 is silent \\(probed before its death\\)");
                assertThat(d).contains("Probing the address of " + GROUP + " again before its start: the probe begun before the death of node1"
                        + " was answered.");
                settled();
                sampler.close();
                assertThat(sampler.bothSamples.get()).as("samples with the VIP on both nodes").isZero();
                assertThat(sampler.secondHeld.get()).as("node2 never added the VIP node1 kept").isFalse();
            }

            // (b) node1 powered off: probed before its death, the VIP added after it without a second probe
            int from = debug(N2).length();
            powerOff(N1);
            Poll.untilOrElse(Duration.ofSeconds(60), () -> fetch(lab, VIP).contains(N2), () -> "node2 never served\n" + logs());
            String d = debug(N2).substring(from);
            assertThat(d).contains(PRE_PROBE, DEAD);
            assertThat(d.indexOf(PRE_PROBE)).as("the probe begins before the death").isLessThan(d.indexOf(DEAD));
            assertThat(d).containsPattern("Not probing the address of " + GROUP.replace(".", "\\.") + " (again before its start: probed before"
                    + " the death of node1, nobody answered|anew before its start: taking the rest of the probe begun before the death of node1)");
            List<String> probes = d.lines().filter(l -> l.contains(A_PROBE)).toList();
            assertThat(probes).as("one probe of the VIP: the one begun before the death\n%s", d).hasSize(1);
            assertThat(probes.get(0)).contains("before the peer holding it is declared dead");
            assertThat(d.indexOf(A_PROBE)).as("that probe begins before the death").isLessThan(d.indexOf(DEAD));
            assertThat(holds(lab, N2, VIP)).isTrue();
            System.out.println("cpb: (a) the frozen owner answered the probe begun before its death, node2 left the VIP to it;"
                    + " (b) after the power-off node2 probed before the death and added the VIP without a second probe");
            System.out.println("cpb: node2 after the power-off:\n" + d.lines().filter(l -> l.contains("robing") || l.contains(DEAD)
                    || l.contains("Not probing") || l.contains("IPaddr")).reduce("", (a, b) -> a + b + "\n"));
        } finally {
            System.out.println("=== CrashProbeLabTest logs\n" + logs());
        }
    }

    /** As bench/failover's power-off: links down, every process of the node killed, the VIP gone with the machine. */
    /**
     * Both started together (probe at start-up): node1 probed the VIP of the group it prefers at its start, node2
     * (which does not prefer it) never probed it, and node1's start took that probe unless it came too late for it.
     */
    private static void startedTogether() {
        String d1 = debug(N1);
        assertThat(d1).contains("Probing the address of " + GROUP + " at start-up, for the start that follows if this node takes it.");
        assertThat(debug(N2)).as("node2 probes no address at its start-up probe's status").doesNotContain(A_PROBE);
        if (d1.contains("the probe begun at start-up is too old")) {
            return; // a slow machine: the start came more than the window + 200 ms after the probe began, and probed anew
        }
        assertThat(d1).containsPattern("Not probing the address of " + GROUP.replace(".", "\\.") + " (again before its start: probed at"
                + " start-up, nobody answered|anew before its start: taking the rest of the probe begun at start-up)");
        assertThat(d1.split(java.util.regex.Pattern.quote(A_PROBE), -1)).as("one probe of the VIP on node1 before it served\n%s", d1).hasSize(2);
    }

    private static void powerOff(String node) {
        lab.setLink(node, "eth0", false);
        lab.setLink(node, "eth1", false);
        lab.pids(node).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        lab.ip(node, "addr", "del", VIP + "/24", "dev", "eth0");
    }

    private static void settled() {
        TandemNodes.awaitSettled(lab, N1, N2, VIP, CrashProbeLabTest::logs);
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
