package io.tandem.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tandem start}: starts the daemon detached (its own session, like {@code service heartbeat
 * start}) and returns once it answers on its control socket — or, if it dies first, exits non-zero
 * with the reason it printed. bin/tandem does the same without this JVM when perl is there.
 */
@Command(name = "start", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Start the daemon in the background; returns when it is up.")
final class StartCommand implements Callable<Integer> {
    @Mixin
    RunDirOption run;

    @Mixin
    DaemonOptions options;

    @Option(names = "--wait", paramLabel = "SECONDS", description = "how long to wait for the daemon to come up (default: ${DEFAULT-VALUE})")
    int waitSeconds = 30;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (run.running()) {
            return RunDirOption.print(run.ask(List.of("start"))); // the daemon says it already runs
        }
        Path out = options.paths(run.runDir).daemonOutput();
        try {
            io.tandem.daemon.lifecycle.PrivateDirectory.ensure(run.runDir, "run directory");
            io.tandem.daemon.lifecycle.PrivateDirectory.clearUnlessRegular(out); // the output is opened for writing: never through a link
        } catch (IOException e) {
            System.err.println("tandem: " + e.getMessage());
            return 3; // as the daemon's own start (Daemon.CANNOT_START)
        }
        List<String> cmd = new ArrayList<>();
        cmd.add("setsid");
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", "--detached", "--run-dir", run.runDir.toString()));
        cmd.addAll(options.toArgs());
        Process p = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile()).redirectErrorStream(true).start();
        long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                System.err.println("tandem: the daemon did not start (exit " + p.exitValue() + "):");
                System.err.print(tail(out));
                return 1;
            }
            if (run.running()) {
                System.out.println("tandem: started (pid " + p.pid() + ")");
                return 0;
            }
            Thread.sleep(50);
        }
        System.err.println("tandem: the daemon (pid " + p.pid() + ") did not answer within " + waitSeconds + " s; see " + out);
        return 1;
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())) + "\n";
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")\n";
        }
    }
}
