package io.tandem.daemon.agent;

import io.tandem.resources.ResourceOp.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One resolved agent: what to execute for a resource, with which arguments and environment.
 *
 * @param kind       how it is called and judged
 * @param resource   the haresources word it was resolved from, e.g. {@code IPaddr::192.0.2.1/24/eth0}
 * @param name       the script name ({@code IPaddr}, {@code apache2}, {@code ocf:heartbeat:Dummy})
 * @param executable the absolute path; for {@link AgentKind#BUILTIN} the word {@code builtin:IPaddr}
 * @param args       the {@code ::}-separated arguments (for OCF these went into the environment and
 *                   the list is empty)
 * @param env        variables to add to the daemon's environment (OCF only; empty otherwise)
 * @param timeoutMs  after this the whole process group is killed and the operation failed
 */
public record AgentCall(AgentKind kind, String resource, String name, String executable, List<String> args,
        Map<String, String> env, long timeoutMs) {
    public AgentCall {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(executable, "executable");
        args = List.copyOf(args);
        env = Map.copyOf(env);
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("timeout must be positive: " + timeoutMs);
        }
    }

    /** The word passed for the action: OCF agents get {@code monitor} for status. */
    public String operation(Action action) {
        if (kind == AgentKind.OCF && action == Action.STATUS) {
            return "monitor";
        }
        return action.word();
    }

    /** The full command line for {@code action}: executable, arguments, operation (no shell). */
    public List<String> argv(Action action) {
        List<String> argv = new ArrayList<>(args.size() + 2);
        argv.add(executable);
        argv.addAll(args);
        argv.add(operation(action));
        return List.copyOf(argv);
    }

    /** A copy with another timeout. */
    public AgentCall withTimeout(long ms) {
        return new AgentCall(kind, resource, name, executable, args, env, ms);
    }
}
