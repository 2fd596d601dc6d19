package io.tandem.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code tandem takeover [all|local|foreign|failback]} (also {@code hb_takeover}): take resources
 * from the peer. Same arguments and exit codes as heartbeat's hb_takeover.
 */
@Command(name = "takeover", aliases = "hb_takeover",
        description = "Take resources (default: all) over from the other node.")
final class TakeoverCommand implements Callable<Integer> {
    @Mixin
    RunDirOption run;

    @Parameters(arity = "0..1", paramLabel = "all|local|foreign|failback", defaultValue = "all")
    String set;

    @Override
    public Integer call() {
        if (!ResourceSet.WORDS.contains(set)) {
            System.err.println("hb_takeover: wrong resources(" + set + ").");
            System.err.println("usage:\nhb_takeover [all|foreign|local|failback]");
            return 1;
        }
        return RunDirOption.print(run.call(List.of("takeover", ResourceSet.normalise(set))));
    }
}
