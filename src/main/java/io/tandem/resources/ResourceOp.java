package io.tandem.resources;

import java.util.Locale;
import java.util.Objects;

/**
 * One script call the engine asks for: {@code <script> <args> start|stop|status} for one resource of
 * one group. The agent layer turns the resource text into a script path and arguments.
 */
public record ResourceOp(String group, String resource, Action action) {
    public ResourceOp {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(action, "action");
    }

    public enum Action {
        START, STOP, STATUS;

        /** The script argument: {@code start}, {@code stop}, {@code status}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
