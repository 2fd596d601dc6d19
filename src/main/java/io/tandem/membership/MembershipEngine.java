package io.tandem.membership;

import io.tandem.config.Severity;
import io.tandem.membership.MembershipEffect.Broadcast;
import io.tandem.membership.MembershipEffect.Deliver;
import io.tandem.wire.Message;
import io.tandem.wire.RejectReason;
import java.util.Arrays;
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

    public MembershipEngine(MembershipConfig cfg, Environment env) {
        this.state = new MembershipState(cfg, env);
        this.links = new Links(state, out);
        this.retransmission = new Retransmission(state, out);
        this.heartbeats = new Heartbeats(state, out, links);
        this.joining = new Joining(state, out, heartbeats);
        this.liveness = new Liveness(state, out, links, joining);
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
        String src = m.getOr(Message.SRC, "").toLowerCase(Locale.ROOT);
        if (src.equals(state.cfg.localNode())) {
            links.ownEcho(now, link);
            return out.drain();
        }
        Peer p = state.peers.get(src);
        if (p == null || p.ping) {
            out.reject(RejectReason.UNKNOWN_NODE, "process_status_message: bad node [" + src + "] in message");
            return out.drain();
        }
        String type = m.type();
        if (type.startsWith("NS_")) {
            links.seen(now, p, link);
            retransmission.onNsMessage(now, p, m);
        } else if (accept(now, p, m, link)) {
            handle(now, p, m);
        }
        joining.check(now);
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

    // ------------------------------------------------------------------ receiving

    /** Sequence processing (docs/protocol.md 5.2): true when the message is new and in a known generation. */
    private boolean accept(long now, Peer p, Message m, String link) {
        p.recovered = false;
        OptionalLong seq = Hex.parse(m.getOr(Message.SEQ, ""));
        if (seq.isEmpty() || seq.getAsLong() <= 0) {
            out.reject(RejectReason.BAD_SEQUENCE, "should_drop_message: bad sequence number from " + p.name);
            return false;
        }
        long s = seq.getAsLong();
        long gen = Hex.parse(m.getOr(Message.GEN, "0")).orElse(0);
        if (Long.compareUnsigned(gen, MAX_GENERATION) > 0 || Long.compareUnsigned(s, MAX_SEQUENCE) > 0) {
            out.reject(RejectReason.ABSURD_NUMBER, "should_drop_message: implausible generation " + Long.toUnsignedString(gen) + " / seq "
                    + Long.toUnsignedString(s) + " from " + p.name + " (at most " + MAX_GENERATION + " / " + MAX_SEQUENCE + ")");
            return false;
        }
        if (gen < p.generation) {
            out.reject(RejectReason.REPLAY, "should_drop_message: attempted replay attack [" + p.name + "]? [gen = " + gen + ", curgen = "
                    + p.generation + "]");
            return false;
        }
        if (gen == p.generation && p.ended) {
            out.reject(RejectReason.REPLAY, "should_drop_message: message of " + p.name + " from generation " + gen
                    + ", which ended with shutdone (replay?)");
            return false;
        }
        if (p.generation < 0 && p.past != null && fromBeforeOurStart(p.past, gen, s)) {
            out.reject(RejectReason.REPLAY, "should_drop_message: message of " + p.name + " [gen = " + gen + ", seq = " + s
                    + "] is from before our start (we had seen gen " + p.past.generation() + " up to seq " + p.past.seq()
                    + (p.past.ended() ? ", ended" : "") + "): replay?");
            return false;
        }
        if (gen > p.generation) {
            if (p.generation >= 0 && !"status".equals(m.type())) {
                return false; // only a status message moves a peer's generation forward
            }
            if (p.generation >= 0) {
                out.log(Severity.INFO, "Heartbeat restart on node " + p.name);
                out.add(new MembershipEffect.PeerRestarted(p.name));
                p.heard = false; // a new incarnation: neither late nor returning after a partition
            }
            p.generation = gen;
            p.ended = false;
            p.resetSequence();
            out.add(new MembershipEffect.PeerLifeChanged(new PeerLife(p.name, gen, 0, false)));
        } else if (p.lastSeq > 0 && s > p.lastSeq + 1 + MAX_GAP
                && s - p.lastSeq > MAX_GAP + Math.max(0, now - p.lastAcceptedAt) * MAX_MESSAGES_PER_SECOND / 1000) {
            out.reject(RejectReason.ABSURD_NUMBER, "should_drop_message: implausible sequence jump of " + p.name + " from " + p.lastSeq
                    + " to " + s + " in " + Math.max(0, now - p.lastAcceptedAt) + " ms");
            return false;
        }
        uuid(p, m);
        links.seen(now, p, link);
        if (p.lastSeq == 0 || s == p.lastSeq + 1) {
            p.lastSeq = s;
            p.lastAcceptedAt = now;
            retransmission.maybeAck(now, p, s);
            return true;
        }
        if (s == p.lastSeq) {
            return false;
        }
        if (s > p.lastSeq + 1) {
            long lost = s - p.lastSeq - 1;
            p.lost += lost;
            out.log(Severity.WARN, lost + " lost packet(s) for [" + p.name + "] [" + p.lastSeq + ":" + s + "]");
            if (lost > MAX_GAP) {
                out.log(Severity.ERROR, "lost a lot of packets!");
                p.missing.clear();
            } else {
                for (long k = Math.max(p.lastSeq + 1, s - MAX_MISSING); k < s; k++) {
                    p.missing.put(k, now + retransmission.delay());
                }
                while (p.missing.size() > MAX_MISSING) {
                    p.missing.pollFirstEntry(); // given up, as heartbeat does when its table is full
                }
            }
            p.lastSeq = s;
            p.lastAcceptedAt = now;
            return true;
        }
        if (p.missing.remove(s) != null) {
            if (p.missing.isEmpty()) {
                out.log(Severity.INFO, "No pkts missing from " + p.name + "!");
            }
            p.recovered = true; // delivered, but older than what we have: says nothing about the peer's liveness now
            return true;
        }
        return false;
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

    /** A first message since our start that belongs to a life of the peer we had already seen. */
    private static boolean fromBeforeOurStart(PeerLife past, long gen, long seq) {
        return gen < past.generation() || (gen == past.generation() && (past.ended() || seq <= past.seq()));
    }

    private void uuid(Peer p, Message m) {
        m.field(Message.SRCUUID).ifPresent(f -> {
            byte[] u = f.value();
            if (p.uuid != null && !Arrays.equals(p.uuid, u)) {
                out.log(Severity.INFO, "node " + p.name + " changed its uuid");
            }
            p.uuid = u;
        });
    }



}
