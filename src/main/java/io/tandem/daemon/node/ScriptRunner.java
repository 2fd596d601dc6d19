package io.tandem.daemon.node;

import io.tandem.resources.OpResult;
import io.tandem.resources.ResourceOp;
import java.util.concurrent.CompletableFuture;

/** Runs one resource operation outside the event loop and tells how it went. */
@FunctionalInterface
interface ScriptRunner {
    CompletableFuture<OpResult> run(ResourceOp op);

    /**
     * As {@link #run(ResourceOp)}; {@code addressGone} runs (on any thread) when the address of a stop is
     * gone from this host and no longer announced before the script ends (the fast address step); never
     * for a runner without that step.
     */
    default CompletableFuture<OpResult> run(ResourceOp op, Runnable addressGone) {
        return run(op);
    }
}
