package io.tandem.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code tandem} command. Each sub-command is its own small class in this package. */
@Command(name = "tandem",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "High-availability cluster manager, compatible with Linux-HA Heartbeat.",
        subcommands = {DemoCommand.class, CheckCommand.class, RunCommand.class, StartCommand.class, StopCommand.class, RestartCommand.class,
                ReloadCommand.class, StatusCommand.class,
                StandbyCommand.class, TakeoverCommand.class, CleanupCommand.class, ClStatusCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (used by tests, which must not exit the JVM). */
    public static int run(String... args) {
        CommandLine cmd = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        // cl_status takes heartbeat's own dashed arguments (listnodes -v, hbparameter -p NAME, -m) as they are
        cmd.getSubcommands().get("cl_status").setUnmatchedOptionsArePositionalParams(true);
        return cmd.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
