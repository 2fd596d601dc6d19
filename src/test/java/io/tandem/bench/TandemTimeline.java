package io.tandem.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tandem's own account of a scenario, from the JSON lines of its debugfile (millisecond
 * timestamps): when the peer was declared dead, and the time spent inside resource scripts.
 *
 * <p>Tandem writes a script's {@code Running <cmd>} line together with its output and
 * {@code <cmd> done. RC=N} when the script has finished (all with the finishing time), so a
 * script's start is taken as the node's previous {@code Acquiring/Releasing resource group} line or
 * previous script end (the decision that launched the group's chain, or the script before it).
 * Unrelated lines logged while a script runs (a peer declared dead) do not cut it short. Whatever
 * Tandem spends between that line and the real start is counted as script time: the overhead
 * derived from it is a lower bound.
 *
 * <p>{@link #story} prints the INFO and higher lines (and scripts' ends); with {@code BENCH_STORY_DEBUG} set in
 * the environment it prints every debug line too (the probes, the fast address step).
 */
final class TandemTimeline {
    private static final Pattern LINE = Pattern.compile("\"ts\":\"([^\"]+)\",\"host\":\"([^\"]*)\".*\"level\":\"(\\w+)\",\"msg\":\"(.*)\"}\\s*$");

    record Entry(long millis, String host, boolean debug, String msg) {
        boolean scriptEnd() {
            return debug && msg.matches(".* done\\. RC=-?\\d+$");
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    TandemTimeline(List<String> logs) {
        for (String log : logs) {
            for (String line : log.split("\n")) {
                Matcher m = LINE.matcher(line);
                if (m.find()) {
                    entries.add(new Entry(Instant.parse(m.group(1)).toEpochMilli(), m.group(2), m.group(3).equals("debug"), m.group(4)));
                }
            }
        }
        entries.sort(Comparator.comparingLong(Entry::millis));
    }

    /** Milliseconds from {@code t0} to the first "is dead" line in [t0, t1] (-1 when none). */
    long detection(long t0, long t1) {
        return entries.stream().filter(e -> e.millis() >= t0 && e.millis() <= t1 && e.msg().endsWith(": is dead"))
                .mapToLong(e -> e.millis() - t0).findFirst().orElse(-1);
    }

    /** Milliseconds within [t0, t1] covered by at least one resource script run (overlaps counted once). */
    long scripts(long t0, long t1) {
        List<long[]> spans = new ArrayList<>();
        for (Entry end : entries) {
            if (!end.scriptEnd() || end.millis() < t0 || end.millis() > t1 + 5_000) {
                continue;
            }
            long start = Long.MIN_VALUE;
            for (Entry e : entries) {
                if (e.millis() >= end.millis()) {
                    break;
                }
                if (e.host().equals(end.host()) && (e.scriptEnd() || e.msg().startsWith("Acquiring resource group")
                        || e.msg().startsWith("Releasing resource group"))) {
                    start = e.millis();
                }
            }
            if (start != Long.MIN_VALUE) {
                spans.add(new long[] {Math.max(start, t0), Math.min(end.millis(), t1)});
            }
        }
        spans.sort(Comparator.comparingLong(s -> s[0]));
        long total = 0, covered = Long.MIN_VALUE;
        for (long[] s : spans) {
            long from = Math.max(s[0], covered);
            if (s[1] > from) {
                total += s[1] - from;
            }
            covered = Math.max(covered, s[1]);
        }
        return total;
    }

    /** The node's own story of [t0, t1]: its info lines and script ends, with milliseconds from t0 (for the console). */
    String story(long t0, long t1) {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            if (e.millis() >= t0 && e.millis() <= t1 && (!e.debug() || e.scriptEnd() || System.getenv("BENCH_STORY_DEBUG") != null)) {
                sb.append(String.format("      +%5d ms %s %s%n", e.millis() - t0, e.host(), e.msg().length() > 110 ? e.msg().substring(0, 110) : e.msg()));
            }
        }
        return sb.toString();
    }
}
