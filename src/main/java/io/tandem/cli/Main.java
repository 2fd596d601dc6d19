package io.tandem.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code tandem} command. Each sub-command is its own small class in this package. */
@Command(name = "tandem",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "High-availability cluster manager, compatible with Linux-HA Heartbeat.",
        subcommands = {DemoCommand.class, CheckCommand.class, RunCommand.class, StartCommand.class, RestartCommand.class,
            VersionCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (used by tests, which must not exit the JVM). */
    public static int run(String... args) {
        // the daemon (tandem run with its own options only) starts without picocli: RunArguments
        var daemon = RunArguments.parse(args);
        if (daemon.isPresent()) {
            return daemon.get().call();
        }
        CommandLine cmd = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).setExpandAtFiles(false);
        for (Class<?> c : ControlCommands.ALL) {
            // the daemon reads these commands' arguments (e.g. heartbeat's dashed cl_status arguments, status --json):
            // picocli passes them on as they are and reads only --run-dir (the last one given) and --help/--version
            cmd.addSubcommand(new CommandLine(c).setUnmatchedOptionsArePositionalParams(true).setOverwrittenOptionsAllowed(true)
                    .setExpandAtFiles(false));
        }
        cmd.addSubcommand(new CommandLine.HelpCommand());
        return cmd.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
