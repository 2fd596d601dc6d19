package io.tandem.daemon.control;

/**
 * What a command answers: its exit code, its standard output and its standard error. Every client
 * prints them as they are (stdout to stdout, stderr to stderr) and exits with the code, so the text
 * and the code of a control command are decided once, where the reply is made.
 *
 * @param heldUntilExit the daemon leaves the connection open until its process ends (the answer to
 *                      {@code stop}): a client reading to the end returns only once the daemon is gone
 */
public record ControlReply(int exitCode, String out, String err, boolean heldUntilExit) {
    public ControlReply(int exitCode, String out, String err) {
        this(exitCode, out, err, false);
    }

    public static ControlReply ok(String out) {
        return new ControlReply(0, out, "");
    }

    /** A failure whose text goes to standard error. */
    public static ControlReply fail(int exitCode, String err) {
        return new ControlReply(exitCode, "", err);
    }

    /** This reply, its connection held open until the daemon's process ends. */
    public ControlReply holdUntilExit() {
        return new ControlReply(exitCode, out, err, true);
    }
}
