package io.tandem.daemon.process;

import java.util.List;

/**
 * How a process ended.
 *
 * @param exitCode the exit status; 128+signal when killed by a signal; -1 when it could not be started
 * @param output   stdout and stderr lines, in the order they were read
 * @param timedOut true when the time limit passed and the process group was killed
 * @param stdout   the stdout lines alone (heartbeat judges a script's status text from stdout only)
 */
public record ProcessResult(int exitCode, List<String> output, boolean timedOut, List<String> stdout) {
    public ProcessResult {
        output = List.copyOf(output);
        stdout = List.copyOf(stdout);
    }

    /** Exited by itself with status 0. */
    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }
}
