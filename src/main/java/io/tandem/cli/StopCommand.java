package io.tandem.cli;

import io.tandem.daemon.lifecycle.PidFile;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tandem stop}: graceful stop like {@code heartbeat -k}: the daemon releases its groups,
 * tells the peer (which takes them at once), and exits; this command waits until it is gone.
 */
@Command(name = "stop", description = "Stop the daemon gracefully, handing resources to the peer; waits until done.")
final class StopCommand implements Callable<Integer> {
    @Mixin
    RunDirOption run;

    @Option(names = "--wait", paramLabel = "SECONDS", description = "how long to wait for the hand-over (default: ${DEFAULT-VALUE})")
    int waitSeconds = 300;

    @Override
    public Integer call() throws InterruptedException {
        PidFile pidFile = new PidFile(run.runDir.resolve("tandem.pid"));
        Optional<Long> pid = pidFile.runningPid();
        var reply = run.call(List.of("stop"));
        if (reply.exitCode() == RunDirOption.NOT_RUNNING && pid.isEmpty()) {
            System.out.println("Tandem already stopped.");
            return 0;
        }
        if (reply.exitCode() == RunDirOption.NOT_RUNNING) {
            ProcessHandle.of(pid.get()).ifPresent(ProcessHandle::destroy); // SIGTERM = graceful stop too
        }
        long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
        while (pid.isPresent() && ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive).orElse(false)) {
            if (System.nanoTime() > deadline) {
                System.err.println("tandem: pid " + pid.get() + " still running after " + waitSeconds + " s");
                return 1;
            }
            Thread.sleep(50);
        }
        System.out.println("Tandem stopped.");
        return 0;
    }
}
