package io.tandem.daemon.control;

/** What the daemon answers to one operator request: the command's exit code and its output. */
public record ControlReply(int exitCode, String output) {
    public static ControlReply ok(String output) {
        return new ControlReply(0, output);
    }

    public static ControlReply fail(int exitCode, String output) {
        return new ControlReply(exitCode, output);
    }
}
