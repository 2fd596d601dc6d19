package io.tandem.daemon.metrics;

import io.tandem.daemon.status.ClusterStatus;
import io.tandem.membership.PeerCounters;
import java.util.Map;

/**
 * What the metrics show, taken on the event loop and published ({@link MetricsBoard}) for any thread
 * to render: the status snapshot ({@code tandem status}'s), membership's counters per node (by the
 * node's name as the status lists it), the tallies of decisions and operations, the event history's
 * size and the notify hooks' counts. Immutable once published (the tallies are the loop's copy).
 *
 * @param takenAt    when it was taken (the daemon clock)
 * @param hookRuns   notify hooks run, by how they ended ({@code ok}, {@code failed}, {@code timeout}, {@code error})
 * @param hooksDropped notify hooks not run because their queue was full
 */
public record MetricsSnapshot(ClusterStatus status, Map<String, PeerCounters> counters, Tallies tallies, int historyEntries,
                              Map<String, Long> hookRuns, long hooksDropped, long takenAt) {
    public MetricsSnapshot {
        counters = Map.copyOf(counters);
        hookRuns = Map.copyOf(hookRuns);
    }

    public PeerCounters counters(String node) {
        return counters.getOrDefault(node, PeerCounters.NONE);
    }
}
