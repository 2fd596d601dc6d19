package io.tandem.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.FailbackMode;
import io.tandem.config.Severity;
import io.tandem.node.NodeEffect;
import io.tandem.resources.DeviceStatus;
import io.tandem.resources.FencingPolicy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The fence device's periodic status check (docs/split-brain.md, "Fencing") in the whole-cluster
 * simulator: two nodes with a power switch that starts and stops failing at random, among kills,
 * power-offs, restarts, cuts and freezes. Checked after every event:
 * <ul>
 * <li>a node's status tells the truth: once the switch has been failing (or working) for longer than
 * one check interval and one answer, a running, unfrozen node that has lived that long says
 * {@code status failed} (or not);</li>
 * <li>the ERROR line is rate-limited: within one daemon life, two {@code status failed} lines always have a
 * recovery line ({@code status OK again}) between them.</li>
 * </ul>
 * {@code -Dtandem.sim.devicecheck.seeds=N} runs more seeds.
 */
class FenceDeviceCheckSimulationTest {
    static final int SEEDS = Integer.getInteger("tandem.sim.devicecheck.seeds", 500);
    static final long INTERVAL = 5_000;
    static final long ANSWER_MAX = 1_500;
    /** Interval, one answer, and a margin for the event that follows. */
    static final long SETTLED = INTERVAL + ANSWER_MAX + 1_000;
    static final FencingPolicy POLICY = FencingSimulationTest.POLICY.withCheckInterval(INTERVAL);

    @Test
    void status_follows_the_device_and_a_failure_is_logged_once_per_episode() {
        int failedSeen = 0;
        int recoveries = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            Run r = new Run(seed);
            r.run();
            failedSeen += r.failedSeen;
            recoveries += r.recoveries;
        }
        // the schedules reach both directions many times
        assertThat(failedSeen).isGreaterThan(SEEDS);
        assertThat(recoveries).isGreaterThan(SEEDS / 4);
    }

    private static final class Run {
        final Cluster c;
        long changedAt;
        final Map<String, Long> thawAt = new HashMap<>();
        /** Per node: the life of its last unrecovered ERROR line, or -1. */
        final Map<String, Integer> failingLoggedIn = new HashMap<>();
        int failedSeen;
        int recoveries;

        Run(long seed) {
            c = new Cluster(seed, Schedules.settings(2, seed % 2 == 0 ? FailbackMode.ON : FailbackMode.OFF));
            c.fencing = new FenceDevice(POLICY, 100, ANSWER_MAX);
            c.fencing.failing = seed % 2 == 0;
            c.effects = this::effect;
            c.afterEvent = this::check;
        }

        void effect(Cluster.Node n, NodeEffect e) {
            if (!(e instanceof NodeEffect.Log l) || !l.text().startsWith("Fencing device sim/pdu: status ")) {
                return;
            }
            if (l.text().contains(": status failed: ")) {
                assertThat(l.priority()).isEqualTo(Severity.ERROR);
                Integer life = failingLoggedIn.get(n.name);
                if (life != null && life == n.life) {
                    c.violation(n.name + " logged the failing device twice without a recovery in between: " + l.text());
                }
                failingLoggedIn.put(n.name, n.life);
            } else if (l.text().contains("status OK again")) {
                failingLoggedIn.remove(n.name);
                recoveries++;
            }
        }

        void check() {
            for (Cluster.Node n : c.nodes.values()) {
                if (!n.up() || n.frozen || n.core == null) {
                    continue;
                }
                long since = Math.max(changedAt, Math.max(n.lifeStart, thawAt.getOrDefault(n.name, 0L)));
                if (c.now - since <= SETTLED) {
                    continue;
                }
                Optional<DeviceStatus> s = n.core.ownership().fenceDevice();
                if (s.isEmpty() || s.get().failed() != c.fencing.failing) {
                    c.violation(n.name + " says " + s.map(DeviceStatus::text).orElse("nothing") + " although the switch has been "
                            + (c.fencing.failing ? "failing" : "working") + " since " + changedAt);
                }
                if (s.get().failed()) {
                    failedSeen++;
                }
            }
        }

        void run() {
            List<String> names = c.settings.names();
            for (String n : names) {
                c.at(c.between(0, 3_000), () -> c.start(n));
            }
            c.runUntil(c.between(5_000, 20_000));
            for (int i = 0; i < 25; i++) {
                String n = names.get(c.random.nextInt(names.size()));
                int kind = c.random.nextInt(100);
                if (kind < 10) {
                    c.kill(n);
                } else if (kind < 15) {
                    c.powerOff(n);
                } else if (kind < 35) {
                    c.start(n);
                } else if (kind < 45) {
                    c.isolate(n);
                } else if (kind < 55) {
                    c.heal();
                } else if (kind < 65) {
                    long ms = c.between(500, 4 * Schedules.DEADTIME);
                    thawAt.put(n, c.now + ms);
                    c.freeze(n, ms);
                } else {
                    c.fencing.failing = !c.fencing.failing;
                    changedAt = c.now;
                }
                c.runUntil(c.now + c.between(200, 15_000));
            }
            c.heal();
            names.forEach(c::start);
            c.runUntil(c.now + 2 * SETTLED);
        }
    }
}
