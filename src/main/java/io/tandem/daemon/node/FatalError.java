package io.tandem.daemon.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * What the daemon does when an event on its loop fails with an unexpected exception (a bug): it
 * must not leave the address and the services running behind a dead daemon while the peer takes
 * over, so it first leaves the cluster the graceful way (its groups are stopped and handed to the
 * peer, as by {@code tandem stop}) and exits with {@link Daemon#CANNOT_START} after that, or after
 * {@value #RELEASE_DEADLINE_S} s if the release itself cannot finish. A second failure while
 * releasing ends it at once. Heap exhaustion is not handled here: the JVM exits on it
 * ({@code -XX:+ExitOnOutOfMemoryError}) because without memory no release can be trusted to run;
 * network input cannot cause it (every table and queue it fills is bounded).
 */
final class FatalError implements Consumer<Throwable> {
    static final long RELEASE_DEADLINE_S = 300;

    private final Consumer<String> crit;
    private final CompletableFuture<Integer> exit;
    private final Executor later;
    private final AtomicReference<Runnable> release = new AtomicReference<>();
    private volatile boolean failed;

    FatalError(Consumer<String> crit, CompletableFuture<Integer> exit) {
        this(crit, exit, CompletableFuture.delayedExecutor(RELEASE_DEADLINE_S, TimeUnit.SECONDS));
    }

    FatalError(Consumer<String> crit, CompletableFuture<Integer> exit, Executor later) {
        this.crit = crit;
        this.exit = exit;
        this.later = later;
    }

    /** How to leave the cluster gracefully, once the node runs. */
    void releaseWith(Runnable gracefulStop) {
        release.set(gracefulStop);
    }

    /** The exit code for the node's own exit: a graceful exit after a failure is still a failure. */
    int exitCode(int code) {
        return failed ? Daemon.CANNOT_START : code;
    }

    @Override
    public void accept(Throwable e) {
        if (exit.isDone()) {
            return;
        }
        failed = true;
        Runnable r = release.getAndSet(null);
        if (r == null) {
            crit.accept("Internal error, leaving: " + e);
            exit.complete(Daemon.CANNOT_START);
            return;
        }
        crit.accept("Internal error: " + e + ". Releasing our resources (handing them to the peer), then leaving.");
        later.execute(() -> {
            if (!exit.isDone()) {
                crit.accept("Resources not released within " + RELEASE_DEADLINE_S + " s after the internal error; leaving anyway.");
                exit.complete(Daemon.CANNOT_START);
            }
        });
        try {
            r.run();
        } catch (RuntimeException again) {
            crit.accept("Cannot release after the internal error: " + again);
            exit.complete(Daemon.CANNOT_START);
        }
    }
}
