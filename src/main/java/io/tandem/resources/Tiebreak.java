package io.tandem.resources;

import io.tandem.config.Severity;
import io.tandem.resources.OwnershipState.Peer;
import io.tandem.wire.Message;

/**
 * The ping-node tiebreak's hand-over (what heartbeat's {@code ipfail} did): this node tells the peer
 * how many ping nodes it reaches ({@code t=tandem-ping reach=N of=M}, a message heartbeat 3.0.6 relays
 * to its API clients and otherwise ignores), and a node that has reached none for
 * {@link PingTiebreak#lossHoldMs} while the peer reaches at least one gives its groups up through the
 * standby handshake ({@code hb_standby all}). A peer that never said (a heartbeat node) is never handed
 * anything this way. Two tiebreak hand-overs, on either node, are at least {@link PingTiebreak#holdOffMs}
 * apart: the requester says {@code info=handover} first, and both nodes count from it.
 *
 * <p>The gate (no takeover of a dead peer's groups without a ping node) is in {@link Takeover}.
 */
record Tiebreak(OwnershipState state, Effects out, Giveup giveup) {
    static final String TYPE = "tandem-ping";
    static final String REACH = "reach";
    static final String OF = "of";
    static final String HANDOVER = "handover";
    /** Log lines of the hand-over come from the program heartbeat would have logged them from. */
    static final String IPFAIL = "ipfail";
    /** Retry while the cluster is not stable enough for a standby handshake. */
    static final long RETRY_MS = 1_000;

    // ------------------------------------------------------------------ our reachability

    /** A ping node answered; true when this node reaches a ping node again after reaching none. */
    boolean pingReply(String node) {
        PingReach r = state.ping;
        if (!r.isPingNode(node)) {
            return false;
        }
        boolean wasBlind = r.reach() == 0;
        if (!r.replied(node, state.now)) {
            return false;
        }
        if (r.active() && wasBlind && r.announced == 0) {
            out.log(Severity.INFO, IPFAIL, "Ping node " + node + " is reachable again.");
        }
        announce(false);
        return wasBlind;
    }

    /** Membership declared a ping node dead. */
    void pingLost(String node) {
        PingReach r = state.ping;
        if (!r.isPingNode(node) || !r.lost(node, state.now)) {
            return;
        }
        if (r.active() && r.reach() == 0) {
            out.log(Severity.WARN, IPFAIL, "No ping node reachable (" + String.join(", ", r.cfg.pingNodes()) + " dead).");
        }
        announce(false);
    }

    /** Tell the peer our count: when it changed, or ({@code always}) to a peer that just became active. */
    void announce(boolean always) {
        PingReach r = state.ping;
        if (!r.active() || !state.commUp || state.shutdownInProgress || (!always && r.announced == r.reach())) {
            return;
        }
        r.announced = r.reach();
        out.send(message(r.reach(), false));
    }

    private Message message(int reach, boolean handOver) {
        Message m = Message.ofStrings(Message.TYPE, TYPE, REACH, Integer.toString(reach), OF,
                Integer.toString(state.ping.cfg.pingNodes().size()));
        return handOver ? m.append(Message.INFO, HANDOVER) : m;
    }

    // ------------------------------------------------------------------ the peer's

    /** A {@code tandem-ping} from the peer (our own echo is ignored). */
    void onMessage(Message m, String from, boolean self) {
        PingReach r = state.ping;
        if (self || !r.active()) {
            return;
        }
        int reach = count(m.getOr(REACH, ""));
        if (reach < 0) {
            return; // not a number we can use: ignored, as heartbeat ignores what it cannot read
        }
        if (reach != r.peerReach) {
            out.log(Severity.INFO, IPFAIL, from + " reaches " + reach + " ping node" + (reach == 1 ? "" : "s") + ".");
        }
        r.peerReach = reach;
        if (HANDOVER.equals(m.getOr(Message.INFO, ""))) {
            r.peerHandOverAt = state.now;
        }
    }

    /** A small non-negative count, or -1. */
    private static int count(String v) {
        if (v.isEmpty() || v.length() > 4) {
            return -1;
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(v);
    }

    /** The peer's status changed: a new life must be told our count, and what it said before no longer holds. */
    void peerStatus(String node, PeerStatus status) {
        PingReach r = state.ping;
        if (status != PeerStatus.ACTIVE) {
            r.peerReach = -1;
        }
        if (status != PeerStatus.DEAD && r.heldBack.remove(node)) {
            out.log(Severity.INFO, IPFAIL, node + " is back: its resources were not taken over here.");
        }
        if (status == PeerStatus.ACTIVE) {
            announce(true);
        }
    }

    // ------------------------------------------------------------------ the hand-over

    /** After every event: hand our groups over if we are blind and the peer is not, long enough and not too often. */
    void afterEvent() {
        PingReach r = state.ping;
        r.handOverCheckAt = -1;
        long lost = r.active() ? r.lostSince(state.now) : -1;
        if (lost < 0 || r.peerReach <= 0 || !state.commUp || state.shutdownInProgress || state.held == ResourceSet.NONE
                || activePeer() == null) {
            return;
        }
        long due = Math.max(lost + r.cfg.lossHoldMs(), Math.max(after(r.handOverAt, r.cfg.holdOffMs()),
                after(r.peerHandOverAt, r.cfg.holdOffMs())));
        if (state.now < due) {
            r.handOverCheckAt = due;
            return;
        }
        if (!state.peerStable || !state.handshake.idle() || state.rscState != OwnershipState.RscState.STABLE
                || state.takeoverInProgress) {
            r.handOverCheckAt = state.now + RETRY_MS;
            return;
        }
        String peer = activePeer();
        out.log(Severity.WARN, IPFAIL, "No ping node reachable for " + (state.now - lost) + " ms; " + peer + " reaches "
                + r.peerReach + ": giving up resources.");
        r.handOverAt = state.now;
        r.announced = r.reach();
        out.send(message(r.reach(), true));
        giveup.hbStandby(ResourceSet.ALL);
    }

    private static long after(long at, long delay) {
        return at == Long.MIN_VALUE ? Long.MIN_VALUE : at + delay;
    }

    private String activePeer() {
        for (var e : state.peers.entrySet()) {
            Peer p = e.getValue();
            if (p.status == PeerStatus.ACTIVE && !p.leaving) {
                return e.getKey();
            }
        }
        return null;
    }

    /**
     * Reload (tandem.cf's {@code ping_tiebreak}, the timers derived from ha.cf): new settings for the same
     * ping nodes. Turned on, the peer is told our count at once. Returns whether takeovers the gate held
     * back may now go on (it was turned off while a dead peer's groups waited).
     */
    boolean reconfigure(PingTiebreak next) {
        PingReach r = state.ping;
        boolean was = r.active();
        r.cfg = next;
        if (was == r.active()) {
            return false;
        }
        out.log(Severity.INFO, IPFAIL, "Ping-node tiebreak " + (r.active() ? "on" : "off") + " (reload).");
        if (r.active()) {
            r.announced = -1;
            announce(true);
            return false;
        }
        r.handOverCheckAt = -1;
        return !r.heldBack.isEmpty();
    }

    /** When {@link #afterEvent} wants to look again, or -1. */
    long deadline() {
        return state.ping.handOverCheckAt;
    }
}
