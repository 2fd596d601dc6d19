package io.tandem.daemon.hooks;

import io.tandem.config.NotifyCf;
import io.tandem.config.Severity;
import io.tandem.daemon.process.ProcessResult;
import io.tandem.daemon.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs tandem.cf's notify hooks (docs/observability.md) for each {@link HookEvent}: every
 * {@code notify} script, then every executable file of {@code notify_dir} in name order, as
 * {@code SCRIPT EVENT SUBJECT} with {@code TANDEM_*} variables, through the {@link ProcessRunner}
 * (no shell, own process group, killed as a whole at {@code notify_timeout}). Hooks run one at a
 * time, in the order of the events, off the event loop: {@link #fire} only queues. At most
 * {@link #MAX_QUEUED} runs wait; past that an event's hooks are dropped, counted, and logged (the
 * first drop at once, then at most one line per {@link #DROP_LOG_MS} with the count).
 */
public final class NotifyHooks {
    static final int MAX_QUEUED = 64;
    static final long DROP_LOG_MS = 10_000;
    /** What a value from the cluster may hold in an argument or variable: printable, at most this long. */
    static final int MAX_VALUE = 200;

    /** Where the hooks' lines go (the daemon log). */
    public interface Log {
        void line(Severity level, String text);
    }

    private final ProcessRunner runner;
    private final Map<String, String> baseEnv;
    private final String localNode;
    private final Log log;
    private volatile NotifyCf config;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final Map<String, AtomicLong> runs = new ConcurrentHashMap<>();
    private long droppedLogged;
    private long lastDropLog = Long.MIN_VALUE;
    private CompletableFuture<?> chain = CompletableFuture.completedFuture(null);

    /** @param baseEnv what every hook gets besides the TANDEM_* variables (the resource scripts' HA_* variables) */
    public NotifyHooks(NotifyCf config, ProcessRunner runner, Map<String, String> baseEnv, String localNode, Log log) {
        this.config = config;
        this.runner = runner;
        this.baseEnv = Map.copyOf(baseEnv);
        this.localNode = localNode;
        this.log = log;
    }

    /** A reload's new settings (the runs already queued keep theirs). */
    public void configure(NotifyCf next) {
        config = next;
    }

    /** Queues the hooks of {@code e}; returns at once. Called on the event loop; {@code now} for the drop log. */
    public synchronized void fire(HookEvent e, long now) {
        NotifyCf cf = config;
        if (!cf.any()) {
            return;
        }
        if (queued.get() >= MAX_QUEUED) {
            dropped.incrementAndGet();
            if (lastDropLog == Long.MIN_VALUE || now - lastDropLog >= DROP_LOG_MS) {
                long n = dropped.get() - droppedLogged;
                droppedLogged = dropped.get();
                lastDropLog = now;
                log.line(Severity.WARN, "Notify hooks: " + MAX_QUEUED + " runs waiting; dropped the hooks of " + n + " event(s), "
                        + dropped.get() + " since the start (last: " + e.event() + " " + clean(e.subject()) + ")");
            }
            return;
        }
        queued.incrementAndGet();
        List<String> argsTail = List.of(e.event(), clean(e.subject()));
        Map<String, String> env = environment(e);
        chain = chain.handle((x, f) -> null).thenCompose(x -> runAll(cf, argsTail, env)).whenComplete((x, f) -> queued.decrementAndGet());
    }

    /** The variables of {@code e} (every TANDEM_* one set, "" when it does not apply, so none leaks from the daemon's own). */
    Map<String, String> environment(HookEvent e) {
        Map<String, String> env = new LinkedHashMap<>(baseEnv);
        env.put("TANDEM_EVENT", e.event());
        env.put("TANDEM_SUBJECT", clean(e.subject()));
        env.put("TANDEM_GROUP", clean(e.group()));
        env.put("TANDEM_NODE", localNode);
        env.put("TANDEM_PEER", clean(e.peer()));
        env.put("TANDEM_STATE", clean(e.state()));
        env.put("TANDEM_CAUSE", clean(e.cause()));
        env.put("TANDEM_TIME", Instant.ofEpochMilli(e.time()).toString());
        env.put("TANDEM_SEQ", Long.toString(e.seq()));
        return env;
    }

    private CompletableFuture<Void> runAll(NotifyCf cf, List<String> argsTail, Map<String, String> env) {
        CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
        for (String script : scripts(cf)) {
            List<String> argv = new ArrayList<>();
            argv.add(script);
            argv.addAll(argsTail);
            done = done.thenCompose(x -> {
                Path p = Path.of(script);
                if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                    log.line(Severity.ERROR, "Notify hook " + script + " " + String.join(" ", argsTail) + ": not an executable file");
                    runs.computeIfAbsent("error", k -> new AtomicLong()).incrementAndGet();
                    return CompletableFuture.completedFuture(null);
                }
                return runner.run(argv, env, cf.timeoutMs()).thenAccept(r -> ended(script, argsTail, r, cf.timeoutMs()));
            });
        }
        return done;
    }

    /** The {@code notify} scripts, then {@code notify_dir}'s executable regular files (no dot files, no links), by name. */
    static List<String> scripts(NotifyCf cf) {
        List<String> out = new ArrayList<>(cf.scripts());
        if (!cf.dir().isEmpty()) {
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> d = Files.newDirectoryStream(Path.of(cf.dir()))) {
                for (Path p : d) {
                    String name = p.getFileName().toString();
                    if (name.matches("[A-Za-z0-9_-]{1,64}") && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.isExecutable(p)) {
                        names.add(p.toString());
                    }
                    if (names.size() >= 64) {
                        break;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // a missing or unreadable directory runs no hook from it (said in the runs' log lines: none)
            }
            names.sort(null);
            out.addAll(names);
        }
        return out;
    }

    private void ended(String script, List<String> argsTail, ProcessResult r, long timeoutMs) {
        String what = "Notify hook " + script + " " + String.join(" ", argsTail);
        String result;
        if (r.timedOut()) {
            result = "timeout";
            log.line(Severity.ERROR, what + " timed out after " + timeoutMs + " ms: process group killed");
        } else if (r.exitCode() == -1 && !r.output().isEmpty() && r.output().get(0).startsWith("cannot run ")) {
            result = "error";
            log.line(Severity.ERROR, what + ": " + clean(r.output().get(0)));
        } else if (r.exitCode() != 0) {
            result = "failed";
            log.line(Severity.WARN, what + " returned " + r.exitCode() + lastLine(r));
        } else {
            result = "ok";
            log.line(Severity.INFO, what + " done");
        }
        runs.computeIfAbsent(result, k -> new AtomicLong()).incrementAndGet();
    }

    private static String lastLine(ProcessResult r) {
        return r.output().isEmpty() ? "" : ": " + clean(r.output().get(r.output().size() - 1));
    }

    /** Runs by how they ended ({@code ok}, {@code failed}, {@code timeout}, {@code error}). Any thread. */
    public Map<String, Long> runs() {
        Map<String, Long> m = new LinkedHashMap<>();
        runs.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** Events whose hooks were dropped (queue full). Any thread. */
    public long dropped() {
        return dropped.get();
    }

    /** A value from the cluster as a hook gets it: control characters become '?', at most {@link #MAX_VALUE} characters. */
    static String clean(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_VALUE));
        for (int i = 0; i < s.length() && b.length() < MAX_VALUE; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f || Character.isSurrogate(c) ? '?' : c);
        }
        return b.toString();
    }
}
