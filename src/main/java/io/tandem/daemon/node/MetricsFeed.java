package io.tandem.daemon.node;

import io.tandem.daemon.history.StoredEvent;
import io.tandem.daemon.loop.EventLoop;
import io.tandem.daemon.metrics.MetricsBoard;
import io.tandem.daemon.metrics.MetricsSnapshot;
import io.tandem.daemon.metrics.Tallies;
import io.tandem.daemon.status.ClusterStatus;
import io.tandem.membership.PeerCounters;
import io.tandem.resources.OpResult;
import io.tandem.resources.ResourceOp;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Feeds the metrics from the event loop: tallies each stored history entry and each ended operation
 * ({@link Tallies}), and every {@link #PERIOD_MS} publishes a {@link MetricsSnapshot} to the
 * {@link MetricsBoard} (the status snapshot, membership's counters, the tallies' copy, the history's
 * size, the hooks' counts), which {@code tandem metrics} and {@code /metrics} render on their own
 * threads. All methods but the constructor run on the loop thread.
 */
final class MetricsFeed {
    static final long PERIOD_MS = 1000;

    private final EventLoop loop;
    private final MetricsBoard board;
    private final ClusterNode node;
    private final Supplier<ClusterStatus> status;
    private final IntSupplier historySize;
    private final Supplier<Map<String, Long>> hookRuns;
    private final LongSupplier hooksDropped;
    private final Tallies tallies = new Tallies();

    MetricsFeed(EventLoop loop, MetricsBoard board, ClusterNode node, Supplier<ClusterStatus> status, IntSupplier historySize,
                Supplier<Map<String, Long>> hookRuns, LongSupplier hooksDropped) {
        this.loop = loop;
        this.board = board;
        this.node = node;
        this.status = status;
        this.historySize = historySize;
        this.hookRuns = hookRuns;
        this.hooksDropped = hooksDropped;
    }

    void event(StoredEvent e) {
        tallies.event(e);
    }

    void operation(ResourceOp op, OpResult result, long durationMs) {
        tallies.operation(op.resource(), op.action().word(), result.name().toLowerCase(Locale.ROOT), durationMs);
    }

    /** Publishes now and every {@link #PERIOD_MS} after, until the loop stops. */
    void start(long now) {
        publish(now);
    }

    private void publish(long now) {
        ClusterStatus s = status.get();
        Map<String, PeerCounters> counters = new LinkedHashMap<>();
        for (ClusterStatus.NodeState n : s.nodes()) {
            counters.put(n.name(), node.membership().counters(n.name()));
        }
        board.publish(new MetricsSnapshot(s, counters, tallies.copy(), historySize.getAsInt(), hookRuns.get(), hooksDropped.getAsLong(), now));
        try {
            loop.after(PERIOD_MS, this::publish);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the loop has stopped (the daemon is leaving)
        }
    }
}
