package io.tandem.daemon.node;

import io.tandem.config.StonithDevice;
import io.tandem.daemon.log.LogText;
import io.tandem.daemon.process.ProcessResult;
import io.tandem.daemon.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Fences a node with cluster-glue's {@code stonith} command, as heartbeat's {@code Initiate_Reset}
 * does through the same library: {@code stonith -t TYPE -F FILE -T reset NODE}. A {@code stonith} line
 * names its FILE; the parameter string of a {@code stonith_host} line (often with a password) is written
 * to a file only root can read, for the time of the command, rather than passed as {@code -p PARAMS},
 * which every local user could read in the process list ({@code -F} takes the same syntax as {@code -p}).
 * No shell; the command runs in its own process group and is killed as a whole after {@link #TIMEOUT_MS}.
 */
final class StonithRunner {
    /** How long one fence may take: real power switches answer in seconds, a hung one must not block retries. */
    static final long TIMEOUT_MS = 120_000;
    /** How long a status check may take: a device that needs longer to say it works counts as failing. */
    static final long STATUS_TIMEOUT_MS = 60_000;
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

    /** The command line that resets {@code node} with the parameters in {@code paramFile}. */
    static List<String> argv(StonithDevice device, Path paramFile, String node) {
        return List.of(command(), "-t", device.type(), "-F", paramFile.toString(), "-T", "reset", node);
    }

    /** The command line that asks the device's status with the parameters in {@code paramFile}. */
    static List<String> statusArgv(StonithDevice device, Path paramFile) {
        return List.of(command(), "-t", device.type(), "-F", paramFile.toString(), "-S");
    }

    /** Runs the reset; completes (never exceptionally) when the command has ended. */
    CompletableFuture<Outcome> reset(String node) {
        return withParameters(file -> processes.run(argv(device, file, node), Map.of(), TIMEOUT_MS), r -> outcome(node, r));
    }

    /**
     * Asks the device's status ({@code stonith -S}, the periodic check); completes (never exceptionally)
     * when the command has ended. Its output is not logged line by line (the engine logs a failure once).
     */
    CompletableFuture<Outcome> status() {
        return withParameters(file -> processes.run(statusArgv(device, file), Map.of(), STATUS_TIMEOUT_MS), this::statusOutcome);
    }

    /**
     * Runs a command with the device's parameter file: the {@code stonith} line's own, or for a
     * {@code stonith_host} line a 0600 temporary file, removed when the command has ended.
     */
    private CompletableFuture<Outcome> withParameters(java.util.function.Function<Path, CompletableFuture<ProcessResult>> command,
            java.util.function.Function<ProcessResult, Outcome> judge) {
        Path file;
        Path temp = null;
        if (device.fromFile()) {
            file = Path.of(device.configFile());
        } else {
            try {
                temp = Files.createTempFile("tandem-stonith-", ".cfg",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(temp, device.params() + "\n");
            } catch (IOException | RuntimeException e) {
                deleteQuietly(temp);
                return CompletableFuture.completedFuture(new Outcome(false, "cannot write the stonith parameters: " + e.getMessage()));
            }
            file = temp;
        }
        Path written = temp;
        return command.apply(file).handle((r, failure) -> {
            deleteQuietly(written);
            return failure != null ? new Outcome(false, "cannot run stonith: " + failure.getMessage()) : judge.apply(r);
        });
    }

    private Outcome statusOutcome(ProcessResult r) {
        if (r.succeeded()) {
            return new Outcome(true, "");
        }
        List<String> lines = r.output();
        String last = lines.isEmpty() ? "" : ": " + LogText.clean(lines.get(lines.size() - 1));
        if (r.timedOut()) {
            return new Outcome(false, "stonith -t " + device.type() + " -S did not finish within " + STATUS_TIMEOUT_MS / 1000 + " s");
        }
        if (r.exitCode() == -1) {
            return new Outcome(false, "cannot run stonith" + last);
        }
        return new Outcome(false, "stonith -t " + device.type() + " -S exited with status " + r.exitCode() + last);
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a 0600 file in the temporary directory; the next boot's clean-up takes it
            }
        }
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
