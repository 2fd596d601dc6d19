package io.tandem.membership;

import static io.tandem.membership.MembershipEngine.REQNODES_INTERVAL_MS;

import io.tandem.config.Severity;
import io.tandem.membership.MembershipEffect.Broadcast;
import io.tandem.wire.Message;

/**
 * Joining the cluster: comm-up (docs/protocol.md 4.4). Once every peer and ping node was heard from
 * or declared dead (a peer never heard is declared dead after initdead, with the other deadlines) we
 * ask the first live node for the node list ({@code reqnodes}) and wait for its {@code repnodes}, or
 * go up at once when no live peer speaks the protocol; comm-up makes our status {@code active}. We
 * answer the {@code reqnodes} of others.
 */
final class Joining {
    private final MembershipState state;
    private final Effects out;
    private final Heartbeats heartbeats;

    Joining(MembershipState state, Effects out, Heartbeats heartbeats) {
        this.state = state;
        this.out = out;
        this.heartbeats = heartbeats;
    }

    /** Comm-up (docs/protocol.md 4.4): everyone heard from or declared dead, then reqnodes to a live node. */
    void check(long now) {
        if (state.commUp || state.awaitingRepnodes || state.startedAt < 0) {
            return;
        }
        for (Peer p : state.peers.values()) {
            if (!p.heard && !p.dead) {
                return;
            }
        }
        if (firstLiveNode() != null && state.peers.values().stream().anyMatch(p -> !p.ping && p.alive() && p.speaksProtocol)) {
            state.awaitingRepnodes = true;
            reqnodes(now);
        } else {
            commNowUp(now);
        }
    }

    /** While we wait for {@code repnodes}: {@code reqnodes} again every {@link MembershipEngine#REQNODES_INTERVAL_MS}. */
    void tick(long now) {
        if (state.awaitingRepnodes && now >= state.nextReqnodesAt) {
            reqnodes(now);
        }
    }

    /** The {@code repnodes} we waited for (one we did not wait for changes nothing). */
    void onRepnodes(long now) {
        if (state.awaitingRepnodes) {
            state.awaitingRepnodes = false;
            commNowUp(now);
        }
    }

    /** A peer was declared dead: while we wait for {@code repnodes} and no live node is left to answer, comm-up is now. */
    void peerDied(long now) {
        if (state.awaitingRepnodes && firstLiveNode() == null) {
            state.awaitingRepnodes = false;
            commNowUp(now);
        }
    }

    /** Our answer to a {@code reqnodes} of {@code to}: the nodes of ha.cf. */
    void onReqnodes(long now, Peer to) {
        StringBuilder list = new StringBuilder();
        for (String n : state.cfg.nodes()) {
            list.append(n).append(' ');
        }
        Message m = Message.ofStrings(Message.DEST, to.name, Message.TYPE, "repnodes", "nodelist", list.toString(), "delnodelist", " ");
        out.add(new Broadcast(state.sender.stamp(now, m, state.peers)));
    }

    private Peer firstLiveNode() {
        for (Peer p : state.peers.values()) {
            if (!p.ping && p.alive()) {
                return p;
            }
        }
        return null;
    }

    private void reqnodes(long now) {
        Peer to = firstLiveNode();
        if (to == null) {
            state.awaitingRepnodes = false;
            commNowUp(now);
            return;
        }
        out.add(new Broadcast(state.sender.stamp(now, Message.ofStrings(Message.TYPE, "reqnodes", Message.DEST, to.name), state.peers)));
        state.nextReqnodesAt = now + REQNODES_INTERVAL_MS;
    }

    private void commNowUp(long now) {
        state.commUp = true;
        out.log(Severity.INFO, "Comm_now_up(): updating status to active");
        state.localStatus = "active";
        out.log(Severity.INFO, "Local status now set to: 'active'");
        heartbeats.send(now);
        out.add(new MembershipEffect.CommUp());
        // Peers heard before comm-up keep their arrival times; from now on their own dt applies.
    }
}
