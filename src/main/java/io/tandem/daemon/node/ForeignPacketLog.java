package io.tandem.daemon.node;

import io.tandem.daemon.loop.EventLoop;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Log lines for packets a ucast medium dropped because their source is not a configured peer, at
 * most one per medium a minute: the first drop after a quiet minute is logged at once, the ones
 * after it are summed up a minute later (and so on while they continue). A flooding sender costs a
 * counter increment per packet; there is no table of sources, only the last one is named.
 * Called from the media's receive threads; the summaries run on the timer's thread.
 */
final class ForeignPacketLog {
    static final long WINDOW_MILLIS = 60_000;

    /** Runs a task once after a delay. */
    @FunctionalInterface
    interface Timer {
        void after(long delayMillis, Runnable task);
    }

    private static final class Window {
        long count;
        InetAddress last;
    }

    private final Consumer<String> warn;
    private final Timer timer;
    private final Map<String, Window> windows = new HashMap<>();

    ForeignPacketLog(Consumer<String> warn, Timer timer) {
        this.warn = warn;
        this.timer = timer;
    }

    /** Summaries run on the event loop; once it has stopped (the daemon is leaving) they are skipped. */
    static ForeignPacketLog on(EventLoop loop, Consumer<String> warn) {
        return new ForeignPacketLog(warn, (delay, task) -> {
            try {
                loop.after(delay, now -> task.run());
            } catch (RejectedExecutionException e) {
                // the loop has stopped: nothing more to report
            }
        });
    }

    /** A packet from {@code from} was dropped on {@code medium} (e.g. {@code ucast eth1}). */
    void dropped(String medium, InetAddress from) {
        synchronized (this) {
            Window w = windows.get(medium);
            if (w != null) {
                w.count++;
                w.last = from;
                return;
            }
            windows.put(medium, new Window());
        }
        warn.accept("Dropped a packet on " + medium + " from " + from.getHostAddress()
                + ", which is not a configured peer (further ones are counted and reported once a minute)");
        timer.after(WINDOW_MILLIS, () -> summarize(medium));
    }

    private void summarize(String medium) {
        String line;
        synchronized (this) {
            Window w = windows.get(medium);
            if (w.count == 0) {
                windows.remove(medium); // quiet for a minute: the next drop is logged at once again
                return;
            }
            line = String.format("Dropped %d packet(s) on %s from addresses that are not configured peers (last from %s) in the last %d s",
                    w.count, medium, w.last.getHostAddress(), WINDOW_MILLIS / 1000);
            w.count = 0;
            w.last = null;
        }
        warn.accept(line);
        timer.after(WINDOW_MILLIS, () -> summarize(medium));
    }
}
