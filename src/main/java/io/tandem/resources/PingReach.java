package io.tandem.resources;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What this node knows about ping-node reachability, its own and the peer's, for the ping-node
 * tiebreak ({@link PingTiebreak}, {@link Tiebreak}, the gate in {@link Takeover}). State only: the
 * answers are plain functions of the fields and the time.
 */
final class PingReach {
    /** The settings; a reload may replace them (same ping nodes, see {@link Tiebreak#reconfigure}). */
    PingTiebreak cfg;
    /** Ping nodes answering now (membership's status {@code ping}; gone when it declares them dead). */
    private final Set<String> up = new TreeSet<>();
    /** The last answer of any ping node, or -1. */
    long lastReplyAt = -1;
    /** Since when this node reaches no ping node (first seen so), or -1 while it reaches one. */
    long lostAt = -1;
    /** Ping nodes the peer reaches, as it last said; -1: unknown (not said in this life, or a heartbeat peer). */
    int peerReach = -1;
    /** The peer's last tiebreak hand-over (it said {@code info=handover}), or Long.MIN_VALUE. */
    long peerHandOverAt = Long.MIN_VALUE;
    /** This node's last tiebreak hand-over request, or Long.MIN_VALUE. */
    long handOverAt = Long.MIN_VALUE;
    /** When the hand-over check wants to run again, or -1. */
    long handOverCheckAt = -1;
    /** Dead peers whose groups were not taken because no ping node was reachable. */
    final Set<String> heldBack = new LinkedHashSet<>();
    /** The count last sent to the peer, or -1. */
    int announced = -1;

    PingReach(PingTiebreak cfg) {
        this.cfg = cfg;
    }

    boolean active() {
        return cfg.active();
    }

    boolean isPingNode(String node) {
        return cfg.pingNodes().contains(node.toLowerCase(Locale.ROOT));
    }

    int reach() {
        return up.size();
    }

    /** A ping node answered; true if it was not counted as reachable before. */
    boolean replied(String node, long now) {
        lastReplyAt = now;
        lostAt = -1;
        return up.add(node.toLowerCase(Locale.ROOT));
    }

    /** Membership declared a ping node dead; true if it was counted as reachable. */
    boolean lost(String node, long now) {
        boolean was = up.remove(node.toLowerCase(Locale.ROOT));
        if (up.isEmpty() && lostAt < 0) {
            lostAt = now;
        }
        return was;
    }

    /**
     * The gate: whether a dead peer's groups must not be taken now. Reachable means at least one ping
     * node is up and one answered within {@link PingTiebreak#freshMs}: membership declares a ping node
     * dead only after deadping, which may be longer than the peer's deadtime, so a cable that took both
     * away at once would otherwise still count as reachable when the peer is declared dead.
     */
    boolean blocksTakeover(long now) {
        return active() && (up.isEmpty() || lastReplyAt < 0 || now - lastReplyAt > cfg.freshMs());
    }

    /** Since when this node has been without any ping node (-1: it reaches one); the first look starts the clock. */
    long lostSince(long now) {
        if (!up.isEmpty()) {
            return -1;
        }
        if (lostAt < 0) {
            lostAt = now;
        }
        return lostAt;
    }

    /** The peer reaches none while this node reaches one: the peer must not be handed groups back (failback). */
    boolean peerBlind() {
        return active() && peerReach == 0 && !up.isEmpty();
    }

    PingTiebreak.View view() {
        String why = heldBack.isEmpty() ? null
                : "not taking over: no ping node reachable (dead: " + String.join(", ", heldBack) + ")";
        return new PingTiebreak.View(active(), up.size(), cfg.pingNodes().size(), peerReach, why);
    }
}
