package io.tandem.resources;

import io.tandem.config.FailbackMode;
import io.tandem.wire.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one node knows about resource ownership, in one place: the groups and what happened to
 * them here, what this node and the peer hold, the start-up negotiation, the standby handshake in
 * progress, shutdown and failback flags, and the monitoring bookkeeping. The protocol steps
 * ({@link Negotiation}, {@link Takeover}, {@link Giveup}, {@link Standby}, {@link MonitorDecisions})
 * read and change it; it decides nothing and emits nothing. Names in comments are heartbeat's
 * ({@code hb_resource.c}).
 */
final class OwnershipState {
    /** Resource negotiation state (heartbeat's {@code enum hb_rsc_state}; ordinals are its numbers). */
    enum RscState { INIT, STARTING, BOTHSTARTING, RSCRCVD, STABLE, SHUTDOWN }

    /** What this node knows about one peer. */
    static final class Peer {
        PeerStatus status = PeerStatus.INIT;
        boolean anyPacketsYet;
        boolean hasResources = true;
        /** Sent shutdone: it is leaving and answers nothing more, even while its status says active. */
        boolean leaving;
        /**
         * The generation and sequence number of the newest {@code resource} report taken from this peer
         * (-1: none yet). The membership delivers a retransmitted or overtaken message after newer ones;
         * a report older than this one is stale (see {@link OwnershipEngine#received}).
         */
        long reportGeneration = -1;
        long reportSeq = -1;
        /** Counts the peer's lives as this node saw them: one more at each death or restart. */
        int life;
    }

    /**
     * The standby handshake in progress (heartbeat's {@code going_standby}, {@code standby_running},
     * {@code standby_rsctype}); see {@link Standby}.
     */
    static final class Handshake {
        /** Heartbeat's {@code enum standby}; ordinals are its numbers in log lines. */
        enum Phase { NOT, ME, OTHER, DONE }

        Phase phase = Phase.NOT;
        /** When the handshake times out, or 0. */
        long deadline;
        /** The set being handed over, seen from the requester. */
        ResourceSet set = ResourceSet.ALL;
        /**
         * Bumped whenever a handshake starts or is cancelled. A release/acquire job only says {@code done}
         * for the handshake it was started for: a late {@code done} of a cancelled one would otherwise be
         * taken by the peer as the answer to a newer request (and both nodes would run the groups).
         */
        long epoch;
        /**
         * The generation and sequence number of the peer's {@code me} that put this node in {@code OTHER}
         * (-1: not known). A peer's {@code done} older than it belongs to an earlier handshake: lost in a
         * partition and retransmitted after the heal, it would be taken as the peer's release in this one.
         */
        long peerMeGeneration = -1;
        long peerMeSeq = -1;

        /**
         * The set the peer was giving us when we cancelled the handshake because it was declared dead,
         * or null. A peer that was only frozen finishes its release on resuming and says {@code done}:
         * that set is then ours to acquire (nobody else holds it). Cleared by a new handshake or the
         * peer's restart.
         */
        ResourceSet cancelledOnDeath;
        /** This node is the giver and its release is done (its own {@code done}: DONE from ME); reset by the next handshake. */
        boolean gave;

        boolean idle() {
            return phase == Phase.NOT && deadline == 0;
        }
    }

    /** A standby this node asks for later (30 s after a failed start, heartbeat's ResourceManager). */
    record DelayedStandby(long at, ResourceSet set) {
    }

    final OwnershipConfig cfg;
    final String local;
    /** nice_failback: {@code auto_failback on|off} (the starting/resource negotiation). */
    final boolean nice;
    /** {@code auto_failback on}. */
    final boolean autoFailback;
    final Map<String, Peer> peers = new LinkedHashMap<>();
    /** What this node last did with each group, in haresources order. */
    final Map<String, GroupState> groups = new LinkedHashMap<>();
    /** Peer messages received before comm-up, handled right after it; at most {@link #MAX_EARLY_MESSAGES}. */
    final List<Message> earlyMessages = new ArrayList<>();
    /** The most peer messages kept for comm-up: a real peer sends a handful before it (hostile input: a bound). */
    static final int MAX_EARLY_MESSAGES = 256;
    /** Peer messages dropped before comm-up because {@link #earlyMessages} was full. */
    long earlyDropped;
    /** The time of the event being handled (ms). */
    long now;

    // ---------------------------------------------------------------- negotiation and holdings

    RscState rscState = RscState.INIT;
    /** {@code i_hold_resources}: the set this node claims. */
    ResourceSet held = ResourceSet.NONE;
    /** {@code other_holds_resources}: the set the peer last reported. */
    ResourceSet peerHolds = ResourceSet.NONE;
    /** {@code other_is_stable}. */
    boolean peerStable;
    /** A mach_down takeover is queued or running. */
    boolean takeoverInProgress;
    /** {@code local_takeover_time}: when RSCRCVD gives up waiting and takes our own groups (RQSTDELAY), or 0. */
    long localTakeoverAt;
    boolean localWorkDone;
    boolean foreignWorkDone;
    /** {@code Initial resource acquisition complete} was logged. */
    boolean initAnnounced;
    /** The peer said {@code starting} while we were starting: both came up together. */
    boolean peerStartedWithUs;
    /** A peer said {@code starting} while we were in RSCRCVD and still moving something: the join settles once we are done (Negotiation). */
    String joinWaiting;
    boolean commUp;
    /** Legacy mode: this node asked for its own groups at comm-up. */
    boolean ownGroupsRequested;
    final Handshake handshake = new Handshake();
    /** The peer restarted while claiming groups: take our own back at its new life's first full report. */
    boolean reclaimAfterPeerRestart;

    // ---------------------------------------------------------------- failback, shutdown

    /** {@code rsc_needs_failback}. */
    boolean failbackNeeded;
    /** When {@code Auto failback delayed.} tries again, or -1. */
    long failbackRetryAt = -1;
    /** Standby requests scheduled after failed starts. */
    final List<DelayedStandby> delayedStandbys = new ArrayList<>();
    /** {@code rsc_needs_shutdown}: a shutdown waits for resource activity to finish. */
    boolean shutdownWaiting;
    boolean shutdownInProgress;
    /** {@code resource_shutdown_in_progress}: the release of every group was queued. */
    boolean shutdownStarted;
    boolean restartAfterShutdown;
    /** Shut down or rebooting: every further event is ignored. */
    boolean finished;

    // ---------------------------------------------------------------- monitoring

    /** Check times and fail counts. */
    final Monitor monitor;
    /** The ping-node tiebreak's knowledge: which ping nodes answer here, what the peer said. */
    final PingReach ping;
    /** Groups kept stopped here because they failed: when to look at them again. */
    final Map<String, Long> keptStopped = new LinkedHashMap<>();
    /** {@link Warm}: the copies here of warm resources of groups this node does not run, by {@link Warm#key}. */
    final Map<String, Warm.Copy> warm = new LinkedHashMap<>();
    /** {@link Warm}: the script of a copy in flight, or null (one script at a time, beside the job queue). */
    ResourceOp warmPending;
    /** {@link MakeBeforeBreak}: copies here of may-run-twice resources of groups this node does not run, to stop, by {@link Warm#key}. */
    final Map<String, MakeBeforeBreak.Copy> mbbCopies = new LinkedHashMap<>();
    /** {@link MakeBeforeBreak}: the taker's {@code other}, held back while its may-run-twice resources start, or null. */
    Runnable mbbAnswer;
    /** When the held-back {@code other} goes at the latest. */
    long mbbAnswerAt;
    /** A graceful stop handed this node's groups to the peer first ({@link Giveup#giveupResources}); set once. */
    boolean shutdownHandedOver;
    /** A monitor-initiated hand-over waiting for the handshake to finish, or null. */
    String handingOver;
    /**
     * Groups kept stopped here that were offered to a peer: the peer's {@link Peer#life} asked, how
     * often, and when the next offer may go (a peer that has just joined may still be settling its
     * own negotiation and ignore the first: "Other side is in flux").
     */
    record Offer(int life, int attempts, long notBefore) {
    }

    final Map<String, Offer> offeredKeptStopped = new LinkedHashMap<>();

    // ---------------------------------------------------------------- split-brain guards

    final GuardState guard = new GuardState();

    OwnershipState(OwnershipConfig cfg) {
        this.cfg = cfg;
        this.local = cfg.localNode();
        this.nice = cfg.autoFailback().niceFailback();
        this.autoFailback = cfg.autoFailback() == FailbackMode.ON;
        for (String n : cfg.nodes()) {
            if (!n.equals(local)) {
                peers.put(n, new Peer());
            }
        }
        for (GroupSpec g : cfg.groups()) {
            groups.put(g.key(), GroupState.STOPPED);
        }
        this.monitor = new Monitor(cfg.monitoring(), cfg.groups());
        this.ping = new PingReach(cfg.pingTiebreak());
    }

    // ---------------------------------------------------------------- bookkeeping

    /** The membership layer reports a peer's status ({@code init}, {@code up}, {@code active}). */
    void peerStatus(String node, PeerStatus status) {
        Peer p = peers.get(node);
        if (p == null || status == PeerStatus.DEAD) {
            return;
        }
        p.status = status;
        p.anyPacketsYet = true;
        if (status != PeerStatus.ACTIVE) {
            p.leaving = false;
        }
    }

    /** A peer came back with a new generation. */
    void peerRestarted(String node) {
        handshake.cancelledOnDeath = null; // its new life says no done of the old one
        Peer p = peers.get(node);
        if (p != null) {
            p.life++;
            p.hasResources = true;
            p.anyPacketsYet = true;
            p.leaving = false;
        }
    }

    /** A group run (acquire, release, restart in place) starts: no checks while it runs. */
    void groupRunStarted(GroupRun run) {
        Warm.forget(this, run.group());
        MakeBeforeBreak.forget(this, run.group());
        monitor.stopped(run.group().key());
        groups.put(run.group().key(), run.partial() ? GroupState.RESTARTING
                : run.acquire() ? GroupState.STARTING : GroupState.STOPPING);
    }

    /** A group run ended: record the group's state; a started group is checked from now on. */
    void groupRunFinished(GroupRun run) {
        GroupState s;
        switch (run.outcome().kind()) {
            case DONE:
                s = run.acquire() ? GroupState.RUNNING : run.partial() ? GroupState.RESTARTING : GroupState.STOPPED;
                if (run.acquire()) {
                    monitor.started(run.group().key(), 0, now);
                }
                break;
            case START_FAILED:
                s = GroupState.START_FAILED;
                break;
            case ADDRESS_IN_USE:
                s = GroupState.ADDRESS_IN_USE;
                break;
            default:
                s = GroupState.STOP_FAILED;
                break;
        }
        groups.put(run.group().key(), s);
        if (!run.acquire() && s == GroupState.STOPPED && !run.kept().isEmpty()) {
            MakeBeforeBreak.kept(this, run);
        }
    }

    // ---------------------------------------------------------------- queries

    /** No resource may run on both nodes (no warm or may-run-twice resource): heartbeat's behaviour throughout. */
    boolean overlappingNone() {
        return cfg.warm().isEmpty() && cfg.mayRunTwice().isEmpty();
    }

    /** The groups of a set, seen from this node, in haresources order. */
    List<GroupSpec> groupsOf(ResourceSet set) {
        List<GroupSpec> list = new ArrayList<>();
        for (GroupSpec g : cfg.groups()) {
            boolean mine = g.preferredBy(local);
            if ((mine && set.intersects(ResourceSet.LOCAL)) || (!mine && set.intersects(ResourceSet.FOREIGN))) {
                list.add(g);
            }
        }
        return list;
    }

    Optional<GroupSpec> group(String key) {
        return cfg.groups().stream().filter(g -> g.key().equals(key)).findFirst();
    }

    /** The set a group belongs to, seen from this node. */
    ResourceSet setOf(GroupSpec g) {
        return g.preferredBy(local) ? ResourceSet.LOCAL : ResourceSet.FOREIGN;
    }

    /** A peer is up and not leaving. */
    boolean isBack(String node) {
        Peer p = peers.get(node);
        return p != null && p.status != PeerStatus.DEAD && !p.leaving;
    }
}
