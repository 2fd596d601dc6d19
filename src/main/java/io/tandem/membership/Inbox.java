package io.tandem.membership;

import io.tandem.membership.MembershipEffect.Deliver;
import io.tandem.wire.Message;
import io.tandem.wire.RejectReason;
import java.util.Locale;

/**
 * What comes in from the cluster, and who takes it: our own packets only tell that a link works
 * ({@link Links}); a packet of an unknown node is refused; {@code NS_} messages go to
 * {@link Retransmission}; every other message passes {@link Sequencing} first and then, when it is for
 * us or for all, goes to its step: a status to {@link Heartbeats}, {@code reqnodes}/{@code repnodes} to
 * {@link Joining}, the rest (the resource protocol) up to the caller as {@link Deliver}; a
 * {@code shutdone} also ends that life of the peer. Each packet of a peer may complete comm-up.
 */
final class Inbox {
    private final MembershipState state;
    private final Effects out;
    private final Links links;
    private final Retransmission retransmission;
    private final Heartbeats heartbeats;
    private final Joining joining;
    private final Sequencing sequencing;

    Inbox(MembershipState state, Effects out, Links links, Retransmission retransmission, Heartbeats heartbeats, Joining joining,
            Sequencing sequencing) {
        this.state = state;
        this.out = out;
        this.links = links;
        this.retransmission = retransmission;
        this.heartbeats = heartbeats;
        this.joining = joining;
        this.sequencing = sequencing;
    }

    /** A packet of the cluster on {@code link}, after the engine started and before it stopped. */
    void received(long now, Message m, String link) {
        String src = m.getOr(Message.SRC, "").toLowerCase(Locale.ROOT);
        if (src.equals(state.cfg.localNode())) {
            links.ownEcho(now, link);
            return;
        }
        Peer p = state.peers.get(src);
        if (p == null || p.ping) {
            out.reject(RejectReason.UNKNOWN_NODE, "process_status_message: bad node [" + src + "] in message");
            return;
        }
        String type = m.type();
        if (type.startsWith("NS_")) {
            links.seen(now, p, link);
            retransmission.onNsMessage(now, p, m);
        } else if (sequencing.accept(now, p, m, link)) {
            handle(now, p, m);
        }
        joining.check(now);
    }

    private void handle(long now, Peer p, Message m) {
        String dest = m.getOr(Message.DEST, "").toLowerCase(Locale.ROOT);
        if (!dest.isEmpty() && !dest.equals(state.cfg.localNode())) {
            return; // sequence-tracked, not for us
        }
        switch (m.type()) {
            case "status":
                heartbeats.onStatus(now, p, m);
                break;
            case "reqnodes":
                joining.onReqnodes(now, p);
                break;
            case "repnodes":
                joining.onRepnodes(now);
                break;
            case "shutdone":
                p.ended = true; // that life is over: anything more of this generation is a replay
                out.add(new MembershipEffect.PeerLifeChanged(p.life()));
                out.add(new Deliver(m));
                break;
            default:
                out.add(new Deliver(m));
                break;
        }
    }
}
