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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The seed scenario (DEVELOPERS.md, issues 5 and 6) run with Tandem's commands only, on two Tandem
 * nodes with the real IPaddr script and Debian's apache2: start node 1, start node 2, stop node 1,
 * start node 1, {@code hb_standby} on node 2, power-off of the owner. At each step the client
 * fetches the VIP, {@code cl_status} tells the truth, and a sampler checks that the VIP is never on
 * both nodes. Subclasses give the timers.
 */
abstract class SeedScenario {
    private static final String N1 = "node1";
    private static final String N2 = "node2";
    private static final String VIP = "192.0.2.1";
    static final String FAST_TIMERS = "keepalive 100ms\ndeadtime 500ms\nwarntime 300ms\ninitdead 2\n";
    static final String SEED_TIMERS = "keepalive 2\ndeadtime 15\nwarntime 10\ninitdead 60\n";
    private static final String AUTHKEYS = "auth 1\n1 md5 seed-sequence-key\n";
    private static final String HARESOURCES = "node1 IPaddr::192.0.2.1/24/eth0 apache2\n";
    private static Lab lab;

    static void up(String prefix, String timers) {
        String haCf = "logfile /var/log/ha-log\n" + timers + "udpport 694\nbcast eth1\nauto_failback off\nnode node1\nnode node2\n"
                + "ping 192.0.2.254\n";
        assumeTrue(Lab.unavailable().isEmpty(), () -> "skipped: " + Lab.unavailable().orElse(""));
        assumeTrue(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/etc/init.d/apache2")), "skipped: apache2 is not installed");
        assumeTrue(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/etc/ha.d/resource.d/IPaddr")),
                "skipped: heartbeat's IPaddr script is not installed");
        lab = Lab.start(prefix, N1, N2);
        for (String n : List.of(N1, N2)) {
            TandemNodes.configure(lab, n, haCf, AUTHKEYS, HARESOURCES);
            TandemNodes.installApache(lab, n);
        }
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
        }
    }

    /** How long a step may take: the seed timers need initdead (60 s) and deadtime (15 s) plus the scripts. */
    abstract Duration stepLimit();

    @Test
    void seedSequenceWithTandemCommandsOnly() {
        List<String> bothHeld = new CopyOnWriteArrayList<>();
        List<String> arpOwners = new CopyOnWriteArrayList<>(); // whom the gateway's ARP entry for the VIP names, changes only
        java.util.Map<String, String> macs = java.util.Map.of(mac(N1), N1, mac(N2), N2);
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                if (holds(lab, N1, VIP) && holds(lab, N2, VIP)) {
                    bothHeld.add(java.time.Instant.now().toString());
                }
                String arp = lab.ip(Lab.GATEWAY, "neigh", "show", VIP).stdout();
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("lladdr (\\S+)").matcher(arp);
                if (m.find()) {
                    String owner = macs.getOrDefault(m.group(1), m.group(1));
                    if (arpOwners.isEmpty() || !arpOwners.get(arpOwners.size() - 1).equals(owner)) {
                        arpOwners.add(owner);
                    }
                }
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000); // sampling period, not a wait for a condition
            }
        }, "vip-sampler");
        sampler.start();
        try {
            step("start node1 alone", () -> ok(tandem(lab, N1, "start")), N1);
            Poll.untilOrElse(Duration.ofSeconds(20), () -> tandem(lab, N1, "cl_status", "rscstatus").out().equals("all"),
                    () -> "node1 does not report holding all resources\n" + logs());

            step("start node2", () -> ok(tandem(lab, N2, "start")), N1);
            Poll.untilOrElse(Duration.ofSeconds(20), () -> status(N1, N2).equals("active") && status(N2, N1).equals("active"),
                    () -> "nodes do not see each other active\n" + logs());
            assertThat(fetch(lab, VIP)).isEqualTo(N1);
            String json = tandem(lab, N2, "status", "--json").out();
            assertThat(json).contains("\"node\":\"node2\",\"status\":\"active\"", "\"name\":\"node1\",\"type\":\"normal\",\"status\":\"active\"",
                    "\"name\":\"192.0.2.254\",\"type\":\"ping\",\"status\":\"ping\"", "\"owner\":\"node1\"");
            assertThat(tandem(lab, N1, "status").out()).contains("IPaddr::192.0.2.1/24/eth0", "owner node1", "running");

            // the checkout's commands, as an operator runs them (quick path, no JVM)
            step("stop node1", () -> ok(TandemNodes.bin(lab, N1, "tandem", "stop")), N2);
            assertThat(holds(lab, N1, VIP)).isFalse();
            assertThat(lab.pids(N1, "apache2")).isEmpty();

            step("start node1 again", () -> ok(tandem(lab, N1, "start")), N2);
            Poll.untilOrElse(Duration.ofSeconds(20), () -> status(N2, N1).equals("active"), () -> "node1 did not rejoin\n" + logs());
            assertThat(fetch(lab, VIP)).as("auto_failback off: node2 keeps the group").isEqualTo(N2);

            settled(N2);
            step("hb_takeover on node1", () -> ok(TandemNodes.bin(lab, N1, "hb_takeover")), N1);
            settled(N1);
            step("hb_standby on node1", () -> ok(TandemNodes.bin(lab, N1, "hb_standby", "all")), N2);
            settled(N2);
            step("hb_standby on node2", () -> ok(tandem(lab, N2, "hb_standby")), N1);
            Poll.untilOrElse(Duration.ofSeconds(20), () -> tandem(lab, N2, "cl_status", "rscstatus").out().equals("none"),
                    () -> "node2 still holds resources after hb_standby\n" + logs());

            step("node1 powered off", () -> {
                lab.setLink(N1, "eth0", false);
                lab.setLink(N1, "eth1", false);
                lab.pids(N1).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
                lab.ip(N1, "addr", "flush", "dev", "eth0"); // a machine that is off holds no address
            }, N2);
            Poll.untilOrElse(stepLimit(), () -> status(N2, N1).equals("dead"), () -> "node2 does not see node1 dead\n" + logs());
        } finally {
            sampling.set(false);
            System.out.println("=== " + getClass().getSimpleName() + " logs\n" + logs());
        }
        assertThat(bothHeld).as("moments where both nodes held the VIP").isEmpty();
        // the gateway followed every move exactly once: no flapping between the nodes
        assertThat(arpOwners).as("owners of the VIP in the gateway's ARP table, in order")
                .containsExactly(N1, N2, N1, N2, N1, N2);
    }

    private static String mac(String node) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("link/ether (\\S+)").matcher(lab.ip(node, "-o", "link", "show", "eth0").stdout());
        return m.find() ? m.group(1) : "?";
    }

    /** Both nodes report a settled state: {@code owner} holds all, the other none. */
    private static void settled(String owner) {
        String other = owner.equals(N1) ? N2 : N1;
        Poll.untilOrElse(Duration.ofSeconds(30), () -> tandem(lab, owner, "cl_status", "rscstatus").out().equals("all")
                && tandem(lab, other, "cl_status", "rscstatus").out().equals("none"), () -> "not settled on " + owner + "\n" + logs());
    }

    private void step(String what, Runnable action, String expectedServer) {
        long t0 = System.nanoTime();
        action.run();
        Poll.untilOrElse(stepLimit(), () -> fetch(lab, VIP).equals(expectedServer),
                () -> what + ": the VIP is not served by " + expectedServer + " (got '" + fetch(lab, VIP) + "')\n" + logs());
        System.out.printf("step %-22s -> %s serves after %d ms%n", what, expectedServer, (System.nanoTime() - t0) / 1_000_000);
    }

    private static void ok(ExecResult r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    private static String status(String on, String node) {
        return tandem(lab, on, "cl_status", "nodestatus", node).out();
    }

    private static String logs() {
        return "--- node1 ha-log:\n" + lab.haLog(N1) + "--- node2 ha-log:\n" + lab.haLog(N2);
    }
}
