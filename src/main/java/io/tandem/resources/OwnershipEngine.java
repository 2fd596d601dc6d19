package io.tandem.resources;

import io.tandem.config.Severity;
import static io.tandem.resources.Effects.HB;

import io.tandem.resources.OwnershipState.Peer;
import io.tandem.resources.OwnershipState.RscState;
import io.tandem.wire.Message;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The v1 ("haresources") resource-ownership protocol of heartbeat 3.0.6 as a pure state machine
 * (PROTOCOL.md 6–7, 9): start-up negotiation, mach_down takeover, graceful shutdown, the standby /
 * takeover handshake, auto-failback and the legacy ip-request protocol, plus the group engine that
 * runs resources one at a time.
 *
 * <p>Every event carries the current time in ms and returns the effects to perform, in order. The
 * engine processes the messages it sends itself (heartbeat's loopback, the "self" rows of 7.4) right
 * after the step that sent them; the caller must therefore not feed this node's own messages back
 * ({@link #received} ignores messages whose {@code src} is this node). Not thread-safe: one caller.
 *
 * <p>Resource scripts: the engine emits {@link Effect.Run} and waits for {@link #opDone} before the
 * next one; the shell runs exactly one script at a time.
 *
 * <p>Inside, the engine only dispatches. Everything the node knows is one {@link OwnershipState};
 * the protocol steps are collaborators that change it and write to one effect sink ({@link Effects}):
 * {@link Negotiation} (comm-up, {@code starting}/{@code resource}, RQSTDELAY, auto-failback),
 * {@link Takeover} (our own groups, a dead or leaving node's, {@code hb_takeover}), {@link Giveup}
 * (shutdown, releases, stop failures, a failed group leaving), {@link Standby} (the handshake) and
 * {@link MonitorDecisions} (checks, restart in place, bans); {@link Holdings} is what they all say
 * about what this node holds, and {@link Jobs} runs their scripts one at a time.
 */
public final class OwnershipEngine {
    private final OwnershipState state;
    private final Effects out = new Effects();
    private final Jobs jobs;
    private final Holdings holdings;
    private final Giveup giveup;
    private final MonitorDecisions monitoring;
    private final Standby standby;
    private final Takeover takeover;
    private final Negotiation negotiation;
    private final Fencing fencing;
    private final Healing healing;
    private final AddressGuard addresses;
    private final Tiebreak tiebreak;
    private final StartupProbe probe;

    public OwnershipEngine(OwnershipConfig cfg) {
        this.state = new OwnershipState(cfg);
        this.jobs = new Jobs(new JobHost(), cfg.timers());
        this.holdings = new Holdings(state, out, jobs);
        this.giveup = new Giveup(state, out, jobs, holdings);
        this.monitoring = new MonitorDecisions(state, out, jobs, giveup);
        this.standby = new Standby(state, out, jobs, holdings, giveup, monitoring);
        this.fencing = new Fencing(state, out, cfg.fencing());
        this.takeover = new Takeover(state, out, jobs, holdings, giveup, standby, fencing);
        this.negotiation = new Negotiation(state, out, jobs, holdings, takeover, standby);
        this.healing = new Healing(state, out, jobs, holdings, giveup, fencing);
        this.addresses = new AddressGuard(state, out, jobs, healing);
        this.tiebreak = new Tiebreak(state, out, giveup);
        this.probe = new StartupProbe(state, out, jobs, holdings, giveup);
    }

    // ------------------------------------------------------------------ the flow of every event

    /**
     * Every event: due timers, the event itself, then {@link #drain}; after that, monitoring looks at
     * hand-overs that did not happen and groups that may run again, and the engine drains once more.
     */
    private List<Effect> event(long now, Runnable body) {
        List<Effect> effects = out.begin();
        if (state.finished) {
            return effects;
        }
        state.now = Math.max(state.now, now);
        checkTimers();
        if (!state.finished) {
            body.run();
        }
        drain();
        if (!state.finished) {
            probe.settle();
            monitoring.afterEvent();
            drain();
        }
        if (!state.finished) {
            healing.afterEvent();
            drain();
        }
        if (!state.finished) {
            tiebreak.afterEvent();
            drain();
        }
        return effects;
    }

    /** Timers in a fixed order: handshake timeout, RQSTDELAY and auto-failback, delayed standbys, stop retries. */
    private void checkTimers() {
        standby.checkTimeout();
        negotiation.tick();
        giveup.delayedStandbys();
        addresses.tick();
        jobs.tick(state.now);
        fencing.tick();
    }

    /**
     * Works until nothing more can happen without the outside world: our own messages first (they may
     * queue jobs), then one job step at a time, a waiting shutdown once stable, then a due monitor check.
     */
    private void drain() {
        while (!state.finished) {
            Message own = out.nextOwn();
            if (own != null) {
                dispatch(own, state.local);
                continue;
            }
            // one script at a time: a monitor check in flight holds the job queue back
            if (state.monitor.pending() == null && jobs.step()) {
                continue;
            }
            if (state.shutdownWaiting && holdings.isStable()) {
                giveup.giveupResources();
                continue;
            }
            monitoring.startDueCheck();
            break;
        }
    }

    /** A message, from the peer or our own ({@code from} is this node): which step handles it. */
    private void dispatch(Message m, String from) {
        boolean self = from.equals(state.local);
        switch (m.type()) {
            case Messages.STARTING:
            case Messages.RESOURCE:
                if (state.commUp) {
                    negotiation.onMessage(m, from, self);
                }
                break;
            case Messages.ASK_RESOURCES:
                if (state.commUp) {
                    standby.onAskResources(m, self ? state.local : from, self);
                }
                break;
            case Messages.SHUTDONE:
                if (self) {
                    giveup.shutdoneSent();
                } else {
                    takeover.peerShutdone(from);
                }
                break;
            case Messages.IP_REQUEST:
                if (state.commUp && !self) {
                    jobs.add(giveup.ipRequestJob(from, m.getOr(Messages.IPADDR, "")));
                }
                break;
            case Messages.IP_REQUEST_RESP:
                if (state.commUp) {
                    jobs.add(takeover.ipRequestRespJob(m));
                }
                break;
            case Tiebreak.TYPE:
                tiebreak.onMessage(m, from, self);
                break;
            case Messages.HB_TAKEOVER:
                if (state.commUp && !self) {
                    jobs.add(takeover.hbTakeoverJob(m.getOr(Messages.RSC_HOLD, "")));
                }
                break;
            default:
                break;
        }
    }

    // ------------------------------------------------------------------ events

    /** The membership layer reports a peer's status ({@code init}, {@code up}, {@code active}). */
    public List<Effect> peerStatus(long now, String node, PeerStatus status) {
        String n = node.toLowerCase(Locale.ROOT);
        return event(now, () -> heard(n, false, () -> {
            healing.peerStatus(n, status);
            if (state.peers.containsKey(n)) {
                tiebreak.peerStatus(n, status);
            }
        }));
    }

    /** A ping node answered (the ping-node tiebreak, {@link PingTiebreak}); other names are ignored. */
    public List<Effect> pingReply(long now, String pingNode) {
        return event(now, () -> {
            tiebreak.pingReply(pingNode);
            takeover.resumeHeldBack();
        });
    }

    /** The membership layer declared a ping node dead (deadping). */
    public List<Effect> pingLost(long now, String pingNode) {
        return event(now, () -> tiebreak.pingLost(pingNode));
    }

    /** Whether {@code node} is one of the tiebreak's ping nodes. */
    public boolean isPingNode(String node) {
        return state.ping.isPingNode(node);
    }

    /** What the ping-node tiebreak knows and whether it holds a takeover back. */
    public PingTiebreak.View tiebreak() {
        return state.ping.view();
    }

    /** A peer came back with a new generation ({@code Heartbeat restart on node X}). */
    public List<Effect> peerRestarted(long now, String node) {
        String n = node.toLowerCase(Locale.ROOT);
        return event(now, () -> heard(n, true, () -> {
            healing.peerRestarted(n);
            takeover.peerRestarted(n);
        }));
    }

    /** A peer was heard from: the state learns it, and a fence of it stops (it lives). */
    private void heard(String node, boolean restarted, Runnable learn) {
        learn.run();
        if (fencing.pending(node)) {
            takeover.fencingStopped(node, fencing.peerAlive(node), restarted);
        }
    }

    /** A peer was declared dead (deadtime, or initdead before comm-up). */
    public List<Effect> peerDead(long now, String node) {
        return event(now, () -> {
            healing.peerDying(node.toLowerCase(Locale.ROOT));
            takeover.peerDead(node.toLowerCase(Locale.ROOT));
            state.ping.peerReach = -1;
        });
    }

    /** Communications are up: every node was heard from or declared dead ({@code comm_now_up}). */
    public List<Effect> commUp(long now) {
        return event(now, () -> {
            if (state.commUp || probe.deferCommUp(this::communicationsUp)) {
                return;
            }
            communicationsUp();
        });
    }

    /** {@code comm_now_up}: the negotiation starts, then the peers' messages that came before it. */
    private void communicationsUp() {
        if (state.commUp) {
            return;
        }
        negotiation.commUp();
        tiebreak.announce(true);
        List<Message> early = new ArrayList<>(state.earlyMessages);
        state.earlyMessages.clear();
        for (Message m : early) {
            String from = m.getOr(Message.SRC, "").toLowerCase(Locale.ROOT);
            if (state.nice && m.type().equals(Messages.RESOURCE) && !from.equals(state.local)) {
                // sent before our starting, so no answer to it: it may describe the peer as it stood
                // towards our previous life, e.g. just before it took our groups on that life's
                // shutdone (FencingSimulationTest seed 138). The peer answers our starting with a
                // report of what it holds now.
                out.log(Severity.DEBUG, HB, "Ignoring resource report " + hex(m.getOr(Message.SEQ, "")) + " from " + from
                        + ": sent before our 'starting'; its answer says what it holds now.");
                continue;
            }
            dispatch(m, from);
        }
    }

    /** The node starts: the start-up probe ({@link StartupProbe}); without this call it joins at comm-up, as heartbeat. */
    public List<Effect> start(long now) {
        return event(now, probe::begin);
    }

    /** Whether the start-up probe is still running (the node has not yet joined the negotiation). */
    public boolean probing() {
        return probe.probing();
    }

    /** The node was frozen for {@code frozenMs}: repeat the resource report, check the groups it runs. */
    public List<Effect> resumed(long now, long frozenMs) {
        return event(now, () -> probe.resumed(frozenMs));
    }

    /**
     * A message from a peer, delivered reliably and once by the membership layer, with {@code src} set,
     * but not always in order: a {@code resource} report older than one already taken is ignored.
     * Messages from this node itself and messages addressed to another node are ignored.
     */
    public List<Effect> received(long now, Message message) {
        return event(now, () -> {
            Optional<String> src = message.get(Message.SRC);
            if (src.isEmpty()) {
                out.log(Severity.ERROR, HB, "resource message without " + Message.SRC + " field ignored: " + message);
                return;
            }
            String from = src.get().toLowerCase(Locale.ROOT);
            Peer p = state.peers.get(from);
            if (p == null) {
                return;
            }
            Optional<String> dest = message.get(Message.DEST);
            if (dest.isPresent() && !dest.get().equalsIgnoreCase(state.local)) {
                return;
            }
            p.anyPacketsYet = true;
            if (staleReport(p, message, from)) {
                return;
            }
            if (startingOlderThanReport(p, message)) {
                // the link reordered them: the newer report already says how the peer stands; taken,
                // the old starting left the peer "in flux" for good (MonitorSimulationTest seed 172249)
                out.log(Severity.INFO, HB, "Peer " + from + "'s 'starting' came after its newer resource report " + p.reportSeq
                        + ": answered, its stability stays as that report says.");
                if (state.commUp) {
                    negotiation.answerStarting();
                }
                return;
            }
            healing.peerMessage(message);
            if (!state.commUp && !message.type().equals(Messages.SHUTDONE)) {
                // heartbeat drops these (its handlers are registered at comm-up), losing e.g. an
                // ip-request; Tandem keeps them and handles them right after its own comm-up actions.
                state.earlyMessages.add(message);
                return;
            }
            dispatch(message, from);
        });
    }

    /**
     * Whether a peer's {@code resource} report is older than the newest one already taken from it. The
     * membership delivers each message once, but not in order: one that overtook an earlier one on the
     * link comes first, and a lost one comes when it is retransmitted. Every report states the peer's
     * holdings and stability as a whole, so an older one arriving last would undo the newer (an
     * overtaken {@code isstable=0} left the peer "in flux" for good). Other messages are steps of a
     * handshake and are all taken. Messages without {@code seq} (never from the membership) are taken.
     */
    private boolean staleReport(Peer p, Message message, String from) {
        if (!message.type().equals(Messages.RESOURCE)) {
            return false;
        }
        long gen = hex(message.getOr(Message.GEN, "0"));
        long seq = hex(message.getOr(Message.SEQ, ""));
        if (gen < 0 || seq < 0) {
            return false;
        }
        if (gen < p.reportGeneration || (gen == p.reportGeneration && seq < p.reportSeq)) {
            out.log(Severity.DEBUG, HB, "Ignoring resource report " + seq + " from " + from + ": report " + p.reportSeq
                    + " is newer.");
            return true;
        }
        p.reportGeneration = gen;
        p.reportSeq = seq;
        return false;
    }

    /**
     * Whether a peer's {@code starting} was sent before the newest {@code resource} report already taken
     * from it (same life): the peer reports only after its {@code starting}, so this one was overtaken
     * on the link or retransmitted late.
     */
    private static boolean startingOlderThanReport(Peer p, Message message) {
        if (!message.type().equals(Messages.STARTING) || p.reportSeq < 0) {
            return false;
        }
        long gen = hex(message.getOr(Message.GEN, "0"));
        long seq = hex(message.getOr(Message.SEQ, ""));
        if (gen < 0 || seq < 0) {
            return false;
        }
        return gen < p.reportGeneration || (gen == p.reportGeneration && seq < p.reportSeq);
    }

    private static long hex(String s) {
        try {
            return s.isEmpty() || s.length() > 16 ? -1 : Long.parseLong(s, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A script started by {@link Effect.Run} finished. */
    public List<Effect> opDone(long now, ResourceOp op, OpResult result) {
        return event(now, () -> {
            if (monitoring.checkDone(op, result)) {
                return;
            }
            if (!jobs.done(now, op, result)) {
                out.log(Severity.ERROR, HB, "Unexpected result " + result + " for " + op.resource() + " " + op.action().word() + " ignored");
            }
        });
    }

    /** The probe before the start {@code op} of an address was answered from {@code mac}: it ends {@link OpResult#ADDRESS_IN_USE}. */
    public List<Effect> addressInUse(long now, ResourceOp op, String mac) {
        return event(now, () -> addresses.answered(op, mac));
    }

    /** Another host ({@code mac}) claims the held {@code address} of {@code resource} (docs/split-brain.md). */
    public List<Effect> addressConflict(long now, String resource, String address, String mac) {
        return event(now, () -> addresses.conflict(resource, address, mac));
    }

    /** Groups not started because another host answered for their address: group key to that host's MAC. */
    public Map<String, String> addressesInUse() {
        return addresses.waiting();
    }

    /**
     * {@code hb_standby [all|local|foreign|failback]}: ask the peer to take these groups.
     *
     * @throws IllegalArgumentException for any other word
     */
    public List<Effect> operatorStandby(long now, String which) {
        ResourceSet set = Standby.operatorSet(which, "hb_standby");
        return event(now, () -> giveup.hbStandby(set));
    }

    /**
     * {@code hb_takeover [all|local|foreign|failback]}: ask the peer to hand these groups (seen from this
     * node) over; the peer runs the standby handshake with the mirrored set.
     *
     * @throws IllegalArgumentException for any other word
     */
    public List<Effect> operatorTakeover(long now, String which) {
        Standby.operatorSet(which, "hb_takeover");
        return event(now, () -> out.send(Messages.hbTakeover(which)));
    }

    /** Graceful stop: release every group, announce it, then {@link Effect.ShutdownComplete}. */
    public List<Effect> shutdownRequested(long now) {
        return event(now, () -> {
            fencing.cancelAll();
            giveup.giveupResources();
        });
    }

    /**
     * Release everything like a shutdown, then {@link Effect.ShutdownComplete} with {@code restart}:
     * heartbeat does this when a node returns after a partition, so both sides start over.
     */
    public List<Effect> restartRequested(long now) {
        return event(now, () -> {
            state.restartAfterShutdown = true;
            fencing.cancelAll();
            giveup.giveupResources();
        });
    }

    /**
     * A fence started by {@link Effect.Fence} finished: {@code ok} when the stonith command reset the node,
     * else {@code detail} says why not. After a success the node's groups are taken over.
     */
    public List<Effect> fenceDone(long now, String node, boolean ok, String detail) {
        return event(now, () -> {
            String n = node.toLowerCase(Locale.ROOT);
            if (fencing.done(n, ok, detail)) {
                takeover.fenced(n);
            }
        });
    }

    /** The dead peers this node is fencing (their takeover waits), with their failures. */
    public List<FenceStatus> fencing() {
        return fencing.status();
    }

    /** The fence device's status check ({@code stonith -S}) finished: {@code ok}, else {@code detail} says why not. */
    public List<Effect> deviceChecked(long now, String device, boolean ok, String detail) {
        return event(now, () -> fencing.deviceChecked(device, ok, detail));
    }

    /** What the periodic status check says about the fence device, while it is checked. */
    public Optional<DeviceStatus> fenceDevice() {
        return fencing.deviceStatus();
    }

    /** The fencing policy now in force ({@link #config} has the one the node started with). */
    public FencingPolicy fencingPolicy() {
        return fencing.policy();
    }

    /** Reload of tandem.cf's settings: fencing (same device) and the ping-node tiebreak (same ping nodes). */
    public List<Effect> reconfigure(long now, FencingPolicy fencingPolicy, PingTiebreak pingTiebreak) {
        return event(now, () -> {
            fencing.reconfigure(fencingPolicy);
            if (tiebreak.reconfigure(pingTiebreak)) {
                takeover.resumeHeldBack();
            }
        });
    }

    /** Time passes: call at {@link #nextDeadline()} (calling earlier or more often is harmless). */
    public List<Effect> tick(long now) {
        return event(now, () -> { });
    }

    /** When {@link #tick} must be called next, if any timer runs. */
    public OptionalLong nextDeadline() {
        long d = Long.MAX_VALUE;
        if (state.finished) {
            return OptionalLong.empty();
        }
        if (state.handshake.deadline > 0) {
            d = Math.min(d, state.handshake.deadline);
        }
        if (state.nice && state.rscState == RscState.RSCRCVD && state.localTakeoverAt > 0) {
            d = Math.min(d, state.localTakeoverAt);
        }
        if (state.failbackRetryAt >= 0) {
            d = Math.min(d, state.failbackRetryAt);
        }
        for (OwnershipState.DelayedStandby s : state.delayedStandbys) {
            d = Math.min(d, s.at());
        }
        if (jobs.deadline() >= 0) {
            d = Math.min(d, jobs.deadline());
        }
        if (fencing.deadline() >= 0) {
            d = Math.min(d, fencing.deadline());
        }
        if (probe.deadline() >= 0) {
            d = Math.min(d, probe.deadline());
        }
        long m = monitoring.deadline();
        if (m >= 0) {
            d = Math.min(d, m);
        }
        long a = addresses.deadline();
        if (a >= 0) {
            d = Math.min(d, a);
        }
        if (tiebreak.deadline() >= 0) {
            d = Math.min(d, tiebreak.deadline());
        }
        return d == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(d);
    }

    // ------------------------------------------------------------------ queries

    /** {@code cl_status rscstatus}: {@code local|foreign|all|none}, or {@code transition} while moving. */
    public String rscStatus() {
        return holdings.isStable() ? state.held.wire() : "transition";
    }

    /** The set this node claims to hold. */
    public ResourceSet held() {
        return state.held;
    }

    /** The set the peer last reported. */
    public ResourceSet otherHolds() {
        return state.peerHolds;
    }

    /** What this node last did with each group, in haresources order. */
    public Map<String, GroupState> groupStates() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(state.groups));
    }

    /** The script operation the engine is waiting for, if any. */
    public Optional<ResourceOp> pendingOp() {
        return Optional.ofNullable(jobs.pendingOp() != null ? jobs.pendingOp() : state.monitor.pending());
    }

    /** Whether a resource job is running or queued (heartbeat's resource children). */
    public boolean jobsBusy() {
        return jobs.busy();
    }

    /** Whether the engine has finished (shut down or rebooting) and ignores further events. */
    public boolean finished() {
        return state.finished;
    }

    /** Negotiation state name (INIT, STARTING, BOTHSTARTING, RSCRCVD, STABLE, SHUTDOWN). */
    public String negotiationState() {
        return state.rscState.name();
    }

    /**
     * {@code tandem cleanup}: forgets the failures of a group on this node; a group that was kept
     * stopped here because of them is started again if this node holds it.
     *
     * @param which the group key or any resource of the group, as written in haresources
     * @throws IllegalArgumentException when no group has such a resource
     */
    public List<Effect> cleanup(long now, String which) {
        GroupSpec g = state.cfg.groups().stream().filter(x -> x.key().equals(which) || x.resources().contains(which)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no resource group has a resource " + which));
        return event(now, () -> monitoring.cleanup(g));
    }

    /** Monitoring: per resource, health, last check and fail count, in haresources order. */
    public List<ResourceHealth> health(long now) {
        return state.monitor.health(Math.max(now, state.now));
    }

    /** New monitoring settings (reload); counts are kept. */
    public List<Effect> monitoring(long now, MonitorPolicy policy) {
        return event(now, () -> monitoring.reload(policy));
    }

    public OwnershipConfig config() {
        return state.cfg;
    }

    /** Where the job queue reports: effects to the sink, group runs to the state, the ban check to monitoring. */
    private final class JobHost implements Jobs.Host {
        @Override
        public void run(ResourceOp op) {
            out.run(op);
        }

        @Override
        public void log(Severity level, String source, String text) {
            out.log(level, source, text);
        }

        @Override
        public void groupStarted(GroupRun run) {
            state.groupRunStarted(run);
        }

        @Override
        public boolean mayAcquire(GroupSpec group) {
            return monitoring.mayAcquire(group);
        }

        @Override
        public void groupFinished(GroupRun run) {
            state.groupRunFinished(run);
        }
    }
}
