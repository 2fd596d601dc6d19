package io.tandem.cli;

import io.tandem.daemon.control.ControlClient;
import io.tandem.daemon.control.ControlReply;
import io.tandem.daemon.lifecycle.DaemonPaths;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --run-dir} option shared by every command that talks to a running daemon. */
final class RunDirOption {
    /** LSB "program is not running". */
    static final int NOT_RUNNING = 3;

    @Option(names = "--run-dir", paramLabel = "DIR",
            description = "where the daemon keeps its pid file and control socket (default: ${DEFAULT-VALUE}, or $TANDEM_RUN_DIR)")
    Path runDir = defaultRunDir();

    static Path defaultRunDir() {
        String env = System.getenv("TANDEM_RUN_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : DaemonPaths.DEFAULT_RUN;
    }

    Path socket() {
        return runDir.resolve("control.sock");
    }

    /** Sends a request; on no daemon, the reply is exit code 3 with a message saying so. */
    ControlReply call(List<String> words) {
        try {
            return ControlClient.request(socket(), words);
        } catch (IOException e) {
            return ControlReply.fail(NOT_RUNNING, "tandem: no daemon is running here (no answer on " + socket() + ")\n");
        }
    }

    /** Prints a reply (output to stdout, or to stderr when it failed) and returns its exit code. */
    static int print(ControlReply reply) {
        if (reply.exitCode() == 0) {
            System.out.print(reply.output());
            System.out.flush();
        } else {
            System.err.print(reply.output());
            System.err.flush();
        }
        return reply.exitCode();
    }
}
