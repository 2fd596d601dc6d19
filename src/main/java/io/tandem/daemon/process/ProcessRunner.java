package io.tandem.daemon.process;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one command without a shell, in a process group of its own ({@code setsid}), with a time limit
 * after which the whole group is killed: {@code SIGTERM}, then {@code SIGKILL} after a grace period,
 * to the group and to every descendant seen (so a backgrounded grandchild dies too, even if it moved
 * to another group).
 *
 * <p>The child inherits the daemon's environment plus {@code env}; stdin is {@code /dev/null}. The
 * result completes when the command itself exits: processes it left behind on purpose (a daemon an
 * init script started) are not waited for and not killed, and output they write later is not kept.
 */
public final class ProcessRunner implements AutoCloseable {
    /** At most this many lines are kept per run; the rest is counted. */
    public static final int MAX_LINES = 2000;
    /**
     * After exit, how long (in all) the readers may still take to deliver what the command wrote.
     * Normally the pipes close with the command and this costs nothing; a background child that
     * keeps them open (IPaddr's send_arp) would otherwise hold up every takeover.
     */
    private static final long DRAIN_MS = 150;

    private static final String SETSID = "/usr/bin/setsid";
    private static final String KILL = "/bin/kill";

    private final long graceMs;
    private final ScheduledExecutorService timers;

    /** @param graceMs time between {@code SIGTERM} and {@code SIGKILL} when a run times out */
    public ProcessRunner(long graceMs) {
        if (graceMs < 0) {
            throw new IllegalArgumentException("grace must not be negative: " + graceMs);
        }
        this.graceMs = graceMs;
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tandem-process-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** A runner with a 5 s grace between TERM and KILL. */
    public ProcessRunner() {
        this(5_000);
    }

    /**
     * Starts {@code argv} and completes when it exits or, after {@code timeoutMs}, when its process group
     * has been killed. Never completes exceptionally: a command that cannot be started gives exit code
     * -1 and the reason as its only output line.
     */
    public CompletableFuture<ProcessResult> run(List<String> argv, Map<String, String> env, long timeoutMs) {
        Objects.requireNonNull(argv, "argv");
        Objects.requireNonNull(env, "env");
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("timeout must be positive: " + timeoutMs);
        }
        List<String> command = new ArrayList<>(argv.size() + 1);
        command.add(SETSID);
        command.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(command);
        // systemd's notification socket and the launcher's malloc arena limit are the daemon's, not its scripts'
        ChildEnvironment.clean(pb.environment());
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process;
        try {
            process = pb.start();
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.completedFuture(
                    new ProcessResult(-1, List.of("cannot run " + argv.get(0) + ": " + e.getMessage()), false, List.of()));
        }
        return new Run(process).start(timeoutMs);
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }

    /** One running command. */
    private final class Run {
        private final Process process;
        private final Output output = new Output();
        private final AtomicBoolean timedOut = new AtomicBoolean();
        private final CompletableFuture<ProcessResult> result = new CompletableFuture<>();
        private final CompletableFuture<Void> groupGone = new CompletableFuture<>();

        Run(Process process) {
            this.process = process;
        }

        CompletableFuture<ProcessResult> start(long timeoutMs) {
            Thread out = reader(process.getInputStream(), true);
            Thread err = reader(process.getErrorStream(), false);
            var timeout = timers.schedule(this::expire, timeoutMs, TimeUnit.MILLISECONDS);
            process.onExit().thenRun(() -> {
                timeout.cancel(false);
                Thread drain = new Thread(() -> finish(out, err), "tandem-process-drain");
                drain.setDaemon(true);
                drain.start();
            });
            return result;
        }

        private void finish(Thread out, Thread err) {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MS);
            join(out, until);
            join(err, until);
            if (timedOut.get()) {
                groupGone.join();
            }
            int code = process.exitValue();
            result.complete(new ProcessResult(code, output.all(), timedOut.get(), output.stdout()));
        }

        private void join(Thread reader, long until) {
            try {
                reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The time limit passed: TERM the group now, KILL what is left of it after the grace period. */
        private void expire() {
            if (!process.isAlive()) {
                return;
            }
            timedOut.set(true);
            long pgid = process.pid();
            List<ProcessHandle> seen = new ArrayList<>(process.descendants().toList());
            signalGroup("TERM", pgid);
            seen.forEach(ProcessHandle::destroy);
            long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMs);
            awaitGroup(pgid, seen, killAt);
        }

        /** Checks every 100 ms whether the group died of the TERM; at {@code killAt} KILLs the rest. */
        private void awaitGroup(long pgid, List<ProcessHandle> seen, long killAt) {
            seen.addAll(process.descendants().toList());
            boolean alive = process.isAlive() || ProcessGroups.alive(pgid) || seen.stream().anyMatch(ProcessHandle::isAlive);
            if (!alive) {
                groupGone.complete(null);
                return;
            }
            if (System.nanoTime() - killAt >= 0) {
                signalGroup("KILL", pgid);
                seen.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                groupGone.complete(null);
                return;
            }
            timers.schedule(() -> awaitGroup(pgid, seen, killAt), 100, TimeUnit.MILLISECONDS);
        }

        private Thread reader(InputStream in, boolean isStdout) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        output.add(line, isStdout);
                    }
                } catch (IOException e) {
                    output.add("(output lost: " + e.getMessage() + ")", false);
                }
            }, isStdout ? "tandem-process-stdout" : "tandem-process-stderr");
            t.setDaemon(true);
            t.start();
            return t;
        }
    }

    /** {@code kill -SIG -- -PGID}; the group may already be gone, which is fine. */
    static void signalGroup(String signal, long pgid) {
        try {
            Process kill = new ProcessBuilder(KILL, "-" + signal, "--", "-" + pgid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // the descendants are still signalled one by one
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Collected lines, both streams in arrival order, and stdout alone. */
    private static final class Output {
        private final List<String> all = new ArrayList<>();
        private final List<String> stdout = new ArrayList<>();
        private int dropped;

        synchronized void add(String line, boolean isStdout) {
            if (all.size() >= MAX_LINES) {
                dropped++;
                return;
            }
            all.add(line);
            if (isStdout) {
                stdout.add(line);
            }
        }

        synchronized List<String> all() {
            if (dropped == 0) {
                return List.copyOf(all);
            }
            List<String> copy = new ArrayList<>(all);
            copy.add("(" + dropped + " more lines not kept)");
            return copy;
        }

        synchronized List<String> stdout() {
            return List.copyOf(stdout);
        }
    }
}
