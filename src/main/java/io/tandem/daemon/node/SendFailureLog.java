package io.tandem.daemon.node;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Failed sends on a medium (a link that is down: "Network is unreachable", a full send buffer),
 * logged at most once per medium and interval: heartbeat logs every failed packet, two or more a
 * second per dead link for as long as it is dead; here the first failure of an interval is logged
 * with its details and the rest as one summary line. The table has one entry per configured medium.
 */
final class SendFailureLog {
    private final Map<String, LineWindow> windows = new ConcurrentHashMap<>();
    private final Consumer<String> log;
    private final LongSupplier clock;
    private final LineWindow.Timer timer;
    private final long intervalMs;

    SendFailureLog(Consumer<String> log, LongSupplier clock, LineWindow.Timer timer, long intervalMs) {
        this.log = log;
        this.clock = clock;
        this.timer = timer;
        this.intervalMs = intervalMs;
    }

    /** A send on {@code medium} (its type and name, from the configuration) failed with {@code detail}. */
    void failed(String medium, String detail) {
        windows.computeIfAbsent(medium, m -> new LineWindow(log,
                (more, over, last) -> "Unable to send " + more + " more packets on " + m + " in the last " + over + " (last: " + last + ")",
                clock, timer, intervalMs)).occurred(() -> detail);
    }
}
