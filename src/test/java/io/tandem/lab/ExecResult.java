package io.tandem.lab;

/** The outcome of a command run to completion inside a lab host. */
public record ExecResult(int exitCode, String stdout, String stderr) {
    public boolean ok() {
        return exitCode == 0;
    }

    /** stdout without the trailing newline. */
    public String out() {
        return stdout.strip();
    }

    @Override
    public String toString() {
        return "exit " + exitCode + (stdout.isBlank() ? "" : ", stdout: " + stdout.strip()) + (stderr.isBlank() ? "" : ", stderr: " + stderr.strip());
    }
}
