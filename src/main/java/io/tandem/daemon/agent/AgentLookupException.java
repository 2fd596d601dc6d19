package io.tandem.daemon.agent;

/** A resource names no installed agent; the message is heartbeat's ({@code Cannot locate resource script X}). */
public final class AgentLookupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String script;

    public AgentLookupException(String script, String message) {
        super(message);
        this.script = script;
    }

    /** The script name that was looked for. */
    public String script() {
        return script;
    }
}
