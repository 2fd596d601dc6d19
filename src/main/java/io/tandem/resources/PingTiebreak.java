package io.tandem.resources;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The ping-node tiebreak (docs/split-brain.md): what heartbeat's {@code ipfail} client did, built in.
 * A node that cannot reach any ping node does not take a dead peer's groups, and a node that lost its
 * ping nodes while the peer still reaches one hands its groups over through the standby handshake.
 *
 * @param enabled   tandem.cf's {@code ping_tiebreak} (on by default)
 * @param pingNodes the ping node names ({@code ping} hosts and {@code ping_group} names); none: no gating
 * @param freshMs   a ping node counts as reachable for a takeover only if it answered this recently
 *                  (the daemon uses half the deadtime, at least two keepalives: ping nodes are pinged
 *                  with every status message, and it must stay below deadtime, see {@link PingReach})
 * @param lossHoldMs how long this node must have been without any ping node before it hands over
 * @param holdOffMs the least time between two tiebreak hand-overs, this node's own or the peer's
 */
public record PingTiebreak(boolean enabled, List<String> pingNodes, long freshMs, long lossHoldMs, long holdOffMs) {
    /** No tiebreak (heartbeat without ipfail). */
    public static final PingTiebreak OFF = new PingTiebreak(false, List.of(), 1, 0, 0);

    public PingTiebreak {
        Objects.requireNonNull(pingNodes, "pingNodes");
        Set<String> lower = new LinkedHashSet<>();
        for (String n : pingNodes) {
            lower.add(n.toLowerCase(Locale.ROOT));
        }
        pingNodes = List.copyOf(lower);
        if (freshMs <= 0 || lossHoldMs < 0 || holdOffMs < 0) {
            throw new IllegalArgumentException("ping tiebreak times must not be negative (fresh > 0): " + freshMs + " "
                    + lossHoldMs + " " + holdOffMs);
        }
    }

    /**
     * The daemon's values: fresh = half the deadtime, at least two keepalives (heartbeat's checks keep
     * deadtime above two keepalives); the loss must last deadping (so a hand-over starts no sooner than
     * twice deadping after the last answer); hold-off = the larger of 60 s and 4 deadping.
     */
    public static PingTiebreak of(boolean enabled, List<String> pingNodes, long keepaliveMs, long deadtimeMs, long deadpingMs) {
        return new PingTiebreak(enabled, pingNodes, Math.max(2 * keepaliveMs, deadtimeMs / 2), deadpingMs,
                Math.max(60_000, 4 * deadpingMs));
    }

    /** Whether it acts: on, and ping nodes configured. */
    public boolean active() {
        return enabled && !pingNodes.isEmpty();
    }

    /**
     * What the tiebreak knows, for {@code tandem status}.
     *
     * @param active        whether it acts
     * @param reachable     ping nodes answering now
     * @param pingNodes     ping nodes configured
     * @param peerReachable what the peer last reported, -1 when unknown (a heartbeat peer never says)
     * @param holdingBack   why a takeover waits ({@code not taking over: no ping node reachable}), or null
     */
    public record View(boolean active, int reachable, int pingNodes, int peerReachable, String holdingBack) {
    }
}
