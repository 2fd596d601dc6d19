package io.tandem.membership;

import static io.tandem.membership.MembershipEngine.START_DT_BONUS_MS;
import static io.tandem.membership.MembershipEngine.START_GRACE_MS;

import io.tandem.config.Severity;
import io.tandem.membership.MembershipEffect.Broadcast;
import io.tandem.membership.MembershipEffect.NodeStatus;
import io.tandem.wire.Message;
import io.tandem.wire.RejectReason;

/**
 * Status messages, ours and the peers' (docs/protocol.md 4.2, 4.3): ours every keepalive with the
 * deadtime we announce; a peer's status makes it heard and sets its status and its own deadtime,
 * with heartbeat's lines for a late heartbeat, a return after a partition and a status update. A ping
 * node's reply counts as its heartbeat.
 */
final class Heartbeats {
    private final MembershipState state;
    private final Effects out;
    private final Links links;

    Heartbeats(MembershipState state, Effects out, Links links) {
        this.state = state;
        this.out = out;
        this.links = links;
    }

    /** Our status message, with the deadtime we announce ({@code dt}, longer while we start). */
    void send(long now) {
        long dt = state.deadtimeMs + (now - state.startedAt < START_GRACE_MS ? START_DT_BONUS_MS : 0);
        Message m = Message.ofStrings(Message.TYPE, "status", Message.STATUS, state.localStatus, Message.DEADTIME, Hex.of(dt),
                Message.PROTOCOL, "1");
        out.add(new Broadcast(state.sender.stamp(now, m, state.peers)));
    }

    /** A status message of {@code p} that {@link Sequencing} took (it may fill a gap: {@link Peer#recovered}). */
    void onStatus(long now, Peer p, Message m) {
        if (p.recovered) {
            return; // a retransmitted (or replayed) status older than the newest one: heartbeat ignores it too
        }
        if (p.heard && !p.dead && now - p.lastStatusAt > state.warntimeMs) {
            long interval = now - p.lastStatusAt;
            p.late++;
            out.log(Severity.WARN, "Late heartbeat: Node " + p.name + ": interval " + interval + " ms");
        }
        if (p.dead && p.heard) {
            // same generation (a restart was handled in Sequencing.accept): it never stopped, we lost touch
            out.log(Severity.CRIT, "Cluster node " + p.name + " returning after partition.");
            out.log(Severity.WARN, "Deadtime value may be too small.");
        }
        String st = m.getOr(Message.STATUS, "");
        if (!statusWord(st)) {
            out.reject(RejectReason.BAD_FIELD, "status of node " + p.name + " is not a status word: [" + st + "]");
            return;
        }
        p.lastStatusAt = now;
        p.heard = true;
        Hex.parse(m.getOr(Message.DEADTIME, "")).ifPresent(dt -> p.deadtimeMs = peerDeadtime(p, dt));
        if (m.has(Message.PROTOCOL)) {
            p.speaksProtocol = true;
        }
        if (p.dead || !st.equals(p.status)) {
            p.dead = false;
            p.status = st;
            out.log(Severity.INFO, "Status update for node " + p.name + ": status " + st);
            out.add(new NodeStatus(p.name, st));
        }
    }

    /** A ping node answered: it is heard now, on {@code link}; its status is {@code ping}. */
    void pingAnswered(long now, Peer p, String link) {
        p.lastStatusAt = now;
        p.heard = true;
        links.seen(now, p, link);
        if (p.dead || !p.status.equals("ping")) {
            p.dead = false;
            p.status = "ping";
            out.log(Severity.INFO, "Status update for node " + p.name + ": status ping");
            out.add(new NodeStatus(p.name, "ping"));
        }
    }

    /** A status as heartbeat sends them (init, up, active, ...): a short lower-case word. */
    private static boolean statusWord(String st) {
        if (st.isEmpty() || st.length() > 16) {
            return false;
        }
        for (int i = 0; i < st.length(); i++) {
            char c = st.charAt(i);
            if (c < 'a' || c > 'z') {
                return false;
            }
        }
        return true;
    }

    /**
     * The peer's own deadtime ({@code dt}), within what a real peer can announce: at most ten times
     * ours plus a minute (heartbeat adds 30 s while it shuts down for a restart). A larger value
     * would keep a silent peer "alive" for as long as it says.
     */
    private long peerDeadtime(Peer p, long dt) {
        long max = 10 * state.deadtimeMs + 60_000;
        if (Long.compareUnsigned(dt, max) > 0) {
            out.reject(RejectReason.ABSURD_NUMBER, "node " + p.name + " announces deadtime " + Long.toUnsignedString(dt) + " ms; using "
                    + max + " ms");
            return max;
        }
        return Math.max(dt, 1);
    }
}
