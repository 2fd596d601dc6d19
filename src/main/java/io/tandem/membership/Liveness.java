package io.tandem.membership;

import io.tandem.config.Severity;
import io.tandem.membership.MembershipEffect.NodeStatus;
import java.util.Map;

/**
 * Whether a peer is alive (docs/protocol.md 4.3): its deadline is the last time it was heard plus its
 * own announced deadtime ({@code dt}) after comm-up, initdead before (and at least initdead for a peer
 * never heard), deadping for a ping node. A peer silent past it is declared dead ("node x: is dead"),
 * with its links; a freeze of our own moves the deadlines on instead of killing anyone.
 */
final class Liveness {
    private final MembershipState state;
    private final Effects out;
    private final Links links;
    private final Joining joining;

    Liveness(MembershipState state, Effects out, Links links, Joining joining) {
        this.state = state;
        this.out = out;
        this.links = links;
        this.joining = joining;
    }

    /** When {@code p} is declared dead unless heard before: last heard plus its deadtime, initdead or deadping (see above). */
    long deadAt(Peer p) {
        long timeout = p.ping ? state.deadpingMs : state.commUp ? p.deadtimeMs : state.cfg.initdeadMs();
        if (!p.heard && !p.ping) {
            timeout = state.commUp ? Math.max(state.cfg.initdeadMs(), p.deadtimeMs) : state.cfg.initdeadMs();
        }
        return p.lastStatusAt + timeout;
    }

    /** Declares {@code p} dead when its deadline passed. */
    void check(long now, Peer p) {
        if (!p.dead && now >= deadAt(p)) {
            declareDead(now, p);
        }
    }

    private void declareDead(long now, Peer p) {
        p.dead = true;
        p.missing.clear();
        if (!p.ping && p.generation >= 0) {
            out.add(new MembershipEffect.PeerLifeChanged(p.life()));
        }
        out.log(Severity.WARN, "node " + p.name + ": is dead");
        out.add(new NodeStatus(p.name, "dead"));
        for (Map.Entry<String, Boolean> e : p.linkUp.entrySet()) {
            if (e.getValue()) {
                links.down(p, e.getKey());
            }
        }
        joining.peerDied(now);
    }

    /** Our freeze of {@code frozenMs} (see {@link MembershipEngine#resumed}) moves the live peers' last-heard times. */
    void resumed(long now, long frozenMs, boolean whole) {
        for (Peer p : state.peers.values()) {
            if (p.dead) {
                continue;
            }
            p.lastStatusAt = whole ? Math.max(p.lastStatusAt, now) : Math.min(now, p.lastStatusAt + frozenMs);
            for (Map.Entry<String, Long> e : p.linkSeen.entrySet()) {
                e.setValue(whole ? Math.max(e.getValue(), now) : Math.min(now, e.getValue() + frozenMs));
            }
        }
    }
}
