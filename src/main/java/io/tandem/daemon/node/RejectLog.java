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
 * <p>Called from the media threads and the event loop ({@link LineWindow} keeps each reason's state
 * behind its own lock). The text of a rejection is built only when it is logged.
 */
final class RejectLog {
    static final long INTERVAL_MS = 10_000;

    /** Schedules a task after a delay in ms (the event loop's timer). */
    interface Timer extends LineWindow.Timer {
    }

    private final Map<RejectReason, LineWindow> windows = new EnumMap<>(RejectReason.class);

    RejectLog(BiConsumer<Severity, String> log, LongSupplier clock, Timer timer) {
        this(log, clock, timer, INTERVAL_MS);
    }

    RejectLog(BiConsumer<Severity, String> log, LongSupplier clock, Timer timer, long intervalMs) {
        for (RejectReason r : RejectReason.values()) {
            windows.put(r, new LineWindow(line -> log.accept(severity(r), line),
                    (more, over, last) -> "Rejected " + more + " more " + r.label() + " in the last " + over + " (last: " + last + ")",
                    clock, timer, intervalMs));
        }
    }

    /** One rejected packet or message; {@code text} (the line heartbeat would log) is built only if it is logged. */
    void reject(RejectReason reason, Supplier<String> text) {
        windows.get(reason).occurred(text);
    }

    /** How many were rejected for each reason since the start (for status). */
    Map<RejectReason, Long> totals() {
        Map<RejectReason, Long> m = new EnumMap<>(RejectReason.class);
        windows.forEach((r, w) -> {
            long total = w.total();
            if (total > 0) {
                m.put(r, total);
            }
        });
        return m;
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
