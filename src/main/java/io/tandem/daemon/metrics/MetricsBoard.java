package io.tandem.daemon.metrics;

import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The metrics as the event loop last published them, for any thread: the control socket's
 * {@code tandem metrics} and an HTTP server's {@code /metrics} call {@link #render} and never wait
 * for the loop (the loop publishes a new {@link MetricsSnapshot} every second; rendering reads the
 * last one and the clock).
 */
public final class MetricsBoard {
    /** The content type of {@link #render}'s text (Prometheus' text format 0.0.4). */
    public static final String CONTENT_TYPE = ExpositionWriter.CONTENT_TYPE;

    private final LongSupplier clock;
    private volatile MetricsSnapshot latest;

    /** @param clock the daemon clock ({@code EventLoop::now}) */
    public MetricsBoard(LongSupplier clock) {
        this.clock = clock;
    }

    /** From the event loop: the new snapshot. */
    public void publish(MetricsSnapshot snapshot) {
        latest = snapshot;
    }

    public Optional<MetricsSnapshot> latest() {
        return Optional.ofNullable(latest);
    }

    /**
     * The metrics in Prometheus' text format, from the last published snapshot; empty until the
     * first one (the daemon's first second). Any thread; never blocks.
     */
    public String render() {
        MetricsSnapshot s = latest;
        return s == null ? "" : MetricsRenderer.render(s, clock.getAsLong());
    }
}
