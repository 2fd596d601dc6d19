package io.tandem.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the footprint bench reads of a daemon's heartbeat timing: the late and lost heartbeat
 * counters of its metrics text ({@code tandem metrics}, {@code GET /metrics}) and the oldest peer
 * heartbeat of its status ({@code tandem status --json}), and the window they add up to.
 */
final class HeartbeatReadings {
    static final String LATE = "tandem_heartbeats_late_total";
    static final String LOST = "tandem_heartbeats_lost_total";
    private static final Pattern AGE = Pattern.compile("\"heartbeat_age_ms\":(\\d+)");

    /** Over a window: the counters' growth, the oldest heartbeat age any sample saw, how many samples (and failed ones). */
    record Window(long lateDelta, long lostDelta, long worstAgeMs, int samples, int failedSamples) {
        String line() {
            return "late=" + lateDelta + " lost=" + lostDelta + " worstAgeMs=" + worstAgeMs + " samples=" + samples + " failed=" + failedSamples;
        }

        static Window parse(String line) {
            return new Window(field(line, "late"), field(line, "lost"), field(line, "worstAgeMs"), (int) field(line, "samples"),
                    (int) field(line, "failed"));
        }

        private static long field(String line, String name) {
            Matcher m = Pattern.compile("(?:^| )" + name + "=(-?\\d+)(?: |$)").matcher(line);
            if (!m.find()) {
                throw new IllegalArgumentException("no " + name + "= in '" + line + "'");
            }
            return Long.parseLong(m.group(1));
        }
    }

    private HeartbeatReadings() {
    }

    /**
     * The sum of a counter family's samples (one per peer node) in Prometheus' text format; -1 when the
     * text has no sample of it (a daemon without peers yet, or not a metrics text).
     */
    static long counter(String metrics, String family) {
        long sum = 0;
        boolean seen = false;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(family + "{") || line.startsWith(family + " ")) {
                String value = line.substring(line.lastIndexOf(' ') + 1).strip();
                sum += (long) Double.parseDouble(value);
                seen = true;
            }
        }
        return seen ? sum : -1;
    }

    /** The oldest heartbeat of any peer link in a status JSON (own links have none: null); -1 when none. */
    static long worstAgeMs(String statusJson) {
        long worst = -1;
        Matcher m = AGE.matcher(statusJson);
        while (m.find()) {
            worst = Math.max(worst, Long.parseLong(m.group(1)));
        }
        return worst;
    }
}
