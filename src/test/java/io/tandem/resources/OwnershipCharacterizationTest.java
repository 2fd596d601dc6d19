package io.tandem.resources;

import io.tandem.config.FailbackMode;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Characterization of the ownership engine: long seeded runs of {@link SimCluster} in every mode,
 * with reliable and failing scripts, both stop-failure policies, monitoring off and on, and faults
 * injected in the middle of transitions. Every effect (DEBUG log lines included) and, after every
 * event, what the engine reports are recorded; the digest of each trace was taken before the engine
 * was rebuilt by composition and must not change: a refactor keeps the same effects in the same
 * order. Only an intended change of behaviour records new digests: the nice_failback ones were
 * recorded again when healing after a partition came (both nodes report their holdings when they
 * find each other again, and the node that is not a group's home releases it, docs/split-brain.md). On a mismatch the traces are written to {@code target/characterization/} for a diff.
 */
class OwnershipCharacterizationTest {
    static final int SEEDS = 6;
    static final int EPISODES = 20;
    static final MonitorPolicy MONITOR = new MonitorPolicy(true, new MonitorSpec(2_000, 5_000, 3, 60_000), Map.of());
    static final MonitorPolicy MONITOR_RELOADED = new MonitorPolicy(true, new MonitorSpec(3_000, 4_000, 2, 30_000),
            Map.of("apache2", new MonitorSpec(0, 4_000, 2, 30_000)));
    static final SimCluster.Scripts FAILING = new SimCluster.Scripts(50, 1500, 0.08, 0.3, 0.05);

    /** Digest of the traces of each scenario, recorded before the refactor. */
    static final Map<String, String> EXPECTED = Map.ofEntries(
            Map.entry("LEGACY-failing-hold", "316466154e6f4303024a33acd7ce16d08c7c286a40f7c9c1faea988e9de39172"),
            Map.entry("LEGACY-failing-hold-monitor", "8d581c2a8c933cc50ec1329156a95a95b9ae99984a71fd04b69310d28e8a77e6"),
            Map.entry("LEGACY-failing-reboot", "3b123a44cce9e44a5bc87102f5659909ad871808432222f3f5871c5ae2c22a69"),
            Map.entry("LEGACY-failing-reboot-monitor", "01cd09f68d83940b8229511f93e169d608840b3a38b5ea0873b6b7847cd67ed6"),
            Map.entry("LEGACY-reliable", "044d33643eecf7de0310970cf7a47fcda36b05ba348613b9aa5707ff6d4b9bfb"),
            Map.entry("LEGACY-reliable-monitor", "f97355ca770455d15992ccf01fc1fd1a93e4ea05599863e9d807441b903485cf"),
            Map.entry("OFF-failing-hold", "7affdc720e2bd0f9af696b3737dc7c855ea8a4ed621abb6d6b9aafd45885c912"),
            Map.entry("OFF-failing-hold-monitor", "394860a25d57f7b965c0af60f0d0b2ba78372e0836eb22895d4a76b9b2294ac9"),
            Map.entry("OFF-failing-reboot", "3404a7f903ecb2a9a3c38fae6fa1962546b3b4bc95801c655b0507f9079724ca"),
            Map.entry("OFF-failing-reboot-monitor", "6e3b44a790c352eae5ecce45b6614b040d0b680ff1224e1859bf663cc9499478"),
            Map.entry("OFF-reliable", "98c7f49e47d9177be2bca009133c8cf6583c0b38726bdb5afe66a388bf179af2"),
            Map.entry("OFF-reliable-monitor", "60bfa8d28953cb932ec4f8b654e0ae4fad4f51a18630e6eb2cbf743ade096afc"),
            Map.entry("ON-failing-hold", "95072b64cd3636c18ca55fdf439b89dac34235418d6d0ac5c34b1aa56f9b83d3"),
            Map.entry("ON-failing-hold-monitor", "4c0178a15baa97049d9862958518838fd461c4eda2c8b4a9bf3d9e564046c194"),
            Map.entry("ON-failing-reboot", "33502f46dd4465a08ed393d7b60242b6e0680abdbd1cfaf4545a87607d12376f"),
            Map.entry("ON-failing-reboot-monitor", "56a5ae898f4f74e01363fd5e585755530725916bce43ee874bbc657e30754a7b"),
            Map.entry("ON-reliable", "cd7e09837884c8597407708dfe810b0afc589217e5685386f089aeb623517f39"),
            Map.entry("ON-reliable-monitor", "fa95ed446ce962d6021a7efaece787d8de360146b9524e9195e467a701e6717b"));

    @Test
    void long_seeded_runs_produce_the_recorded_traces() throws IOException {
        Map<String, String> actual = new TreeMap<>();
        Map<String, String> traces = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        for (FailbackMode mode : FailbackMode.values()) {
            for (String scripts : List.of("reliable", "failing-hold", "failing-reboot")) {
                for (boolean monitoring : List.of(false, true)) {
                    String name = mode + "-" + scripts + (monitoring ? "-monitor" : "");
                    StringBuilder trace = new StringBuilder();
                    for (long seed = 1; seed <= SEEDS; seed++) {
                        SimCluster c = run(seed * 1_000_003 + name.hashCode(), mode, scripts, monitoring);
                        for (SimCluster.Line l : c.lines) {
                            trace.append(l).append('\n');
                            if (!l.text().startsWith("STATE")) {
                                seen.add(l.text());
                            }
                        }
                    }
                    traces.put(name, trace.toString());
                    actual.put(name, sha256(trace.toString()));
                }
            }
        }
        if (!actual.equals(EXPECTED)) {
            Path dir = Path.of("target", "characterization");
            Files.createDirectories(dir);
            for (Map.Entry<String, String> t : traces.entrySet()) {
                Files.writeString(dir.resolve(t.getKey() + ".txt"), t.getValue());
            }
        }
        for (String path : List.of("info [mach_down] mach_down takeover complete", "info [heartbeat] Standby resource acquisition done",
                "SHUTDOWN COMPLETE (restart)", "SHUTDOWN ABORTED", "REBOOT", "CRIT [ResourceManager] Resource STOP failure",
                "info [ResourceManager] Retrying failed stop operation", "info [heartbeat] Cancelling pending standby operation",
                "ERROR [heartbeat] Monitor: resource", "info [heartbeat] Restarting", "WARN [heartbeat] Group",
                "CRIT [heartbeat] Group", "WARN [heartbeat] Not starting group", "info [heartbeat] Fail counts of group",
                "send t=ip-request ipaddr=", "debug [heartbeat] Auto failback delayed.",
                "info [heartbeat] local resource transition completed (both nodes started")) {
            assertThat(seen.stream().anyMatch(t -> t.startsWith(path))).as("the runs exercised: %s", path).isTrue();
        }
        assertThat(actual).isEqualTo(EXPECTED);
    }

    private static SimCluster run(long seed, FailbackMode mode, String scripts, boolean monitoring) {
        SimCluster c = new SimCluster(seed, mode, OwnershipSimulationTest.GROUPS,
                scripts.equals("reliable") ? SimCluster.Scripts.RELIABLE : FAILING,
                scripts.equals("failing-reboot") ? StopFailurePolicy.REBOOT : StopFailurePolicy.HOLD, 3000, 6000);
        c.traceAll = true;
        if (monitoring) {
            c.monitoring = MONITOR;
        }
        Random r = new Random(seed);
        c.at(r.nextInt(8000), () -> c.start(c.a));
        c.at(r.nextInt(8000), () -> c.start(c.b));
        c.runUntil(20_000 + r.nextInt(60_000));
        for (int episode = 0; episode < EPISODES; episode++) {
            String what = fault(c, r, monitoring);
            c.trace(null, "EPISODE " + episode + ": " + what);
            // the next fault often comes in the middle of the last one's transition
            c.runUntil(c.now + (r.nextBoolean() ? r.nextInt(8_000) : 20_000 + r.nextInt(60_000)));
        }
        c.runUntil(c.now + 120_000);
        return c;
    }

    private static String fault(SimCluster c, Random r, boolean monitoring) {
        if (!monitoring || r.nextInt(2) == 0) {
            return OwnershipSimulationTest.randomFault(c, r);
        }
        SimCluster.Node n = r.nextBoolean() ? c.a : c.b;
        GroupSpec g = OwnershipSimulationTest.GROUPS.get(r.nextInt(OwnershipSimulationTest.GROUPS.size()));
        String res = g.resources().get(r.nextInt(g.resources().size()));
        switch (r.nextInt(5)) {
            case 0:
            case 1:
                c.kill(n, g.key(), res);
                return "kill " + res + " on " + n.name;
            case 2:
                n.broken.add(g.key() + "/" + res);
                c.kill(n, g.key(), res);
                return "break " + res + " on " + n.name;
            case 3:
                n.broken.clear();
                c.cleanup(n, r.nextBoolean() ? g.key() : res);
                return "repair and cleanup " + res + " on " + n.name;
            default:
                if (n.up) {
                    c.trace(n, "reload monitoring");
                    c.apply(n, n.engine.monitoring(c.now, r.nextBoolean() ? MONITOR_RELOADED : MONITOR));
                }
                return "reload on " + n.name;
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
