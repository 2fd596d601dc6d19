package io.tandem.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tandem status}: nodes, links, ping nodes, groups, generation and uptime. */
@Command(name = "status", description = "Show what the local daemon knows: nodes, links, groups and their owners.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    RunDirOption run;

    @Option(names = "--json", description = "print JSON for scripts")
    boolean json;

    @Override
    public Integer call() {
        return RunDirOption.print(run.call(json ? List.of("status", "json") : List.of("status")));
    }
}
