package io.tandem.resources;

import java.util.Locale;
import java.util.Objects;

/**
 * One script call the engine asks for: {@code <script> <args> start|stop|status} for one resource of
 * one group. The agent layer turns the resource text into a script path and arguments.
 *
 * @param timeoutMs the time limit for this call; 0 means the agent's default (a monitor check
 *                  carries its configured timeout)
 * @param peerReleased this call is part of the acquisition of a group the other node has just released
 *                     and said so ({@code ask_resources info=done} of a standby hand-over), while the two
 *                     nodes can talk: the only other node that may hold its address does not. The daemon
 *                     then starts an address without the duplicate-address probe (docs/split-brain.md);
 *                     false for every other call (a crash takeover, start-up, monitoring, ...)
 * @param preProbed    the core looks after the probe of this call's address ({@link AddressPreProbe},
 *                     docs/split-brain.md, "Probe before death", "Probe at start-up"): a {@code start} takes the
 *                     probe begun ahead of it (before the death of the peer that held the address, or at this
 *                     node's start), waiting for the rest of it if it still listens, instead of probing anew; a
 *                     {@code status} begins no early probe (one begun ahead stands for it, or it is the start-up
 *                     probe's, after which no start follows at once); false for every other call
 */
public record ResourceOp(String group, String resource, Action action, long timeoutMs, boolean peerReleased, boolean preProbed) {
    public ResourceOp {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(action, "action");
        if (timeoutMs < 0) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeoutMs);
        }
        if (peerReleased && preProbed) {
            throw new IllegalArgumentException("a call after the peer's done is not probed at all: " + resource);
        }
    }

    /** A call whose address (if any) was not probed before a peer's death. */
    public ResourceOp(String group, String resource, Action action, long timeoutMs, boolean peerReleased) {
        this(group, resource, action, timeoutMs, peerReleased, false);
    }

    /** A call that is not part of an acquisition after the peer's {@code done}. */
    public ResourceOp(String group, String resource, Action action, long timeoutMs) {
        this(group, resource, action, timeoutMs, false);
    }

    /** A call with the agent's default time limit. */
    public ResourceOp(String group, String resource, Action action) {
        this(group, resource, action, 0);
    }

    // equals and hashCode written out: a record's generated ones bootstrap java.lang.runtime.ObjectMethods
    // at their first call, which spins ~50 method-handle classes into the daemon; this record is a map key
    // from the first start of a group on (docs/benchmarks.md, "Fewer classes, part 2"). Same meaning.
    @Override
    public boolean equals(Object o) {
        return o instanceof ResourceOp r && group.equals(r.group) && resource.equals(r.resource) && action == r.action
                && timeoutMs == r.timeoutMs && peerReleased == r.peerReleased && preProbed == r.preProbed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(group, resource, action, timeoutMs, peerReleased, preProbed);
    }

    public enum Action {
        START, STOP, STATUS;

        /** The script argument: {@code start}, {@code stop}, {@code status}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
