package io.tandem.daemon.node;

import io.tandem.config.Severity;
import io.tandem.wire.RejectReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Rejected input from the network, counted per {@link RejectReason} and logged at most once per
 * reason and interval in total, whoever sent it: the first rejection of an interval is logged at
 * once with its details, the rest of the interval becomes one summary line with the count and the
 * last example. A flood of forged, replayed or malformed packets from any number of (spoofed)
 * sources therefore costs a bounded number of log lines and a table of one slot per reason.
 *
 * <p>Called from the media threads and the event loop; all state is behind this object's lock.
 * The text of a rejection is built only when it is logged.
 */
final class RejectLog {
    static final long INTERVAL_MS = 10_000;

    /** Schedules a task after a delay in ms (the event loop's timer). */
    interface Timer {
        void after(long delayMs, Runnable task);
    }

    private static final class Slot {
        long windowStart = Long.MIN_VALUE;
        long suppressed;
        long total;
        Supplier<String> last;
        boolean flushPending;
    }

    private final BiConsumer<Severity, String> log;
    private final LongSupplier clock;
    private final Timer timer;
    private final long intervalMs;
    private final Map<RejectReason, Slot> slots = new EnumMap<>(RejectReason.class);

    RejectLog(BiConsumer<Severity, String> log, LongSupplier clock, Timer timer) {
        this(log, clock, timer, INTERVAL_MS);
    }

    RejectLog(BiConsumer<Severity, String> log, LongSupplier clock, Timer timer, long intervalMs) {
        this.log = log;
        this.clock = clock;
        this.timer = timer;
        this.intervalMs = intervalMs;
        for (RejectReason r : RejectReason.values()) {
            slots.put(r, new Slot());
        }
    }

    /** One rejected packet or message; {@code text} (the line heartbeat would log) is built only if it is logged. */
    void reject(RejectReason reason, Supplier<String> text) {
        String now;
        synchronized (this) {
            Slot s = slots.get(reason);
            s.total++;
            long t = clock.getAsLong();
            if (s.suppressed == 0 && (s.windowStart == Long.MIN_VALUE || t - s.windowStart >= intervalMs)) {
                s.windowStart = t;
                now = text.get();
            } else {
                s.suppressed++;
                s.last = text;
                now = null;
                if (!s.flushPending) {
                    s.flushPending = true;
                    timer.after(Math.max(0, s.windowStart + intervalMs - t), () -> flush(reason));
                }
            }
        }
        if (now != null) {
            log.accept(severity(reason), now);
        }
    }

    /** How many were rejected for each reason since the start (for status). */
    synchronized Map<RejectReason, Long> totals() {
        Map<RejectReason, Long> m = new EnumMap<>(RejectReason.class);
        slots.forEach((r, s) -> {
            if (s.total > 0) {
                m.put(r, s.total);
            }
        });
        return m;
    }

    private void flush(RejectReason reason) {
        String line;
        synchronized (this) {
            Slot s = slots.get(reason);
            s.flushPending = false;
            if (s.suppressed == 0) {
                return;
            }
            long t = clock.getAsLong();
            line = "Rejected " + s.suppressed + " more " + reason.label() + " in the last " + seconds(t - s.windowStart)
                    + " (last: " + s.last.get() + ")";
            s.windowStart = t;
            s.suppressed = 0;
            s.last = null;
        }
        log.accept(severity(reason), line);
    }

    private static String seconds(long ms) {
        return (ms + 500) / 1000 + " s";
    }

    private static Severity severity(RejectReason reason) {
        switch (reason) {
            case OVERLOAD:
            case FOREIGN_SOURCE:
            case BAD_SEQUENCE:
                return Severity.WARN;
            default:
                return Severity.ERROR;
        }
    }
}
