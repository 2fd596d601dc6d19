package io.tandem.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tandem's own account of a scenario, from the JSON lines of its debugfile (millisecond
 * timestamps): when the peer was declared dead, and the intervals spent inside resource scripts
 * ({@code Running <cmd>} at info, {@code <cmd> done. RC=N} at debug).
 */
final class TandemTimeline {
    private static final Pattern LINE = Pattern.compile("\"ts\":\"([^\"]+)\".*\"msg\":\"(.*)\"}\\s*$");

    record Entry(long millis, String msg) {
    }

    private final List<Entry> entries = new ArrayList<>();

    TandemTimeline(List<String> logs) {
        for (String log : logs) {
            for (String line : log.split("\n")) {
                Matcher m = LINE.matcher(line);
                if (m.find()) {
                    entries.add(new Entry(Instant.parse(m.group(1)).toEpochMilli(), m.group(2).replace("\\\"", "\"")));
                }
            }
        }
        entries.sort(Comparator.comparingLong(Entry::millis));
    }

    /** Milliseconds from {@code t0} to the first "is dead" line at or after it (-1 when none). */
    long detection(long t0, long t1) {
        return entries.stream().filter(e -> e.millis() >= t0 && e.millis() <= t1 && e.msg().endsWith(": is dead"))
                .mapToLong(e -> e.millis() - t0).findFirst().orElse(-1);
    }

    /** Milliseconds within [t0, t1] covered by at least one resource script run (overlaps counted once). */
    long scripts(long t0, long t1) {
        Map<String, Long> open = new HashMap<>();
        List<long[]> spans = new ArrayList<>();
        for (Entry e : entries) {
            if (e.millis() < t0 - 60_000 || e.millis() > t1 + 60_000) {
                continue;
            }
            String msg = e.msg().replaceAll("\\s+", " ").trim();
            if (msg.startsWith("Running ")) {
                open.put(msg.substring("Running ".length()), e.millis());
            } else if (msg.matches(".* done\\. RC=-?\\d+$")) {
                String cmd = msg.substring(0, msg.lastIndexOf(" done. RC="));
                Long start = open.remove(cmd);
                if (start != null) {
                    spans.add(new long[] {Math.max(start, t0), Math.min(e.millis(), t1)});
                }
            }
        }
        spans.sort(Comparator.comparingLong(s -> s[0]));
        long total = 0, end = Long.MIN_VALUE;
        for (long[] s : spans) {
            if (s[1] <= s[0]) {
                continue;
            }
            long from = Math.max(s[0], end);
            if (s[1] > from) {
                total += s[1] - from;
            }
            end = Math.max(end, s[1]);
        }
        return total;
    }
}
