package io.tandem.membership;

import io.tandem.config.Severity;
import io.tandem.membership.MembershipEffect.Broadcast;
import io.tandem.wire.Message;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Heartbeat 3.0.6's membership (docs/protocol.md 4–5, 8.1) as a deterministic state machine: status
 * every keepalive, node and link states with heartbeat's log lines, deadtime from each peer's own
 * {@code dt}, initdead, per-peer sequence tracking with retransmission requests and service, ACKs,
 * replay and restart detection, reqnodes/repnodes and the comm-up procedure.
 *
 * <p>Each event takes the time in ms and returns effects. No I/O, no clock, no threads: randomness
 * and the load average come from {@link Environment}. One caller at a time.
 *
 * <p>This class is the public face: the events, the queries and the wiring. What the engine knows is
 * one {@link MembershipState}; its parts change it and write to one effect sink ({@link Effects}):
 * {@link Inbox} takes a packet to its part after {@link Sequencing} (generations, sequence numbers,
 * replays, gaps), {@link Heartbeats} sends our status and takes the peers', {@link Liveness} keeps the
 * deadlines and declares peers dead, {@link Links} the link states, {@link Retransmission} the
 * {@code NS_rexmit}/{@code NS_nak_rexmit}/{@code NS_ackmsg} side, and {@link Joining} comm-up.
 */
public final class MembershipEngine {
    static final long START_GRACE_MS = 5_000;
    static final long START_DT_BONUS_MS = 2_000;
    static final long REQNODES_INTERVAL_MS = 1_000;
    static final int MAX_GAP = 250;
    static final int MAX_REXMIT_PER_REQUEST = 50;
    /**
     * The most missing sequence numbers of one peer waited for (heartbeat 3.0.6's MAXMISSING, =
     * MAXMSGHIST): a peer skipping ahead on every message cannot grow the table, nor the
     * retransmission requests of each tick, beyond it; the oldest are given up first.
     */
    static final int MAX_MISSING = 200;
    /**
     * The highest generation a real peer can have: heartbeat's is the start time in seconds
     * ({@code time(NULL)}) or a counter that began there, both below 2^32 until 2106.
     */
    static final long MAX_GENERATION = 0xFFFF_FFFFL;
    /** The highest sequence number we believe: 10 messages a second for 3,000 years. */
    static final long MAX_SEQUENCE = 1L << 40;
    /**
     * A peer sends a status every keepalive and a few protocol messages; a jump of the sequence
     * number beyond {@link #MAX_GAP} is believed only up to this many messages per second since
     * its last accepted message (a partition that heals gives a jump; a forged number does not).
     */
    static final long MAX_MESSAGES_PER_SECOND = 100;

    private final MembershipState state;
    private final Effects out = new Effects();
    private final Links links;
    private final Retransmission retransmission;
    private final Heartbeats heartbeats;
    private final Joining joining;
    private final Liveness liveness;
    private final Inbox inbox;

    public MembershipEngine(MembershipConfig cfg, Environment env) {
        this.state = new MembershipState(cfg, env);
        this.links = new Links(state, out);
        this.retransmission = new Retransmission(state, out);
        this.heartbeats = new Heartbeats(state, out, links);
        this.joining = new Joining(state, out, heartbeats);
        this.liveness = new Liveness(state, out, links, joining);
        this.inbox = new Inbox(state, out, links, retransmission, heartbeats, joining,
                new Sequencing(out, links, retransmission));
    }

    // ------------------------------------------------------------------ events

    /**
     * Before {@link #start}: what we knew of the peers when this node last ran (kept by the daemon
     * from {@link MembershipEffect.PeerLifeChanged}). Packets of those lives that we had already
     * seen, or of lives that ended, are rejected as replays after our restart. Unknown names are ignored.
     */
    public void remember(java.util.Collection<PeerLife> lives) {
        for (PeerLife l : lives) {
            state.past.put(l.node().toLowerCase(Locale.ROOT), l);
        }
    }

    /** The daemon starts: first status {@code init}, then {@code up}; timers from now. */
    public List<MembershipEffect> start(long now) {
        state.startedAt = now;
        for (String n : state.cfg.nodes()) {
            if (!n.equals(state.cfg.localNode())) {
                Peer p = new Peer(n, false, now, state.deadtimeMs);
                p.ackTrigger = (int) state.env.random(10);
                p.past = state.past.get(n);
                state.peers.put(n, p);
            }
        }
        for (String p : state.cfg.pingNodes()) {
            state.peers.put(p, new Peer(p, true, now, state.deadpingMs));
        }
        heartbeats.send(now);
        state.localStatus = "up";
        out.log(Severity.INFO, "Local status now set to: 'up'");
        heartbeats.send(now);
        state.nextStatusAt = now + state.keepaliveMs;
        joining.check(now);
        return out.drain();
    }

    /** An authenticated packet from the cluster, received on {@code link}. */
    public List<MembershipEffect> received(long now, Message m, String link) {
        if (state.startedAt < 0 || state.stopped) {
            return out.drain();
        }
        inbox.received(now, m, link);
        return out.drain();
    }

    /** A ping node answered (an authenticated NS_st came back). */
    public List<MembershipEffect> pingReply(long now, String pingNode, String link) {
        Peer p = state.peers.get(pingNode);
        if (p == null || !p.ping || state.startedAt < 0) {
            return out.drain();
        }
        heartbeats.pingAnswered(now, p, link);
        joining.check(now);
        return out.drain();
    }

    /** A reliable cluster message from the upper layer (resource protocol): numbered, kept, broadcast. */
    public List<MembershipEffect> send(long now, Message fields) {
        if (!state.stopped) {
            out.add(new Broadcast(state.sender.stamp(now, fields, state.peers)));
        }
        return out.drain();
    }

    public List<MembershipEffect> tick(long now) {
        if (state.startedAt < 0 || state.stopped) {
            return out.drain();
        }
        if (now >= state.nextStatusAt) {
            heartbeats.send(now);
            state.nextStatusAt = Math.max(state.nextStatusAt + state.keepaliveMs, now + 1);
            if (state.nextStatusAt <= now) {
                state.nextStatusAt = now + state.keepaliveMs;
            }
        }
        for (Peer p : state.peers.values()) {
            liveness.check(now, p);
            links.expire(now, p);
            retransmission.request(now, p);
        }
        joining.tick(now);
        joining.check(now);
        return out.drain();
    }

    /**
     * New timers from a reload (SIGHUP): our keepalive and the deadtime we announce in {@code dt}
     * change from the next status message on; warntime and the ping nodes' deadping at once. Peers
     * keep being judged by the {@code dt} they announce themselves.
     */
    public List<MembershipEffect> retime(long now, long keepaliveMs, long deadtimeMs, long warntimeMs, long deadpingMs) {
        if (keepaliveMs <= 0 || deadtimeMs <= 0 || warntimeMs <= 0 || deadpingMs <= 0) {
            throw new IllegalArgumentException("timers must be positive");
        }
        if (keepaliveMs != state.keepaliveMs && state.startedAt >= 0 && state.nextStatusAt != Long.MAX_VALUE) {
            state.nextStatusAt = Math.min(state.nextStatusAt, now + keepaliveMs);
        }
        state.keepaliveMs = keepaliveMs;
        state.deadtimeMs = deadtimeMs;
        state.warntimeMs = warntimeMs;
        state.deadpingMs = deadpingMs;
        for (Peer p : state.peers.values()) {
            if (p.ping) {
                p.deadtimeMs = deadpingMs;
            }
        }
        out.log(Severity.INFO, "Timers now keepalive " + keepaliveMs + " ms, deadtime " + deadtimeMs + " ms, warntime " + warntimeMs
                + " ms, deadping " + deadpingMs + " ms.");
        return out.drain();
    }

    /**
     * This node was frozen (its loop ran {@code frozenMs} after the deadline it asked for): the peers'
     * silence of that time was ours. A short stall moves each peer's last-heard times on by it; a
     * {@code whole} freeze (half a deadtime or more) gives every peer still alive a fresh deadtime from
     * now, to be heard from the packets that waited for us. Nobody is declared dead for our freeze.
     */
    public List<MembershipEffect> resumed(long now, long frozenMs, boolean whole) {
        if (state.startedAt < 0 || state.stopped || frozenMs <= 0) {
            return out.drain();
        }
        liveness.resumed(now, frozenMs, whole);
        return out.drain();
    }

    /** Our keepalive interval now (ms). */
    public long keepaliveMs() {
        return state.keepaliveMs;
    }

    /** The deadtime we announce now (ms). */
    public long deadtimeMs() {
        return state.deadtimeMs;
    }

    /** The daemon leaves (after {@code shutdone}): nothing more is sent. */
    public List<MembershipEffect> shutdown(long now) {
        if (!state.stopped) {
            for (Peer p : state.peers.values()) {
                if (!p.ping && p.generation >= 0) {
                    out.add(new MembershipEffect.PeerLifeChanged(p.life()));
                }
            }
        }
        state.stopped = true;
        return out.drain();
    }

    public OptionalLong nextDeadline() {
        if (state.startedAt < 0 || state.stopped) {
            return OptionalLong.empty();
        }
        long at = state.nextStatusAt;
        for (Peer p : state.peers.values()) {
            if (!p.dead) {
                at = Math.min(at, liveness.deadAt(p));
            }
            for (Map.Entry<String, Long> e : p.linkSeen.entrySet()) {
                if (Boolean.TRUE.equals(p.linkUp.get(e.getKey()))) {
                    at = Math.min(at, e.getValue() + p.deadtimeMs);
                }
            }
            if (!p.dead && !p.missing.isEmpty()) { // a dead peer is not asked for retransmits (Retransmission.request)
                at = Math.min(at, p.missing.values().stream().min(Long::compare).orElse(Long.MAX_VALUE));
            }
        }
        if (state.awaitingRepnodes) {
            at = Math.min(at, state.nextReqnodesAt);
        }
        return OptionalLong.of(at);
    }

    // ------------------------------------------------------------------ queries

    public String localStatus() {
        return state.localStatus;
    }

    /** A node's status as we see it ({@code init} until heard); {@code dead} for unknown names. */
    public String nodeStatus(String node) {
        String n = node.toLowerCase(Locale.ROOT);
        if (n.equals(state.cfg.localNode())) {
            return state.localStatus;
        }
        Peer p = state.peers.containsKey(node) ? state.peers.get(node) : state.peers.get(n);
        return p == null ? "dead" : p.dead ? "dead" : p.status;
    }

    public boolean linkStatus(String node, String link) {
        String n = node.toLowerCase(Locale.ROOT);
        if (n.equals(state.cfg.localNode())) {
            return state.ownLinks.containsKey(link);
        }
        Peer p = state.peers.containsKey(node) ? state.peers.get(node) : state.peers.get(n);
        return p != null && Boolean.TRUE.equals(p.linkUp.get(link));
    }

    public long generation() {
        return state.cfg.generation();
    }

    /**
     * When the last packet from {@code node} arrived on {@code link} (for the HTTP API's heartbeat age);
     * -1 when none did (or for this node itself, whose own packets do not say how a peer hears it).
     */
    public long linkLastHeardAt(String node, String link) {
        Peer p = state.peers.containsKey(node) ? state.peers.get(node) : state.peers.get(node.toLowerCase(Locale.ROOT));
        Long at = p == null ? null : p.linkSeen.get(link);
        return at == null ? -1 : at;
    }

    /**
     * What was counted of {@code node} since the start (late heartbeats, lost packets, retransmits)
     * and when each of its links last carried a packet; for the local node its own links' last echo.
     * {@link PeerCounters#NONE} for an unknown name.
     */
    public PeerCounters counters(String node) {
        String n = node.toLowerCase(Locale.ROOT);
        if (n.equals(state.cfg.localNode())) {
            return new PeerCounters(0, 0, 0, 0, state.ownLinks);
        }
        Peer p = state.peers.containsKey(node) ? state.peers.get(node) : state.peers.get(n);
        return p == null ? PeerCounters.NONE : new PeerCounters(p.late, p.lost, p.rexmitAsked, p.rexmitServed, p.linkSeen);
    }

    /**
     * The silence after which {@code node} is (or was) declared dead: the peer's own deadtime (its
     * {@code dt}), initdead before comm-up, deadping for a ping node; our deadtime for an unknown name.
     */
    public long deadtimeOf(String node) {
        Peer p = state.peers.containsKey(node) ? state.peers.get(node) : state.peers.get(node.toLowerCase(Locale.ROOT));
        return p == null ? state.deadtimeMs : liveness.deadAt(p) - p.lastStatusAt;
    }

    /**
     * When {@code node} (a normal peer, alive) will be declared dead unless heard before: the time it was last
     * heard plus {@link #deadtimeOf}. Empty for a dead peer, a ping node, an unknown name, or before the start.
     */
    public OptionalLong deadlineOf(String node) {
        Peer p = state.peers.containsKey(node) ? state.peers.get(node) : state.peers.get(node.toLowerCase(Locale.ROOT));
        if (p == null || p.ping || p.dead || state.startedAt < 0 || state.stopped) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(liveness.deadAt(p));
    }

    public boolean commUp() {
        return state.commUp;
    }
}
