package io.tandem.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** heartbeat's {@code cl_status}, answered by the local daemon (see bin/cl_status). */
@Command(name = "cl_status", description = "heartbeat-compatible cluster status queries (hbstatus, listnodes, nodestatus, ...).")
final class ClStatusCommand implements Callable<Integer> {
    static final int OTHER_ERROR = 13;

    @Mixin
    RunDirOption run;

    @Parameters(arity = "0..*", paramLabel = "ARGS")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> words = new ArrayList<>();
        words.add("cl_status");
        words.addAll(args);
        var reply = run.call(words);
        if (reply.exitCode() == RunDirOption.NOT_RUNNING) {
            if (args.contains("hbstatus")) {
                System.out.println("Heartbeat is stopped on this machine.");
                return 1;
            }
            System.err.println("Cannot signon with heartbeat");
            System.err.println("REASON: the cluster manager is not running on this machine");
            return OTHER_ERROR;
        }
        String sub = args.stream().filter(a -> !a.equals("-m")).findFirst().orElse("");
        if (reply.exitCode() == 1 && java.util.Set.of("nodestatus", "hblinkstatus", "hbstatus").contains(sub)) {
            // cl_status prints answers such as "dead" on standard output even when it exits 1
            System.out.print(reply.output());
            System.out.flush();
            return 1;
        }
        return RunDirOption.print(reply);
    }
}
