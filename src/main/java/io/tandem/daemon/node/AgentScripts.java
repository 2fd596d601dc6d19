package io.tandem.daemon.node;

import io.tandem.daemon.agent.AgentRunner;
import io.tandem.resources.Effect;
import io.tandem.resources.OpResult;
import io.tandem.resources.ResourceOp;
import java.util.concurrent.CompletableFuture;

/** Resource operations through the agent runner; its log lines go to the log as they come back. */
final class AgentScripts implements ScriptRunner {
    private final AgentRunner agents;
    private final DaemonLog log;
    /** What the event history adds to an operation's entry (exit code, failed output), until {@link #details} takes it. */
    private final java.util.Map<ResourceOp, java.util.Map<String, String>> details = new java.util.concurrent.ConcurrentHashMap<>();

    AgentScripts(AgentRunner agents, DaemonLog log) {
        this.agents = agents;
        this.log = log;
    }

    /** The exit code and, for a failure, the agent's last output lines of the operation that just finished (once). */
    java.util.Map<String, String> details(ResourceOp op) {
        java.util.Map<String, String> d = details.remove(op);
        return d == null ? java.util.Map.of() : d;
    }

    @Override
    public CompletableFuture<OpResult> run(ResourceOp op) {
        return run(op, null);
    }

    @Override
    public CompletableFuture<OpResult> run(ResourceOp op, Runnable addressGone) {
        return agents.run(op, line -> log.engine(line.level(), line.source(), line.text()), addressGone).thenApply(outcome -> {
            for (Effect.Log line : outcome.log()) {
                log.engine(line.level(), line.source(), line.text());
            }
            if (details.size() >= 64) {
                details.clear(); // never taken (the daemon is leaving): bounded anyway
            }
            details.put(op, OpDetails.of(outcome));
            return outcome.result();
        });
    }
}
