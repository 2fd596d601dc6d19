package io.tandem.interop;

import static io.tandem.lab.TandemNodes.fetch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.lab.ExecResult;
import io.tandem.lab.HeartbeatConfig;
import io.tandem.lab.Lab;
import io.tandem.lab.Poll;
import io.tandem.lab.TandemNodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/migrate-from-heartbeat.md, step by step, with the INSTALLED package's commands
 * ({@code /usr/sbin/tandem}, {@code /usr/lib/tandem/bin/cl_status}, {@code hb_standby}): two real
 * heartbeat 3.0.6 nodes serve apache2 behind a VIP; the standby node moves to Tandem, then the active
 * one; the group comes home with Tandem's hb_standby; the standby node is rolled back to heartbeat.
 * Each node keeps its hb_uuid and its generation goes on counting. A client fetches the page all
 * along: it must be served throughout except in the hand-overs the document names, whose gaps are
 * measured and printed (the figures in the document come from this output).
 */
class MigrationLabTest {
    private static final String N1 = "node1";
    private static final String N2 = "node2";
    private static final String VIP = "192.0.2.1";
    private static final String TANDEM = "/usr/sbin/tandem";
    private static final String CL_STATUS = "/usr/lib/tandem/bin/cl_status";
    private static final String HB_STANDBY = "/usr/lib/tandem/bin/hb_standby";
    private static Lab lab;
    private static HeartbeatConfig cfg;

    private record Sample(long atMs, String server) {
    }

    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final Map<String, long[]> steps = new LinkedHashMap<>();
    private final long t0 = System.nanoTime();

    @BeforeAll
    static void up() {
        assumeTrue(Lab.unavailable().isEmpty(), () -> "skipped: " + Lab.unavailable().orElse(""));
        assumeTrue(Lab.heartbeatUnavailable().isEmpty(), () -> "skipped: " + Lab.heartbeatUnavailable().orElse(""));
        assumeTrue(Files.isExecutable(Path.of("/etc/init.d/apache2")), "skipped: apache2 is not installed");
        assumeTrue(Files.isExecutable(Path.of(TANDEM)) && Files.isExecutable(Path.of(CL_STATUS)),
                "skipped: the tandem package is not installed (.ci/run installs target/tandem_*.deb before the tests)");
        lab = Lab.start("mig", N1, N2);
        cfg = HeartbeatConfig.fastBcast(List.of(N1, N2), "eth1", 694).withHaresources("node1 IPaddr::192.0.2.1/24/eth0 apache2\n");
        TandemNodes.installApache(lab, N1);
        TandemNodes.installApache(lab, N2);
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void both_nodes_move_to_the_installed_tandem_one_at_a_time_and_one_rolls_back() {
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread client = new Thread(() -> {
            while (sampling.get()) {
                samples.add(new Sample(now(), fetch2s()));
                java.util.concurrent.locks.LockSupport.parkNanos(100_000_000);
            }
        }, "migration-client");
        try {
            lab.startHeartbeat(N1, cfg);
            lab.startHeartbeat(N2, cfg);
            awaitHeartbeatCluster();
            Poll.untilOrElse(Duration.ofSeconds(60), () -> fetch(lab, VIP).equals(N1), () -> "heartbeat does not serve\n" + logs());
            client.start();
            Poll.until(Duration.ofSeconds(10), "the client's first answer", () -> samples.stream().anyMatch(s -> !s.server().isEmpty()));

            // 0. before: tandem check on both, with heartbeat's files
            for (String n : List.of(N1, N2)) {
                ok(lab.exec(n, Duration.ofSeconds(60), TANDEM, "check"));
            }

            // 1. the standby node: no interruption
            Identity before2 = identity(N2);
            step("1 node2 (standby) heartbeat -> Tandem", () -> {
                lab.stopHeartbeat(N2);
                ok(lab.exec(N2, Duration.ofSeconds(90), TANDEM, "start"));
                Poll.untilOrElse(Duration.ofSeconds(60), () -> "active".equals(lab.clStatus(N1, "nodestatus", N2).out())
                        && "active".equals(installed(N2, "nodestatus", N1)), () -> "node2 (Tandem) did not join\n" + logs());
            });
            settled(N1);
            assertIdentityKept(N2, before2);
            assertThat(lab.pids(N2, "tandem")).as("the daemon shows as tandem in ps").hasSize(1);
            ExecResult status2 = lab.exec(N2, Duration.ofSeconds(30), TANDEM, "status");
            assertThat(status2.stdout()).startsWith("Tandem on node2: active");

            // 2. the active node: one hand-over
            Identity before1 = identity(N1);
            step("2a node1 (active) heartbeat -k: the group to node2", () -> {
                lab.stopHeartbeat(N1);
                Poll.untilOrElse(Duration.ofSeconds(60), () -> fetch(lab, VIP).equals(N2), () -> "node2 did not take over\n" + logs());
            });
            step("2b node1 Tandem starts (group stays)", () -> {
                ok(lab.exec(N1, Duration.ofSeconds(90), TANDEM, "start"));
                Poll.untilOrElse(Duration.ofSeconds(60), () -> "active".equals(installed(N2, "nodestatus", N1))
                        && "active".equals(installed(N1, "nodestatus", N2)), () -> "node1 (Tandem) did not join\n" + logs());
                settled(N2);
            });
            assertIdentityKept(N1, before1);

            // the group home with heartbeat's command name, as Tandem answers it
            step("3 hb_standby on node2: the group home to node1", () -> {
                ok(lab.exec(N2, Duration.ofSeconds(30), HB_STANDBY));
                Poll.untilOrElse(Duration.ofSeconds(60), () -> fetch(lab, VIP).equals(N1), () -> "node1 did not take the group\n" + logs());
                settled(N1);
            });

            // roll back: node2 to heartbeat (it holds nothing)
            Identity tandem2 = identity(N2);
            step("4 roll back node2: Tandem -> heartbeat", () -> {
                ok(lab.exec(N2, Duration.ofSeconds(90), TANDEM, "stop"));
                lab.startHeartbeat(N2, cfg);
                Poll.untilOrElse(Duration.ofSeconds(60), () -> "active".equals(installed(N1, "nodestatus", N2))
                        && "active".equals(lab.clStatus(N2, "nodestatus", N1).out()), () -> "node2 (heartbeat) did not rejoin\n" + logs());
                settled(N1);
            });
            assertIdentityKept(N2, tandem2);
        } finally {
            sampling.set(false);
            System.out.println("=== migration logs\n" + logs());
        }
        Map<String, Long> gaps = new LinkedHashMap<>();
        steps.forEach((name, window) -> gaps.put(name, gap(window[0], window[1])));
        gaps.forEach((name, gap) -> System.out.printf("migration step %-48s client gap %s%n", name, gap < 0 ? "none" : gap + " ms"));
        // the document's promise: the client is served throughout except in the hand-overs it names
        assertThat(gaps.get("1 node2 (standby) heartbeat -> Tandem")).as("moving the standby node").isNegative();
        assertThat(gaps.get("2b node1 Tandem starts (group stays)")).as("joining node1").isNegative();
        assertThat(gaps.get("4 roll back node2: Tandem -> heartbeat")).as("rolling the standby node back").isNegative();
        assertThat(gaps.get("2a node1 (active) heartbeat -k: the group to node2")).as("a hand-over happened").isPositive();
    }

    private record Identity(byte[] uuid, long generation) {
    }

    private static Identity identity(String node) {
        try {
            return new Identity(Files.readAllBytes(lab.path(node, "/var/lib/heartbeat/hb_uuid")),
                    Long.parseLong(Files.readString(lab.path(node, "/var/lib/heartbeat/hb_generation")).strip()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertIdentityKept(String node, Identity before) {
        Identity after = identity(node);
        assertThat(after.uuid()).as(node + "'s hb_uuid").isEqualTo(before.uuid());
        assertThat(after.generation()).as(node + "'s hb_generation").isEqualTo(before.generation() + 1);
    }

    /** The installed cl_status (heartbeat's name, Tandem's answer) on a node running Tandem. */
    private static String installed(String node, String... args) {
        List<String> cmd = new ArrayList<>(List.of(CL_STATUS));
        cmd.addAll(List.of(args));
        return lab.exec(node, Duration.ofSeconds(20), cmd.toArray(String[]::new)).out();
    }

    private static String rscstatus(String node) {
        ExecResult hb = lab.clStatus(node, "rscstatus");
        return lab.pids(node, "tandem").isEmpty() ? hb.out() : installed(node, "rscstatus");
    }

    /**
     * The owner serves the VIP, the other node does not hold it, and neither is moving resources
     * ({@code cl_status rscstatus} is not {@code transition}; with both nodes up heartbeat says
     * {@code local} for the node holding its own group, {@code all} after a takeover).
     */
    private static void settled(String owner) {
        String other = owner.equals(N1) ? N2 : N1;
        java.util.Set<String> stable = java.util.Set.of("local", "foreign", "all", "none");
        Poll.untilOrElse(Duration.ofSeconds(60), () -> stable.contains(rscstatus(owner)) && stable.contains(rscstatus(other))
                        && TandemNodes.holds(lab, owner, VIP) && !TandemNodes.holds(lab, other, VIP) && fetch(lab, VIP).equals(owner),
                () -> "not settled on " + owner + ": " + rscstatus(N1) + "/" + rscstatus(N2) + "\n" + logs());
    }

    private static void awaitHeartbeatCluster() {
        Poll.untilOrElse(Duration.ofSeconds(60), () -> "active".equals(lab.clStatus(N1, "nodestatus", N2).out())
                && "active".equals(lab.clStatus(N2, "nodestatus", N1).out()), () -> "no heartbeat cluster\n" + logs());
        settled(N1);
    }

    private void step(String name, Runnable action) {
        long start = now();
        action.run();
        long end = now();
        steps.put(name, new long[] {start, end});
        System.out.printf("migration step %-48s took %d ms%n", name, end - start);
    }

    /**
     * The longest time within [from, to] from the last answered fetch before a run of unanswered
     * ones to the first answered one after it; -1 when every fetch in the window was answered.
     */
    private long gap(long from, long to) {
        long worst = -1;
        long lastOk = -1;
        boolean inGap = false;
        for (Sample s : samples) {
            if (s.atMs() < from) {
                if (!s.server().isEmpty()) {
                    lastOk = s.atMs();
                }
                continue;
            }
            if (s.atMs() > to && !inGap) {
                break;
            }
            if (s.server().isEmpty()) {
                inGap = true;
            } else {
                if (inGap && lastOk >= 0) {
                    worst = Math.max(worst, s.atMs() - lastOk);
                }
                inGap = false;
                lastOk = s.atMs();
            }
        }
        return worst;
    }

    private String fetch2s() {
        ExecResult r = lab.exec(Lab.CLIENT, Duration.ofSeconds(5), "curl", "-s", "--connect-timeout", "0.5", "-m", "2",
                "http://" + VIP + "/");
        return r.ok() ? r.out() : "";
    }

    private long now() {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static void ok(ExecResult r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    private static String logs() {
        return "--- node1 ha-log:\n" + lab.haLog(N1) + "--- node2 ha-log:\n" + lab.haLog(N2);
    }
}
