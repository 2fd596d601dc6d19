package io.tandem.daemon.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A failed event releases the groups before the daemon exits, and the exit is a failure. */
class FatalErrorTest {
    private final List<String> lines = new ArrayList<>();
    private final List<Runnable> deadlines = new ArrayList<>();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final FatalError fatal = new FatalError(lines::add, exit, deadlines::add);

    @Test
    void beforeTheNodeRunsItLeavesAtOnce() {
        fatal.accept(new IllegalStateException("boom"));
        assertThat(exit).isCompletedWithValue(Daemon.CANNOT_START);
        assertThat(lines).containsExactly("Internal error, leaving: java.lang.IllegalStateException: boom");
    }

    @Test
    void aRunningNodeReleasesFirstAndItsGracefulExitCountsAsAFailure() {
        List<String> released = new ArrayList<>();
        fatal.releaseWith(() -> released.add("shutdown"));
        fatal.accept(new IllegalStateException("boom"));
        assertThat(released).containsExactly("shutdown");
        assertThat(exit).isNotDone();
        assertThat(lines.get(0)).contains("Releasing our resources");
        exit.complete(fatal.exitCode(0)); // the node left the cluster gracefully
        assertThat(exit).isCompletedWithValue(Daemon.CANNOT_START);
        deadlines.forEach(Runnable::run); // the deadline passes afterwards: nothing more
        assertThat(lines).hasSize(1);
    }

    @Test
    void aReleaseThatNeverEndsIsCutAtTheDeadlineAndASecondFailureEndsItAtOnce() {
        fatal.releaseWith(() -> { });
        fatal.accept(new IllegalStateException("boom"));
        deadlines.forEach(Runnable::run);
        assertThat(exit).isCompletedWithValue(Daemon.CANNOT_START);
        assertThat(lines.get(1)).startsWith("Resources not released within");

        CompletableFuture<Integer> exit2 = new CompletableFuture<>();
        FatalError f = new FatalError(lines::add, exit2, r -> { });
        f.releaseWith(() -> { });
        f.accept(new IllegalStateException("first"));
        f.accept(new IllegalStateException("second, while releasing"));
        assertThat(exit2).isCompletedWithValue(Daemon.CANNOT_START);
    }
}
