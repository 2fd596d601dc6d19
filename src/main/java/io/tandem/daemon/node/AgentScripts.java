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

    AgentScripts(AgentRunner agents, DaemonLog log) {
        this.agents = agents;
        this.log = log;
    }

    @Override
    public CompletableFuture<OpResult> run(ResourceOp op) {
        return agents.run(op, line -> log.engine(line.level(), line.source(), line.text())).thenApply(outcome -> {
            for (Effect.Log line : outcome.log()) {
                log.engine(line.level(), line.source(), line.text());
            }
            return outcome.result();
        });
    }
}
