package io.tandem.daemon.loop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The one thread on which the core's state machines run. Everything that reaches the core (a
 * packet, a timer, a finished script, an operator request) is posted here, so the core needs no
 * locks and sees events one at a time, in order.
 */
public final class EventLoop implements AutoCloseable {
    private final ScheduledExecutorService executor;
    private final DaemonClock clock;
    private final Consumer<Throwable> onError;
    private ScheduledFuture<?> wake;
    private long wakeAt = Long.MAX_VALUE;

    public EventLoop(String name, DaemonClock clock, Consumer<Throwable> onError) {
        this.clock = clock;
        this.onError = onError;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            t.setPriority(Thread.MAX_PRIORITY);
            return t;
        });
    }

    public long now() {
        return clock.now();
    }

    /** Runs the task on the loop thread with the current time. */
    public void post(LongConsumer task) {
        try {
            executor.execute(() -> guarded(task));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the loop has stopped (the daemon is leaving): nothing is left to act on the event
        }
    }

    /** Runs a query on the loop thread and hands back its answer. */
    public <T> CompletableFuture<T> ask(Supplier<T> query) {
        try {
            return CompletableFuture.supplyAsync(query, executor);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new Stopping());
        }
    }

    /** The loop has stopped: the daemon is leaving and answers no more questions. */
    public static final class Stopping extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public Stopping() {
            super("the daemon is stopping");
        }
    }

    /**
     * Asks to be woken at {@code at} (in {@link DaemonClock} time). Only the earliest pending wake
     * is kept: the core tells the loop its next deadline after every event. Call from the loop thread.
     */
    public void wakeAt(long at, LongConsumer task) {
        if (wake != null && !wake.isDone() && wakeAt <= at) {
            return;
        }
        if (wake != null) {
            wake.cancel(false);
        }
        wakeAt = at;
        long delay = Math.max(0, at - clock.now());
        wake = executor.schedule(() -> {
            wakeAt = Long.MAX_VALUE;
            guarded(task);
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** Runs a task after a delay on the loop thread (independent of {@link #wakeAt}). */
    public ScheduledFuture<?> after(long delayMillis, LongConsumer task) {
        return executor.schedule(() -> guarded(task), delayMillis, TimeUnit.MILLISECONDS);
    }

    private void guarded(LongConsumer task) {
        try {
            task.accept(clock.now());
        } catch (RuntimeException | Error e) {
            onError.accept(e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
