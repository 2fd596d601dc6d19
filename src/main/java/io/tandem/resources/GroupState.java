package io.tandem.resources;

/** What this node last did with a group (for {@code tandem status}). */
public enum GroupState {
    /** Never started here, or stopped completely. */
    STOPPED,
    STARTING,
    RUNNING,
    STOPPING,
    /** A start failed; the group was stopped again and is handed to the peer 30 s later. */
    START_FAILED,
    /** A stop failed and the resource still runs: the group stays here and is not given up. */
    STOP_FAILED,
    /** Part of the group is being stopped and started again after a failed monitor check. */
    RESTARTING,
    /**
     * Monitoring: the group failed here too often (or could not start) and no other node could take
     * it; it stays stopped here until its fail count expires or {@code tandem cleanup}.
     */
    FAILED,
    /**
     * Another host answered for an address of the group when this node probed it before adding it: the
     * group was not started here (what had started was stopped) and is tried again while this node
     * still holds it (docs/split-brain.md).
     */
    ADDRESS_IN_USE,
    /**
     * The start-up probe found (part of) the group running here, left by an earlier life of the daemon;
     * the negotiation has not yet said whether this node keeps it or stops it.
     */
    FOUND_RUNNING;

    /** How {@code tandem status} shows it: {@code running}, {@code start failed}, {@code running (found at start)}. */
    public String text() {
        return this == FOUND_RUNNING ? "running (found at start)" : name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
