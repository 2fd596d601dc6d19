package io.tandem.daemon.node;

import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One kind of repeated log line, written at most once per interval: the first occurrence of an
 * interval at once with its details, the rest of the interval as one summary line with the count and
 * the last example, when the interval ends. The text of an occurrence is built only when it is
 * written. Used for rejected input ({@link RejectLog}) and failed sends on a medium
 * ({@link SendFailureLog}): a flood or a dead link costs a bounded number of lines.
 *
 * <p>Called from the media threads and the event loop; all state is behind this object's lock.
 */
final class LineWindow {
    /** Schedules a task after a delay in ms (the event loop's timer). */
    interface Timer {
        void after(long delayMs, Runnable task);
    }

    /** The summary line of an interval: how many more, over how long (e.g. "10 s"), the last example. */
    interface Summary {
        String line(long more, String over, String last);
    }

    private final Consumer<String> log;
    private final Summary summary;
    private final LongSupplier clock;
    private final Timer timer;
    private final long intervalMs;
    private long windowStart = Long.MIN_VALUE;
    private long suppressed;
    private long total;
    private Supplier<String> last;
    private boolean flushPending;

    LineWindow(Consumer<String> log, Summary summary, LongSupplier clock, Timer timer, long intervalMs) {
        this.log = log;
        this.summary = summary;
        this.clock = clock;
        this.timer = timer;
        this.intervalMs = intervalMs;
    }

    /** One occurrence; {@code text} is built only if it is written now or in the summary. */
    void occurred(Supplier<String> text) {
        String now = null;
        synchronized (this) {
            total++;
            long t = clock.getAsLong();
            if (suppressed == 0 && (windowStart == Long.MIN_VALUE || t - windowStart >= intervalMs)) {
                windowStart = t;
                now = text.get();
            } else {
                suppressed++;
                last = text;
                if (!flushPending) {
                    flushPending = true;
                    timer.after(Math.max(0, windowStart + intervalMs - t), this::flush);
                }
            }
        }
        if (now != null) {
            log.accept(now);
        }
    }

    /** How many occurrences since the start. */
    synchronized long total() {
        return total;
    }

    private void flush() {
        String line;
        synchronized (this) {
            flushPending = false;
            if (suppressed == 0) {
                return;
            }
            long t = clock.getAsLong();
            line = summary.line(suppressed, (t - windowStart + 500) / 1000 + " s", last.get());
            windowStart = t;
            suppressed = 0;
            last = null;
        }
        log.accept(line);
    }
}
