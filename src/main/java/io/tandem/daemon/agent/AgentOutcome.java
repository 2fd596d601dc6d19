package io.tandem.daemon.agent;

import io.tandem.resources.Effect;
import io.tandem.resources.OpResult;
import io.tandem.resources.ResourceOp;
import java.util.List;
import java.util.Objects;

/**
 * What one resource operation came to: the result to feed back to the ownership engine and the log
 * lines to write (heartbeat's ResourceManager lines, the script's output at debug level).
 */
public record AgentOutcome(ResourceOp op, OpResult result, List<Effect.Log> log) {
    public AgentOutcome {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(result, "result");
        log = List.copyOf(log);
    }
}
