package io.tandem.cli;

import io.tandem.daemon.log.LineFormat;
import io.tandem.daemon.node.Daemon;
import io.tandem.daemon.node.DaemonSettings;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tandem run}: the daemon in the foreground (for systemd, or by hand), log lines echoed to stdout. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "Run the daemon in the foreground (for systemd); SIGTERM stops it gracefully.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    RunDirOption run;

    @Mixin
    DaemonOptions options;

    @Option(names = "--quiet", description = "do not echo log lines to standard output")
    boolean quiet;

    @Option(names = "--detached", description = "started in the background (tandem start): echo log lines only when ha.cf names no log destination")
    boolean detached;

    @Override
    public Integer call() {
        Optional<LineFormat> format = Optional.empty();
        if (options.logFormat != null) {
            try {
                format = Optional.of(LineFormat.valueOf(options.logFormat.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                System.err.println("tandem: --log-format must be syslog, classic or json, not '" + options.logFormat + "'");
                return 2;
            }
        }
        DaemonSettings settings;
        try {
            settings = new DaemonSettings(options.paths(run.runDir), Optional.ofNullable(options.node), format,
                    quiet ? null : System.out, Optional.ofNullable(options.bind), detached, options.logIdent);
        } catch (IllegalArgumentException e) {
            System.err.println("tandem: --log-ident: " + e.getMessage());
            return 2;
        }
        return Daemon.run(settings, System.err);
    }
}
