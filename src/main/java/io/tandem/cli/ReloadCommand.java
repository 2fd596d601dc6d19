package io.tandem.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tandem reload}: re-read /etc/ha.d; applies timers and keys, names what needs a restart (same as SIGHUP). */
@Command(name = "reload", description = "Re-read the configuration: apply timers and authkeys, report what needs a restart.")
final class ReloadCommand implements Callable<Integer> {
    @Mixin
    RunDirOption run;

    @Override
    public Integer call() {
        return RunDirOption.print(run.call(List.of("reload")));
    }
}
