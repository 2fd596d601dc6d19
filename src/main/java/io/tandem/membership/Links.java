package io.tandem.membership;

import io.tandem.config.Severity;
import io.tandem.membership.MembershipEffect.LinkStatus;
import java.util.Map;

/**
 * Link states (docs/protocol.md 4.3): a peer's link is up from the first packet on it and dead after
 * the peer's deadtime without one; our own link is up once our own broadcast comes back on it.
 * heartbeat's "Link node:link up." / "dead." lines and a {@link LinkStatus} for each change.
 */
final class Links {
    private final MembershipState state;
    private final Effects out;

    Links(MembershipState state, Effects out) {
        this.state = state;
        this.out = out;
    }

    /** One of our own packets came back on {@code link}. */
    void ownEcho(long now, String link) {
        if (state.ownLinks.put(link, now) == null) { // our own broadcast came back: the link works
            out.log(Severity.INFO, "Link " + state.cfg.localNode() + ":" + link + " up.");
            out.add(new LinkStatus(state.cfg.localNode(), link, true));
        }
    }

    void seen(long now, Peer p, String link) {
        p.linkSeen.put(link, now);
        if (!Boolean.TRUE.equals(p.linkUp.get(link))) {
            p.linkUp.put(link, true);
            out.log(Severity.INFO, "Link " + p.name + ":" + link + " up.");
            out.add(new LinkStatus(p.name, link, true));
        }
    }

    void down(Peer p, String link) {
        p.linkUp.put(link, false);
        out.log(Severity.INFO, "Link " + p.name + ":" + link + " dead.");
        out.add(new LinkStatus(p.name, link, false));
    }

    /** The links of {@code p} that are up and silent for the peer's deadtime go down. */
    void expire(long now, Peer p) {
        for (Map.Entry<String, Long> e : p.linkSeen.entrySet()) {
            if (Boolean.TRUE.equals(p.linkUp.get(e.getKey())) && now >= e.getValue() + p.deadtimeMs) {
                down(p, e.getKey());
            }
        }
    }
}
