package io.tandem.lab.faults;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The campaign's result: a table per fault kind, the sample gaps, every violation with its trace. */
public record Report(Mode mode, long seed, int planned, List<Outcome> outcomes, List<String> harness, Limits limits, int resets,
        List<Long> sampleGapsMs, long seconds) {

    public List<String> violations() {
        List<String> all = new ArrayList<>();
        outcomes.forEach(o -> o.violations().forEach(v -> all.add("fault " + o.index() + " (" + o.kind() + "): " + v)));
        harness.forEach(h -> all.add("harness: " + h));
        return all;
    }

    /** The markdown table and the notes under it. */
    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("mode %s, seed %d: %d of %d faults in %d s; %d resets; %s%n%n", mode, seed, outcomes.size(), planned, seconds,
                resets, gaps()));
        b.append("| fault | count | unavailable worst (s) | median (s) | back after repair, worst (s) | dual-VIP (s) | of it while talking (s) | violations | ERROR/CRIT lines |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        Map<FaultKind, List<Outcome>> byKind = new EnumMap<>(FaultKind.class);
        outcomes.forEach(o -> byKind.computeIfAbsent(o.kind(), k -> new ArrayList<>()).add(o));
        long n = 0;
        long dual = 0;
        long dualTalking = 0;
        int violations = 0;
        int errors = 0;
        for (var e : byKind.entrySet()) {
            List<Outcome> os = e.getValue();
            List<Long> un = new ArrayList<>(os.stream().map(Outcome::unavailableMs).toList());
            Collections.sort(un);
            long d = os.stream().mapToLong(Outcome::dualMs).sum();
            long dt = os.stream().mapToLong(Outcome::dualTalkingMs).sum();
            int v = os.stream().mapToInt(o -> o.violations().size()).sum();
            int er = os.stream().mapToInt(Outcome::errorLines).sum();
            long back = os.stream().mapToLong(Outcome::backMs).max().orElse(0);
            b.append(String.format("| %s | %d | %.1f | %.1f | %s | %.1f | %.1f | %d | %d |%n", e.getKey().label(), os.size(), un.get(un.size() - 1) / 1e3,
                    un.get((un.size() - 1) / 2) / 1e3, os.stream().anyMatch(o -> o.backMs() < 0) ? "never" : String.format("%.1f", back / 1e3),
                    d / 1e3, dt / 1e3, v, er));
            n += os.size();
            dual += d;
            dualTalking += dt;
            violations += v;
            errors += er;
        }
        b.append(String.format("| **all** | %d | | | | %.1f | %.1f | %d | %d |%n", n, dual / 1e3, dualTalking / 1e3, violations, errors));
        b.append('\n').append(limits.describe()).append('\n');
        return b.toString();
    }

    private String gaps() {
        if (sampleGapsMs.isEmpty()) {
            return "no samples";
        }
        List<Long> g = new ArrayList<>(sampleGapsMs);
        Collections.sort(g);
        return String.format("audit sample gap median %d ms, 99th percentile %d ms, worst %d ms (%d samples)",
                g.get(g.size() / 2), g.get((int) (g.size() * 0.99)), g.get(g.size() - 1), g.size() + 1);
    }

    /** The table, then every violation with the trace of its fault. */
    public String full() {
        StringBuilder b = new StringBuilder(table());
        List<String> v = violations();
        b.append('\n').append(v.isEmpty() ? "no violation\n" : v.size() + " violations:\n");
        for (Outcome o : outcomes) {
            if (!o.violations().isEmpty()) {
                b.append(String.format("%n### fault %d (%s): %s%n", o.index(), o.kind(), o.description()));
                o.violations().forEach(x -> b.append("  - ").append(x).append('\n'));
                b.append("  trace:\n").append(o.trace());
            }
        }
        harness.forEach(h -> b.append("harness: ").append(h).append('\n'));
        return b.toString();
    }
}
