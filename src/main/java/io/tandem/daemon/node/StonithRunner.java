package io.tandem.daemon.node;

import io.tandem.config.StonithDevice;
import io.tandem.daemon.log.LogText;
import io.tandem.daemon.process.ProcessResult;
import io.tandem.daemon.process.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Fences a node with cluster-glue's {@code stonith} command, as heartbeat's {@code Initiate_Reset}
 * does through the same library: {@code stonith -t TYPE -F FILE -T reset NODE} for a {@code stonith}
 * line, {@code stonith -t TYPE -p PARAMS -T reset NODE} for a {@code stonith_host} line. No shell; the
 * command runs in its own process group and is killed as a whole after {@link #TIMEOUT_MS}.
 */
final class StonithRunner {
    /** How long one fence may take: real power switches answer in seconds, a hung one must not block retries. */
    static final long TIMEOUT_MS = 120_000;
    /** At most this many lines of the command's output are logged per attempt. */
    private static final int LOGGED_LINES = 20;

    /** How an attempt ended: {@code detail} says why it failed (empty on success). */
    record Outcome(boolean ok, String detail) {
    }

    private final ProcessRunner processes;
    private final StonithDevice device;
    private final Consumer<String> log;

    /** @param log where the command's output lines go (the daemon's info log), already escaped */
    StonithRunner(ProcessRunner processes, StonithDevice device, Consumer<String> log) {
        this.processes = processes;
        this.device = device;
        this.log = log;
    }

    /** The command line that resets {@code node}. */
    static List<String> argv(StonithDevice device, String node) {
        List<String> argv = new ArrayList<>(List.of(command(), "-t", device.type()));
        if (device.fromFile()) {
            argv.addAll(List.of("-F", device.configFile()));
        } else {
            argv.addAll(List.of("-p", device.params()));
        }
        argv.addAll(List.of("-T", "reset", node));
        return argv;
    }

    /** Runs the reset; completes (never exceptionally) when the command has ended. */
    CompletableFuture<Outcome> reset(String node) {
        return processes.run(argv(device, node), Map.of(), TIMEOUT_MS).thenApply(r -> outcome(node, r));
    }

    private Outcome outcome(String node, ProcessResult r) {
        List<String> lines = r.output();
        for (int i = 0; i < Math.min(lines.size(), LOGGED_LINES); i++) {
            log.accept("stonith " + node + ": " + LogText.clean(lines.get(i)));
        }
        if (r.succeeded()) {
            return new Outcome(true, "");
        }
        String last = lines.isEmpty() ? "" : ": " + LogText.clean(lines.get(lines.size() - 1));
        if (r.timedOut()) {
            return new Outcome(false, "stonith -t " + device.type() + " did not finish within " + TIMEOUT_MS / 1000 + " s");
        }
        if (r.exitCode() == -1) {
            return new Outcome(false, "cannot run stonith" + last);
        }
        return new Outcome(false, "stonith -t " + device.type() + " -T reset " + node + " exited with status " + r.exitCode() + last);
    }

    /** cluster-glue's {@code stonith} where Debian installs it, else from the PATH. */
    private static String command() {
        Path sbin = Path.of("/usr/sbin/stonith");
        return Files.isExecutable(sbin) ? sbin.toString() : "stonith";
    }
}
