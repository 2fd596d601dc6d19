package io.tandem.daemon.node;

import io.tandem.config.Severity;
import io.tandem.daemon.process.ProcessRunner;
import io.tandem.wire.Field;
import io.tandem.wire.FieldType;
import io.tandem.wire.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Heartbeat's event hooks (docs/protocol.md 6.3): for a cluster message of type T with an executable
 * {@code /etc/ha.d/rc.d/T}, run {@code rc.d/T T} with {@code HA_<field>} for every string field,
 * {@code HA_OSTATUS}, {@code HA_NICEFAILBACK} and the scripts' usual environment; one at a time,
 * in arrival order, each in its own process group with a time limit.
 *
 * <p>The stock hooks heartbeat ships for {@code status}, {@code ip-request}, {@code ip-request-resp}
 * and {@code hb_takeover} drive heartbeat's own resource handling, which Tandem does itself (the
 * ownership engine); running them as well would act twice. So hooks run for every other type: the
 * site's own message types (sent with {@code ha_clustermsg} or by API clients).
 */
final class RcHooks {
    static final Set<String> HANDLED_INSIDE = Set.of("status", "ip-request", "ip-request-resp", "hb_takeover", "ask_resources",
            "starting", "resource", "shutdone", "reqnodes", "repnodes", "addnode", "delnode", "setweight", "setsite");
    private static final long TIMEOUT_MS = 120_000;

    private final Path rcDir;
    private final ProcessRunner runner;
    private final Map<String, String> baseEnv;
    private final boolean niceFailback;
    private final DaemonLog log;
    private CompletableFuture<?> queue = CompletableFuture.completedFuture(null);

    RcHooks(Path confDir, ProcessRunner runner, Map<String, String> baseEnv, boolean niceFailback, DaemonLog log) {
        this.rcDir = confDir.resolve("rc.d");
        this.runner = runner;
        this.baseEnv = Map.copyOf(baseEnv);
        this.niceFailback = niceFailback;
        this.log = log;
    }

    /** Queues the hook for this message, if there is one; {@code localStatus} is ours now. Called on the loop thread. */
    void message(Message m, String localStatus) {
        String type = m.type().toLowerCase(Locale.ROOT);
        if (type.isEmpty() || type.startsWith("ns_") || HANDLED_INSIDE.contains(type) || type.contains("/") || type.startsWith(".")) {
            return;
        }
        Path script = rcDir.resolve(type);
        if (!Files.isRegularFile(script) || !Files.isExecutable(script)) {
            return;
        }
        Map<String, String> env = environment(m, localStatus);
        List<String> argv = List.of(script.toString(), type);
        queue = queue.handle((x, e) -> null).thenCompose(x -> {
            log.script(Severity.INFO, "harc(default)", "Running " + script + " " + type);
            return runner.run(argv, env, TIMEOUT_MS);
        }).thenAccept(r -> {
            for (String line : r.output()) {
                log.script(Severity.INFO, type + "(default)", line);
            }
            if (r.timedOut()) {
                log.script(Severity.ERROR, "harc(default)", script + " timed out after " + TIMEOUT_MS + " ms: process group killed");
            } else if (r.exitCode() != 0) {
                log.script(Severity.ERROR, "harc(default)", script + " returned " + r.exitCode());
            }
        });
    }

    Map<String, String> environment(Message m, String localStatus) {
        Map<String, String> env = new LinkedHashMap<>(baseEnv);
        for (Field f : m.fields()) {
            if (f.type() == FieldType.STRING && f.name().matches("[A-Za-z0-9_]+") && !env.containsKey("HA_" + f.name())) {
                env.put("HA_" + f.name(), f.text());
            }
        }
        env.put("HA_OSTATUS", localStatus);
        if (niceFailback) {
            env.put("HA_NICEFAILBACK", "yes");
        }
        return env;
    }

}
