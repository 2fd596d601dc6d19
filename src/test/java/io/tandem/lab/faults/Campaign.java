package io.tandem.lab.faults;

import io.tandem.lab.Poll;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The randomized fault campaign on {@link TwoNodes}: faults drawn from a seed one after the other,
 * each followed by a wait for the cluster to settle, checked against the audits. The kinds, nodes,
 * durations and loss rates follow from the seed alone; which node a holder-bound fault (standby,
 * apache2) hits follows from where the VIP is then.
 */
public final class Campaign {
    /** How long the audits must be quiet (one holder, apache2 on it, both daemons alive, every fetch served) to call the cluster settled. */
    static final long STABLE_MS = 3_000;

    private final TwoNodes cluster;
    private final long seed;
    private final int count;
    private final PrintStream progress;
    private final Trace trace = new Trace();
    private final Limits limits;
    private final List<Outcome> outcomes = new ArrayList<>();
    private final List<String> harness = new ArrayList<>();
    private Audits audits;
    private Faults faults;
    private final int[] logOffset = new int[2];
    private int resets;
    private final long budgetSeconds;

    public Campaign(TwoNodes cluster, long seed, int count, PrintStream progress) {
        this(cluster, seed, count, Long.MAX_VALUE, progress);
    }

    /** A campaign that starts no fault after {@code seconds} (a time budget; the report says how many ran). */
    public Campaign(TwoNodes cluster, long seed, int count, long seconds, PrintStream progress) {
        this.budgetSeconds = seconds;
        this.cluster = cluster;
        this.seed = seed;
        this.count = count;
        this.progress = progress;
        this.limits = Limits.measure(cluster);
    }

    /** Runs the campaign; the report holds every fault's outcome. */
    public Report run() {
        long started = System.nanoTime();
        try (Audits a = new Audits(cluster, trace)) {
            audits = a;
            faults = new Faults(cluster, audits, trace);
            TwoNodes.NODES.parallelStream().forEach(cluster::start);
            if (!settle(Duration.ofSeconds(120))) {
                throw new IllegalStateException("the cluster never settled at the start\n" + logs());
            }
            Random random = new Random(seed);
            for (int i = 1; i <= count; i++) {
                if ((System.nanoTime() - started) / 1_000_000_000 >= budgetSeconds) {
                    progress.println("time budget of " + budgetSeconds + " s spent: " + (i - 1) + " of " + count + " faults run");
                    break;
                }
                FaultKind kind = FaultKind.draw(random);
                if (!settle(Duration.ofSeconds(5)) && !reset("not settled before fault " + i)) {
                    harness.add("stopped before fault " + i + ": the cluster did not settle even after a restart of both nodes");
                    break;
                }
                outcomes.add(one(i, kind, random));
                Outcome o = outcomes.get(outcomes.size() - 1);
                progress.printf("fault %d/%d %s: %s; unavailable %d ms, back %d ms after the repair, dual VIP %d ms%s%n", i, count, kind,
                        o.description(), o.unavailableMs(), o.backMs(), o.dualMs(),
                        o.violations().isEmpty() ? "" : "; VIOLATIONS: " + o.violations());
            }
            List<Long> gaps = audits.gapsMs();
            return new Report(cluster.mode(), seed, count, outcomes, harness, limits, resets, gaps, (System.nanoTime() - started) / 1_000_000_000);
        }
    }

    private Outcome one(int index, FaultKind kind, Random random) {
        long t0 = System.nanoTime();
        for (int i = 0; i < 2; i++) {
            logOffset[i] = cluster.haLog(TwoNodes.NODES.get(i)).length();
        }
        trace.at(t0, "fault " + index + ": " + kind.label());
        String description;
        List<String> violations = new ArrayList<>();
        try {
            description = faults.run(kind, random, holder());
        } catch (RuntimeException | AssertionError e) {
            description = "the harness failed: " + e.getMessage();
            harness.add("fault " + index + " (" + kind + "): " + e);
            try {
                TwoNodes.NODES.forEach(n -> audits.downOnPurpose(n, true)); // the restart's kills are the harness's, not exits
                cluster.restartAll();
            } catch (RuntimeException | AssertionError again) {
                harness.add("fault " + index + ": the restart after it failed too: " + again);
            }
            faults.recover();
        }
        long repaired = System.nanoTime();
        trace.at(repaired, "fault " + index + " repaired: " + description);
        boolean settled = settle(Duration.ofMillis(limits.serviceBoundMs() + STABLE_MS + 5_000), repaired);
        long end = System.nanoTime();
        List<Audits.Sample> samples = audits.samples(t0, end);
        List<Audits.Fetch> fetches = audits.fetches(t0, end);
        long unavailable = 0;
        for (int i = 0; i + 1 < fetches.size(); i++) {
            if (!fetches.get(i).served()) {
                unavailable += (fetches.get(i + 1).t() - fetches.get(i).t()) / 1_000_000;
            }
        }
        long backAt = backAt(fetches, repaired);
        long backMs = backAt < 0 ? -1 : Math.max(0, (backAt - repaired) / 1_000_000);
        if (!settled) {
            violations.add("not settled " + (end - repaired) / 1_000_000 + " ms after the repair (bound " + limits.serviceBoundMs() + " ms): "
                    + state());
        } else if (backMs < 0 || backMs > limits.serviceBoundMs()) {
            violations.add("service back only " + backMs + " ms after the repair (bound " + limits.serviceBoundMs() + " ms)");
        }
        long dual = 0;
        long dualTalking = 0;
        for (int i = 0; i + 1 < samples.size(); i++) {
            Audits.Sample s = samples.get(i);
            long gap = (samples.get(i + 1).t() - s.t()) / 1_000_000;
            if (s.dual()) {
                dual += gap;
                if (s.talk() && s.t() > faults.talkAgainAt() + limits.graceMs() * 1_000_000L) {
                    dualTalking += gap;
                }
            }
            for (int n = 0; n < 2; n++) {
                Audits.Sample next = samples.get(i + 1);
                if (s.alive()[n] && !next.alive()[n] && !next.downOnPurpose()[n] && !s.downOnPurpose()[n]) {
                    violations.add(TwoNodes.NODES.get(n) + "'s daemon exited without a fault that ends it, at +"
                            + String.format("%.3f s", (next.t() - trace.start()) / 1e9));
                }
            }
        }
        if (dualTalking > 0) {
            violations.add("VIP on both nodes for " + dualTalking + " ms while they could talk (beyond the grace of " + limits.graceMs() + " ms)");
        }
        StringBuilder errors = new StringBuilder();
        int errorLines = 0;
        for (int i = 0; i < 2; i++) {
            String log = cluster.haLog(TwoNodes.NODES.get(i));
            String added = log.length() >= logOffset[i] ? log.substring(logOffset[i]) : log;
            for (String line : added.lines().toList()) {
                if (line.contains("ERROR:") || line.contains("CRIT:")) {
                    errorLines++;
                    if (errorLines <= 20) {
                        errors.append("    ").append(TwoNodes.NODES.get(i)).append(" ha-log: ").append(line).append('\n');
                    }
                }
            }
        }
        String traceText = trace.between(t0 - 1_000_000_000L, end) + errors;
        if (!violations.isEmpty()) {
            traceText += tails();
        }
        if (!settled) {
            reset("fault " + index + " left the cluster unsettled");
        }
        audits.forget(end);
        trace.forget(end - 2_000_000_000L);
        return new Outcome(index, kind, description, unavailable, dual, dualTalking, backMs, violations, errorLines, traceText);
    }

    /** The first fetch after the repair from which on every fetch was served (the service back for good), or -1. */
    private static long backAt(List<Audits.Fetch> fetches, long repaired) {
        long at = -1;
        for (Audits.Fetch f : fetches) {
            if (!f.served()) {
                at = -1;
            } else if (at < 0) {
                at = f.t();
            }
        }
        return at < 0 ? -1 : Math.max(at, repaired);
    }

    private String holder() {
        Audits.Sample s = audits.last();
        if (s == null || s.holders() != 1) {
            return null;
        }
        return s.vip()[0] ? TwoNodes.NODES.get(0) : TwoNodes.NODES.get(1);
    }

    /** Waits until the audits have been quiet for {@link #STABLE_MS}; false when the timeout came first. */
    private boolean settle(Duration timeout) {
        return settle(timeout, 0);
    }

    /** The same, counting only what the audits saw after {@code since} (a repair: what came before it says nothing). */
    private boolean settle(Duration timeout, long since) {
        return Poll.within(timeout, () -> quiet(since));
    }

    private boolean quiet(long since) {
        long now = System.nanoTime();
        long from = now - STABLE_MS * 1_000_000;
        if (from < since) {
            return false;
        }
        List<Audits.Sample> samples = audits.samples(from, now);
        List<Audits.Fetch> fetches = audits.fetches(from, now);
        if (samples.size() < STABLE_MS / Audits.PERIOD_MS / 4 || fetches.size() < 3 || samples.get(0).t() > from + 500_000_000L) {
            return false;
        }
        for (Audits.Sample s : samples) {
            int h = s.vip()[0] ? 0 : 1;
            if (s.holders() != 1 || !s.apache()[h] || !s.alive()[0] || !s.alive()[1]) {
                return false;
            }
        }
        return fetches.stream().allMatch(Audits.Fetch::served);
    }

    private boolean reset(String why) {
        resets++;
        trace.now("reset: " + why + "; both nodes restarted");
        progress.println("reset: " + why);
        try {
            TwoNodes.NODES.forEach(n -> audits.downOnPurpose(n, true));
            cluster.restartAll();
        } catch (RuntimeException | AssertionError e) {
            harness.add("reset failed: " + e);
            return false;
        } finally {
            faults.recover();
        }
        return settle(Duration.ofSeconds(120));
    }

    private String state() {
        Audits.Sample s = audits.last();
        Audits.Fetch f = audits.lastFetch();
        return s == null ? "no sample" : String.format("VIP %s/%s, apache2 %s/%s, daemon %s/%s, last fetch %s", s.vip()[0], s.vip()[1],
                s.apache()[0], s.apache()[1], s.alive()[0], s.alive()[1], f == null ? "none" : f.served() ? "served by " + f.from() : "failed");
    }

    private String tails() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 2; i++) {
            String n = TwoNodes.NODES.get(i);
            String log = cluster.haLog(n);
            String added = log.length() >= logOffset[i] ? log.substring(logOffset[i]) : log;
            List<String> lines = added.lines().toList();
            b.append("    --- ").append(n).append(" (").append(cluster.tandem(n) ? "Tandem" : "heartbeat 3.0.6").append(") ha-log during the fault, last ")
                    .append(Math.min(40, lines.size())).append(" of ").append(lines.size()).append(" lines:\n");
            lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> b.append("      ").append(l).append('\n'));
        }
        return b.toString();
    }

    private String logs() {
        return tails();
    }
}
