package io.tandem.daemon.agent;

import io.tandem.daemon.log.LogText;
import io.tandem.daemon.process.ProcessResult;
import io.tandem.daemon.process.ProcessRunner;
import io.tandem.resources.Effect;
import io.tandem.config.Severity;
import io.tandem.resources.OpResult;
import io.tandem.resources.ResourceOp;
import io.tandem.resources.ResourceOp.Action;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Carries out one {@link ResourceOp} the way heartbeat's ResourceManager does: resolves the resource
 * (§6.2), runs {@code <path> <args> start|stop|status} without a shell in its own process group with a
 * time limit, judges the result and returns it with ResourceManager's log lines:
 * <ul>
 * <li>start/stop: {@code info: Running <path> <args> <op>}, and on failure {@code ERROR: Return code N from <path>};</li>
 * <li>an unknown script: {@code ERROR: Cannot locate resource script <script>} (start/stop fail, status says not running);</li>
 * <li>the script's output and {@code <path> <args> <op> done. RC=N} at debug level (heartbeat sends them to the debug log),
 * but the output of a failed start or stop at ERROR (bounded, escaped), so that the agent's reason is in the log;</li>
 * <li>a run that hit its time limit: {@code ERROR: <path> <args> <op> timed out after N ms: process group killed}.</li>
 * </ul>
 */
public final class AgentRunner {
    /** The program heartbeat writes these lines from. */
    public static final String SOURCE = "ResourceManager";
    /** At most this many lines of a failed operation's output are logged at ERROR. */
    public static final int MAX_FAILURE_LINES = 20;
    /** Longest output line logged at ERROR. */
    public static final int MAX_LINE_CHARS = 512;

    private final ProcessRunner runner;
    private final AgentLookup lookup;
    private final AgentCatalog catalog;
    private final BuiltinIpAddr builtin;
    private final DemoWeb demoWeb;
    private final Map<String, String> baseEnv;
    private final List<String> execPrefix;
    /** The fast address step before heartbeat's IPaddr (null: none). */
    private final AddressStep addressStep;

    /**
     * @param baseEnv    added to every script's environment (heartbeat's {@code HA_*} variables, see
     *                   {@link #heartbeatEnvironment})
     * @param execPrefix put before every command, e.g. {@code ip netns exec NS}; empty normally
     */
    public AgentRunner(ProcessRunner runner, AgentLookup lookup, AgentCatalog catalog, Map<String, String> baseEnv,
            List<String> execPrefix) {
        this(runner, lookup, catalog, baseEnv, execPrefix, null);
    }

    /**
     * As above, with {@code addressStep} run before heartbeat's IPaddr {@code start} and {@code stop}
     * ({@link AddressStep}); null for none.
     */
    public AgentRunner(ProcessRunner runner, AgentLookup lookup, AgentCatalog catalog, Map<String, String> baseEnv,
            List<String> execPrefix, AddressStep addressStep) {
        this.addressStep = addressStep;
        this.runner = Objects.requireNonNull(runner, "runner");
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.baseEnv = Map.copyOf(baseEnv);
        this.execPrefix = List.copyOf(execPrefix);
        this.builtin = new BuiltinIpAddr(runner, execPrefix);
        this.demoWeb = new DemoWeb(baseEnv.getOrDefault("HA_CURHOST", "this node"));
    }

    /** The standard directories, the real file system, no prefix, the fast address step ({@link AddressStep}). */
    public static AgentRunner standard(ProcessRunner runner, Map<String, String> baseEnv) {
        return new AgentRunner(runner, AgentLookup.standard(), new FileAgentCatalog(), baseEnv, List.of(),
                AddressStep.standard(runner, List.of(), baseEnv));
    }

    /**
     * The process-wide variables heartbeat gives its resource scripts (docs/protocol.md §6.3).
     *
     * @param node     this node's name ({@code HA_CURHOST})
     * @param logfile  ha.cf {@code logfile}, or null
     * @param debugfile ha.cf {@code debugfile}, or null
     * @param facility ha.cf {@code logfacility}, or null
     */
    public static Map<String, String> heartbeatEnvironment(String node, String logfile, String debugfile, String facility) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HA_DIR", "/etc/ha.d");
        env.put("HA_FUNCS", "/etc/ha.d/shellfuncs");
        env.put("HA_RESOURCEDIR", AgentLookup.RESOURCE_DIR);
        env.put("HA_CURHOST", node);
        env.put("OCF_ROOT", AgentLookup.OCF_ROOT);
        env.put("HA_DATEFMT", "%Y/%m/%d_%T ");
        env.put("HA_debug", "0");
        env.put("HA_LOGD", "no");
        if (logfile != null) {
            env.put("HA_LOGFILE", logfile);
        }
        if (debugfile != null) {
            env.put("HA_DEBUGLOG", debugfile);
        }
        if (facility != null) {
            env.put("HA_LOGFACILITY", facility);
        }
        return env;
    }

    /** Resolves and runs {@code op}. Never completes exceptionally. */
    public CompletableFuture<AgentOutcome> run(ResourceOp op) {
        return run(op, (java.util.function.Consumer<Effect.Log>) null);
    }

    /**
     * As {@link #run(ResourceOp)}, but the {@code Running <script> <args> <op>} line goes to
     * {@code started} when the script starts (as heartbeat logs it), not with the outcome; with a
     * null {@code started} it is the outcome's first line.
     */
    public CompletableFuture<AgentOutcome> run(ResourceOp op, java.util.function.Consumer<Effect.Log> started) {
        return run(op, started, null);
    }

    /**
     * As {@link #run(ResourceOp, java.util.function.Consumer)}; {@code addressGone} (if not null) runs when
     * the fast address step of a stop has made the address gone from this host and silenced its ARP senders
     * ({@link AddressStep.Outcome#addressGone}), after the step's lines went to {@code started} and before
     * the script starts. It does not run otherwise.
     */
    public CompletableFuture<AgentOutcome> run(ResourceOp op, java.util.function.Consumer<Effect.Log> started, Runnable addressGone) {
        Objects.requireNonNull(op, "op");
        AgentCall call;
        try {
            call = lookup.lookup(op.resource(), catalog);
        } catch (AgentLookupException e) {
            OpResult r = op.action() == Action.STATUS ? OpResult.NOT_RUNNING : OpResult.FAILED;
            return CompletableFuture.completedFuture(new AgentOutcome(op, r, List.of(log(Severity.ERROR, e.getMessage()))));
        }
        return run(op, call, started, addressGone);
    }

    /** Runs {@code op} with an already resolved agent. Never completes exceptionally. */
    public CompletableFuture<AgentOutcome> run(ResourceOp op, AgentCall call) {
        return run(op, call, null, null);
    }

    private CompletableFuture<AgentOutcome> run(ResourceOp op, AgentCall resolved, java.util.function.Consumer<Effect.Log> started,
            Runnable addressGone) {
        if (addressStep != null && op.action() == Action.STATUS && op.timeoutMs() == 0 && AddressStep.eligibleStatus(resolved)) {
            // a takeover's status before start: an address on no interface is stopped for IPaddr too, without its script
            return addressStep.absent(resolved).thenCompose(absent -> absent.isPresent()
                    ? CompletableFuture.completedFuture(new AgentOutcome(op, OpResult.NOT_RUNNING, absent.get()))
                    : runAgent(op, resolved, started, null));
        }
        return runAgent(op, resolved, started, addressGone);
    }

    private CompletableFuture<AgentOutcome> runAgent(ResourceOp op, AgentCall resolved, java.util.function.Consumer<Effect.Log> started,
            Runnable addressGone) {
        Action action = op.action();
        // a monitor check carries its own time limit
        AgentCall call = op.timeoutMs() > 0 ? resolved.withTimeout(op.timeoutMs()) : resolved;
        List<String> argv = call.argv(action);
        String commandText = commandText(call, action);
        List<Effect.Log> lines = new ArrayList<>();
        if (action != Action.STATUS) {
            Effect.Log running = log(Severity.INFO, "Running " + commandText);
            if (started != null) {
                started.accept(running);
            } else {
                lines.add(running);
            }
        }
        lines.add(log(Severity.DEBUG, "Starting " + commandText));
        CompletableFuture<ProcessResult> running;
        if (call.kind() == AgentKind.BUILTIN) {
            running = io.tandem.daemon.agent.BuiltinNames.DEMO_WEB.equals(call.name()) ? demoWeb.run(call.args(), action)
                    : builtin.run(call.args(), action);
        } else {
            Map<String, String> env = new LinkedHashMap<>(baseEnv);
            env.putAll(call.env());
            List<String> full = new ArrayList<>(execPrefix);
            full.addAll(argv);
            if (addressStep != null && AddressStep.eligible(call, action).isPresent()) {
                // the address first (what the client waits for), then the script, which finds it done
                running = addressStep.step(call, action).thenCompose(step -> {
                    if (started != null) {
                        step.lines().forEach(started); // logged when done, before the script: the timeline shows the address's moment
                    } else {
                        synchronized (lines) {
                            lines.addAll(step.lines());
                        }
                    }
                    if (step.addressGone() && addressGone != null) {
                        addressGone.run(); // the engine may say done now; the script's rest follows
                    }
                    return runner.run(full, env, call.timeoutMs());
                });
            } else {
                running = runner.run(full, env, call.timeoutMs());
            }
        }
        return running.handle((r, failure) -> {
            ProcessResult res = r != null ? r
                    : new ProcessResult(-1, List.of(String.valueOf(failure)), false, List.of());
            OpResult result = judge(call.kind(), action, res);
            boolean failed = action != Action.STATUS && result == OpResult.FAILED;
            lines.addAll(output(call.name(), res.output(), failed));
            if (res.timedOut()) {
                lines.add(log(Severity.ERROR, commandText + " timed out after " + call.timeoutMs() + " ms: process group killed"));
            }
            lines.add(log(Severity.DEBUG, commandText + " done. RC=" + res.exitCode()));
            if (action != Action.STATUS && result == OpResult.FAILED) {
                lines.add(log(Severity.ERROR, "Return code " + res.exitCode() + " from " + call.executable()));
            }
            return new AgentOutcome(op, result, lines);
        });
    }

    /**
     * The agent's output as log lines under its name: at debug level normally (heartbeat sends it to
     * the debug log), at ERROR when the operation failed, so that the agent's own reason ("IP address
     * ... not valid") stands next to {@code Return code N}. Escaped ({@link LogText}) and bounded: at most
     * {@value #MAX_FAILURE_LINES} lines (the last ones, where agents say why they stop), the rest counted.
     */
    static List<Effect.Log> output(String agent, List<String> output, boolean failed) {
        List<Effect.Log> out = new ArrayList<>();
        if (!failed) {
            for (String line : output) {
                out.add(new Effect.Log(Severity.DEBUG, agent, LogText.clean(line)));
            }
            return out;
        }
        int skip = Math.max(0, output.size() - MAX_FAILURE_LINES);
        if (skip > 0) {
            out.add(new Effect.Log(Severity.ERROR, agent, "(" + skip + " earlier output lines not shown)"));
        }
        for (String line : output.subList(skip, output.size())) {
            String text = line.startsWith("ERROR: ") ? line.substring("ERROR: ".length()) : line; // the level is ours
            out.add(new Effect.Log(Severity.ERROR, agent, LogText.clean(text.length() > MAX_LINE_CHARS
                    ? text.substring(0, MAX_LINE_CHARS) + "...[" + (text.length() - MAX_LINE_CHARS) + " more characters]" : text)));
        }
        return out;
    }

    private static OpResult judge(AgentKind kind, Action action, ProcessResult res) {
        if (action != Action.STATUS) {
            return res.timedOut() ? OpResult.FAILED : StatusJudge.judgeStartStop(res.exitCode());
        }
        if (res.timedOut()) {
            return OpResult.FAILED;
        }
        List<String> judged = kind == AgentKind.HEARTBEAT_SCRIPT ? res.stdout() : res.output();
        return StatusJudge.judge(kind, res.exitCode(), judged);
    }

    /** {@code <path> <args> <op>} as ResourceManager writes it (two blanks when there are no arguments). */
    private static String commandText(AgentCall call, Action action) {
        return call.executable() + " " + String.join(" ", call.args()) + " " + call.operation(action);
    }

    private static Effect.Log log(Severity level, String text) {
        return new Effect.Log(level, SOURCE, text);
    }
}
