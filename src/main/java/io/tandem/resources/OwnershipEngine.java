package io.tandem.resources;

import io.tandem.config.Severity;
import static io.tandem.resources.Effects.HB;

import io.tandem.wire.Message;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The v1 ("haresources") resource-ownership protocol of heartbeat 3.0.6 as a pure state machine
 * (docs/protocol.md 6–7, 9): start-up negotiation, mach_down takeover, graceful shutdown, the standby /
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
 *
 * <p>This class is the public face: the events, the queries of the status, and the wiring of the
 * steps. How an event flows through them is {@link EventFlow} (timers, the event, the drain, the
 * checks after it); which peer message is taken and which step handles a message is {@link Inbox};
 * the timers are asked in {@link Timers}.
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
    private final Inbox inbox;
    private final Timers timers;
    private final EventFlow flow;
    private final Warm warm;
    private final MakeBeforeBreak mbb;
    private final AddressPreProbe preProbe;

    /** Without probes before a peer's death ({@link AddressPreProbe.Settings#OFF}). */
    public OwnershipEngine(OwnershipConfig cfg) {
        this(cfg, AddressPreProbe.Settings.OFF);
    }

    /** With the probe before death of {@code preProbe} (tandem-arp.cf's window). */
    public OwnershipEngine(OwnershipConfig cfg, AddressPreProbe.Settings preProbe) {
        this.state = new OwnershipState(cfg);
        this.preProbe = new AddressPreProbe(state, out, preProbe, this::takesAtOnce, this::event);
        this.jobs = new Jobs(new JobHost(state, out, this::mayAcquire, this.preProbe), cfg.timers());
        this.holdings = new Holdings(state, out, jobs);
        this.giveup = new Giveup(state, out, jobs, holdings);
        this.monitoring = new MonitorDecisions(state, out, jobs, giveup);
        this.mbb = new MakeBeforeBreak(state, out, jobs);
        this.standby = new Standby(state, out, jobs, holdings, giveup, monitoring, mbb);
        this.fencing = new Fencing(state, out, cfg.fencing());
        this.takeover = new Takeover(state, out, jobs, holdings, giveup, standby, fencing);
        this.negotiation = new Negotiation(state, out, jobs, holdings, takeover, standby);
        this.healing = new Healing(state, out, jobs, holdings, giveup, takeover);
        this.addresses = new AddressGuard(state, out, jobs, healing);
        this.tiebreak = new Tiebreak(state, out, giveup);
        this.probe = new StartupProbe(state, out, jobs, holdings, giveup);
        this.inbox = new Inbox(state, out, jobs, negotiation, standby, giveup, takeover, tiebreak, healing);
        this.warm = new Warm(state, out, jobs);
        this.timers = new Timers(state, jobs, standby, negotiation, giveup, addresses, fencing, probe, monitoring, tiebreak, warm, mbb);
        this.flow = new EventFlow(state, out, jobs, holdings, giveup, monitoring, healing, tiebreak, probe, timers, inbox, warm, negotiation, mbb);
    }

    /** Whether a death of {@code node} now would be taken over at once ({@link AddressPreProbe}): the takeover is built after it. */
    private boolean takesAtOnce(String node) {
        return takeover.takesAtOnce(node);
    }

    /** The job queue's ban check ({@link JobHost}): monitoring, which is built after the queue. */
    private boolean mayAcquire(GroupSpec group) {
        return monitoring.mayAcquire(group);
    }

    // ------------------------------------------------------------------ the flow of every event

    /** Every event goes the same way: {@link EventFlow#event}. */
    private List<Effect> event(long now, Runnable body) {
        return flow.event(now, body);
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

    /** A peer was heard from: the state learns it, and a fence of it stops (it lives), or one a shutdown cancelled is forgotten. */
    private void heard(String node, boolean restarted, Runnable learn) {
        learn.run();
        if (fencing.pending(node)) {
            takeover.fencingStopped(node, fencing.peerAlive(node), restarted);
        } else if (fencing.heard(node)) {
            takeover.fencingStopped(node, true, restarted); // a fence a shutdown cancelled had held our own groups back
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
        inbox.replayEarly();
    }

    /** The node starts: the start-up probe ({@link StartupProbe}); without this call it joins at comm-up, as heartbeat. */
    public List<Effect> start(long now) {
        return event(now, () -> {
            preProbe.atStart();
            probe.begin();
        });
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
        return event(now, () -> inbox.received(message));
    }

    /** A script started by {@link Effect.Run} finished. */
    public List<Effect> opDone(long now, ResourceOp op, OpResult result) {
        return event(now, () -> {
            if (monitoring.checkDone(op, result) || mbb.done(op, result) || warm.done(op, result)) {
                return;
            }
            if (!jobs.done(now, op, result)) {
                out.log(Severity.ERROR, HB, "Unexpected result " + result + " for " + op.resource() + " " + op.action().word() + " ignored");
            }
        });
    }

    /**
     * The daemon's address step of the pending stop {@code op} removed the address and silenced its
     * announcements; the script still runs. A standby release whose last stop this is says {@code done}
     * now ({@link Jobs#addressReleased}); anything else ignores it and waits for {@link #opDone}.
     */
    public List<Effect> addressReleased(long now, ResourceOp op) {
        return event(now, () -> jobs.addressReleased(op));
    }

    /** The probe before the start {@code op} of an address was answered from {@code mac}: it ends {@link OpResult#ADDRESS_IN_USE}. */
    public List<Effect> addressInUse(long now, ResourceOp op, String mac) {
        return event(now, () -> addresses.answered(op, mac));
    }

    /** Another host ({@code mac}) claims the held {@code address} of {@code resource} (docs/split-brain.md). */
    public List<Effect> addressConflict(long now, String resource, String address, String mac) {
        return event(now, () -> addresses.conflict(resource, address, mac));
    }

    /** The probe before a peer's death ({@link AddressPreProbe}): its events and when they are due. */
    public AddressPreProbe preProbe() {
        return preProbe;
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
        return timers.nextDeadline();
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
        return Optional.ofNullable(jobs.pendingOp() != null ? jobs.pendingOp()
                : state.monitor.pending() != null ? state.monitor.pending() : state.warmPending);
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
}
