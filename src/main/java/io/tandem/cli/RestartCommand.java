package io.tandem.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tandem restart}: a graceful stop (groups handed to the peer), then a start with the given options. */
@Command(name = "restart", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Stop gracefully (handing resources to the peer), then start again.")
final class RestartCommand implements Callable<Integer> {
    @Mixin
    RunDirOption run;

    @Mixin
    DaemonOptions options;

    @Option(names = "--wait", paramLabel = "SECONDS", description = "how long to wait for the stop and for the start (default: ${DEFAULT-VALUE})")
    int waitSeconds = 300;

    @Override
    public Integer call() throws Exception {
        int stopped = RunDirOption.print(run.ask(List.of("stop", "--wait", Integer.toString(waitSeconds))));
        if (stopped != 0) {
            System.err.println("tandem: restart: the daemon did not stop; not starting a second one");
            return stopped;
        }
        StartCommand start = new StartCommand();
        start.run = run;
        start.options = options;
        start.waitSeconds = Math.min(waitSeconds, 120);
        return start.call();
    }
}
