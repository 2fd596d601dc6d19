package io.tandem.daemon.process;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A long-running command (a {@code respawn} client): started without a shell in a process group of its
 * own ({@code setsid}), standard input and output on {@code /dev/null} as heartbeat gives its clients,
 * no time limit; {@link #stop} ends the whole group (TERM, then KILL after a grace period).
 */
public final class ChildProcess {
    private static final String SETSID = "/usr/bin/setsid";

    private final Process process;

    private ChildProcess(Process process) {
        this.process = process;
    }

    /** Starts {@code argv} with the daemon's environment (without bin/tandem's malloc arena limit) plus {@code env}. */
    public static ChildProcess start(List<String> argv, Map<String, String> env) throws IOException {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        List<String> command = new ArrayList<>(argv.size() + 1);
        command.add(SETSID);
        command.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(command);
        ChildEnvironment.withoutLauncherArenas(pb.environment());
        pb.environment().putAll(env);
        File devNull = new File("/dev/null");
        pb.redirectInput(ProcessBuilder.Redirect.from(devNull)).redirectOutput(ProcessBuilder.Redirect.to(devNull))
                .redirectError(ProcessBuilder.Redirect.to(devNull));
        return new ChildProcess(pb.start());
    }

    /** Its pid, which is also its process group (setsid). */
    public long pid() {
        return process.pid();
    }

    /** Completes with the exit status when the command ends (128+N for signal N). */
    public CompletableFuture<Integer> exit() {
        return process.onExit().thenApply(Process::exitValue);
    }

    /**
     * TERMs the process group and waits up to {@code graceMs} for it to end, then KILLs what is left.
     * Returns once the command has ended. Blocks the caller: call it off the event loop.
     */
    public void stop(long graceMs) throws InterruptedException {
        long pgid = process.pid();
        List<ProcessHandle> seen = new ArrayList<>(process.descendants().toList());
        ProcessRunner.signalGroup("TERM", pgid);
        seen.forEach(ProcessHandle::destroy);
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMs);
        while (System.nanoTime() - until < 0) {
            seen.addAll(process.descendants().toList());
            if (!process.isAlive() && !ProcessGroups.alive(pgid) && seen.stream().noneMatch(ProcessHandle::isAlive)) {
                return;
            }
            Thread.sleep(50);
        }
        ProcessRunner.signalGroup("KILL", pgid);
        seen.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }
}
