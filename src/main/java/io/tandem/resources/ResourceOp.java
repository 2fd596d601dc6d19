package io.tandem.resources;

import java.util.Locale;
import java.util.Objects;

/**
 * One script call the engine asks for: {@code <script> <args> start|stop|status} for one resource of
 * one group. The agent layer turns the resource text into a script path and arguments.
 *
 * @param timeoutMs the time limit for this call; 0 means the agent's default (a monitor check
 *                  carries its configured timeout)
 */
public record ResourceOp(String group, String resource, Action action, long timeoutMs) {
    public ResourceOp {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(action, "action");
        if (timeoutMs < 0) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeoutMs);
        }
    }

    /** A call with the agent's default time limit. */
    public ResourceOp(String group, String resource, Action action) {
        this(group, resource, action, 0);
    }

    public enum Action {
        START, STOP, STATUS;

        /** The script argument: {@code start}, {@code stop}, {@code status}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
