package io.tandem.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code tandem cleanup GROUP}: forget a group's resource failures on this node, so the node may run
 * it again (a group kept stopped here because of them is started again if this node holds it).
 */
@Command(name = "cleanup",
        description = "Clear the fail counts of a resource group on this node (name its first resource or any resource of it).")
final class CleanupCommand implements Callable<Integer> {
    @Mixin
    RunDirOption run;

    @Parameters(arity = "1", paramLabel = "GROUP")
    String group;

    @Override
    public Integer call() {
        return RunDirOption.print(run.call(List.of("cleanup", group)));
    }
}
