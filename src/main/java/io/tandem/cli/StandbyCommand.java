package io.tandem.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code tandem standby [all|local|foreign|failback]} (also {@code hb_standby}): give resources to
 * the peer. Same arguments, message and exit codes as heartbeat's hb_standby.
 */
@Command(name = "standby", aliases = "hb_standby",
        description = "Hand this node's resources (default: all) to the other node.")
final class StandbyCommand implements Callable<Integer> {
    @Mixin
    RunDirOption run;

    @Parameters(arity = "0..1", paramLabel = "all|local|foreign|failback", defaultValue = "all")
    String set;

    @Override
    public Integer call() {
        if (!ResourceSet.WORDS.contains(set)) {
            System.err.println("hb_standby: wrong resources(" + set + ").");
            System.err.println("usage:\nhb_standby [all|foreign|local|failback]");
            return 1;
        }
        String s = ResourceSet.normalise(set);
        System.err.println("Going standby [" + s + "].");
        return RunDirOption.print(run.call(List.of("standby", s)));
    }
}
