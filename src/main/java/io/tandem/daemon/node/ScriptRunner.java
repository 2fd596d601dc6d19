package io.tandem.daemon.node;

import io.tandem.resources.OpResult;
import io.tandem.resources.ResourceOp;
import java.util.concurrent.CompletableFuture;

/** Runs one resource operation outside the event loop and tells how it went. */
@FunctionalInterface
interface ScriptRunner {
    CompletableFuture<OpResult> run(ResourceOp op);
}
