package io.tandem.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.FailbackMode;
import io.tandem.node.NodeEffect;
import io.tandem.resources.GroupSpec;
import io.tandem.resources.ResourceOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A whole machine frozen past deadtime (a paused VM; docs/split-brain.md, Healing), in the
 * whole-cluster simulator with the address model of {@link SimAddresses}: nothing of the frozen
 * machine answers, not even its kernel's ARP, so the peer finds the addresses free, takes the groups
 * over, and after the resume both machines run them until healing settles it. Thousands of seeds,
 * checked on every effect and after the resume:
 * <ul>
 *   <li><b>address first</b>: a node never stops another resource of a group while both it and
 *       another machine run the group's address: the releasing node gives up the doubled address
 *       before anything else (heartbeat's order, right to left, would keep it doubled for the time of
 *       the other stops);</li>
 *   <li>within {@link AddressGuardSimulationTest#BOUND_MS} of the resume every address runs on exactly
 *       one machine and every group is held.</li>
 * </ul>
 */
class MachineFreezeSimulationTest {
    static final int SEEDS = 2_000;

    /** What one run saw: whether an address got doubled, and how long after the resume the last double ended. */
    record Run(long seed, String fault, boolean doubled, long doubledAfterResumeMs, long toOneHolderMs, List<String> violations) {
    }

    static Run run(long seed) {
        Cluster c = new Cluster(seed, Schedules.settings(2, seed % 2 == 0 ? FailbackMode.ON : FailbackMode.OFF));
        c.maxDelay = 1 + c.random.nextInt(20);
        List<String> violations = new ArrayList<>();
        boolean[] doubled = {false};
        long[] lastDoubleAt = {-1};
        c.effects = (n, e) -> {
            if (e instanceof NodeEffect.Run r && r.op().action() == ResourceOp.Action.STOP && !SimAddresses.isAddress(r.op().resource())) {
                GroupSpec g = group(c, r.op().group());
                for (String r2 : g.resources()) {
                    if (SimAddresses.isAddress(r2) && n.runs(g.key(), r2)
                            && c.nodes.values().stream().anyMatch(m -> m != n && m.runs(g.key(), r2))) {
                        violations.add(c.now + " ms: " + n.name + " stops " + r.op().resource() + " of " + g.key() + " while it and another machine run "
                                + r2);
                    }
                }
            }
        };
        c.afterEvent = () -> {
            for (GroupSpec g : c.settings.groups()) {
                if (c.addresses.holders(g.key(), g.resources().get(0)) > 1) {
                    doubled[0] = true;
                    lastDoubleAt[0] = c.now;
                }
            }
        };
        for (String n : c.settings.names()) {
            c.at(c.between(0, 3_000), () -> c.start(n));
        }
        c.runUntil(c.between(20_000, 30_000));
        String who = c.random.nextBoolean() ? "n1" : "n2";
        long frozen = c.between(Schedules.DEADTIME + 500, 4 * Schedules.DEADTIME);
        String fault = who + " frozen as a machine " + frozen + " ms";
        c.freezeMachine(who, frozen);
        c.runUntil(c.now + frozen);
        long resumedAt = c.now;
        long oneHolderSince = -1;
        while (c.now < resumedAt + AddressGuardSimulationTest.BOUND_MS + 20_000) {
            c.runUntil(c.now + 50);
            boolean settled = AddressGuardSimulationTest.settled(c);
            if (settled && oneHolderSince < 0) {
                oneHolderSince = c.now;
            } else if (!settled) {
                oneHolderSince = -1;
            }
        }
        return new Run(seed, fault, doubled[0], Math.max(0, lastDoubleAt[0] - resumedAt),
                oneHolderSince < 0 ? Long.MAX_VALUE : oneHolderSince - resumedAt, violations);
    }

    private static GroupSpec group(Cluster c, String key) {
        return c.settings.groups().stream().filter(g -> g.key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void a_frozen_machine_is_taken_over_and_after_the_resume_the_doubled_address_goes_first() {
        int doubledRuns = 0;
        long worstDouble = 0;
        long worstSettle = 0;
        String worstRun = "";
        for (long seed = 1; seed <= SEEDS; seed++) {
            Run r = run(seed);
            assertThat(r.violations()).as("seed %d, %s", seed, r.fault()).isEmpty();
            assertThat(r.toOneHolderMs()).as("seed %d, %s: one holder per address after the resume", seed, r.fault())
                    .isLessThanOrEqualTo(AddressGuardSimulationTest.BOUND_MS);
            if (r.doubled()) {
                doubledRuns++;
            }
            if (r.doubledAfterResumeMs() > worstDouble) {
                worstDouble = r.doubledAfterResumeMs();
                worstRun = "seed " + seed + ", " + r.fault();
            }
            worstSettle = Math.max(worstSettle, r.toOneHolderMs());
        }
        System.out.printf(Locale.ROOT, "%d runs, %d with an address on both machines: the last double ended at most %d ms after the resume (%s);"
                + " every address on one machine and every group held at most %d ms after it%n", SEEDS, doubledRuns, worstDouble, worstRun,
                worstSettle);
        // the scenario must produce the double hold it is about (the peer took over a silent machine)
        assertThat(doubledRuns).as("runs where the frozen machine's addresses were taken over").isGreaterThan(SEEDS / 4);
    }

    @Test
    void one_seed_is_one_run() {
        assertThat(run(77)).isEqualTo(run(77));
    }
}
