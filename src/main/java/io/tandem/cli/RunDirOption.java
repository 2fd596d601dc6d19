package io.tandem.cli;

import io.tandem.daemon.control.ControlClient;
import io.tandem.daemon.control.ControlReply;
import io.tandem.daemon.lifecycle.DaemonPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --run-dir} option shared by every command that talks to a running daemon. */
final class RunDirOption {
    @Option(names = "--run-dir", paramLabel = "DIR",
            description = "where the daemon keeps its pid file and control socket (default: ${DEFAULT-VALUE}, or $TANDEM_RUN_DIR)")
    Path runDir = defaultRunDir();

    static Path defaultRunDir() {
        String env = System.getenv("TANDEM_RUN_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : DaemonPaths.DEFAULT_RUN;
    }

    Path socket() {
        return DaemonPaths.controlSocket(runDir);
    }

    /** The daemon's answer to a command line, or the command's answer when no daemon can be asked. */
    ControlReply ask(List<String> words) {
        return ControlClient.ask(socket(), words);
    }

    /** Whether a daemon answers here (the liveness rule: its control socket answers ping). */
    boolean running() {
        return ask(List.of("ping")).exitCode() == 0;
    }

    /** Prints a reply as it is (its output to stdout, its errors to stderr, UTF-8 as sent) and returns its exit code. */
    static int print(ControlReply reply) {
        System.out.writeBytes(reply.out().getBytes(StandardCharsets.UTF_8));
        System.out.flush();
        System.err.writeBytes(reply.err().getBytes(StandardCharsets.UTF_8));
        System.err.flush();
        return reply.exitCode();
    }
}
