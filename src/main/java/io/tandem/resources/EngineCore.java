package io.tandem.resources;

import io.tandem.wire.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** State and message handling of the ownership engine; see {@link OwnershipEngine}. */
abstract class EngineCore {
    static final String HB = "heartbeat";

    final OwnershipConfig cfg;
    final String local;
    final boolean nice;
    final boolean autoFailback;
    final Map<String, Peer> peers = new LinkedHashMap<>();
    final Map<String, GroupState> groupStates = new LinkedHashMap<>();
    final Deque<Message> selfQueue = new ArrayDeque<>();
    final List<Message> beforeCommUp = new ArrayList<>();
    final Jobs jobs;
    final Standby standby;
    final Monitor monitor;
    List<Effect> out = new ArrayList<>();
    long now;

    // heartbeat's resource-state variables (hb_resource.c)
    RscState rstate = RscState.INIT;
    ResourceSet iHold = ResourceSet.NONE;
    ResourceSet otherHolds = ResourceSet.NONE;
    boolean otherIsStable;
    boolean takeoverInProgress;
    long localTakeoverTime;
    boolean localWorkDone;
    boolean foreignWorkDone;
    boolean initAnnounced;
    boolean rscNeedsFailback;
    long failbackRetryAt = -1;
    boolean rscNeedsShutdown;
    boolean shutdownInProgress;
    boolean resourceShutdownStarted;
    boolean restartAfterShutdown;
    boolean resourcesRequestedYet;
    boolean commUp;
    boolean finished;
    /** The peer said {@code starting} while we were starting: both came up together. */
    boolean peerStartedWithUs;
    final List<long[]> delayedStandby = new ArrayList<>();

    /** Resource negotiation state (heartbeat's {@code enum hb_rsc_state}; ordinals are its numbers). */
    enum RscState { INIT, STARTING, BOTHSTARTING, RSCRCVD, STABLE, SHUTDOWN }

    static final class Peer {
        PeerStatus status = PeerStatus.INIT;
        boolean anyPacketsYet;
        boolean hasResources = true;
        /** Sent shutdone: it is leaving and answers nothing more, even while its status says active. */
        boolean leaving;
    }

    EngineCore(OwnershipConfig cfg) {
        this.cfg = cfg;
        this.local = cfg.localNode();
        this.nice = cfg.autoFailback().niceFailback();
        this.autoFailback = cfg.autoFailback() == AutoFailback.ON;
        for (String n : cfg.nodes()) {
            if (!n.equals(local)) {
                peers.put(n, new Peer());
            }
        }
        for (GroupSpec g : cfg.groups()) {
            groupStates.put(g.key(), GroupState.STOPPED);
        }
        this.jobs = new Jobs(new JobHost(), cfg.timers());
        this.standby = new Standby(this);
        this.monitor = new Monitor(cfg.monitoring(), cfg.groups());
    }

    // ------------------------------------------------------------------ plumbing

    void drain() {
        while (!finished) {
            if (!selfQueue.isEmpty()) {
                dispatch(selfQueue.poll(), local);
                continue;
            }
            // one script at a time: a monitor check in flight holds the job queue back
            if (monitor.pending() == null && jobs.step()) {
                continue;
            }
            if (rscNeedsShutdown && isStable()) {
                giveupResources();
                continue;
            }
            monitorStep();
            break;
        }
    }

    void checkTimers() {
        standby.checkTimeout();
        if (nice && rstate == RscState.RSCRCVD && localTakeoverTime > 0 && now >= localTakeoverTime) {
            rstate = RscState.STABLE;
            reqOurResources(false);
            log(LogLevel.INFO, HB, "local resource transition completed.");
            sendHeld(true, null);
            audit();
        }
        if (failbackRetryAt >= 0 && now >= failbackRetryAt) {
            failbackRetryAt = -1;
            performAutoFailback();
        }
        for (int i = 0; i < delayedStandby.size(); i++) {
            if (now >= delayedStandby.get(i)[0]) {
                ResourceSet set = ResourceSet.ofBits((int) delayedStandby.remove(i)[1]);
                i--;
                hbStandby(set);
            }
        }
        jobs.tick(now);
    }

    long now() {
        return now;
    }

    String local() {
        return local;
    }

    boolean nice() {
        return nice;
    }

    boolean autoFailback() {
        return autoFailback;
    }

    void log(LogLevel level, String source, String text) {
        out.add(new Effect.Log(level, source, text));
    }

    /** Sends a message and queues our own copy for processing (heartbeat's loopback). */
    void send(Message m) {
        out.add(new Effect.Send(m));
        selfQueue.add(m);
    }

    void sendHeld(boolean stable, String info) {
        if (nice) {
            send(Messages.resourceFull(iHold, stable, info));
        }
    }

    void dispatch(Message m, String from) {
        boolean self = from.equals(local);
        switch (m.type()) {
            case Messages.STARTING:
            case Messages.RESOURCE:
                if (commUp) {
                    processResources(m, from, self);
                }
                break;
            case Messages.ASK_RESOURCES:
                if (commUp) {
                    standby.onAskResources(m, self ? local : from, self);
                }
                break;
            case Messages.SHUTDONE:
                onShutdone(from, self);
                break;
            case Messages.IP_REQUEST:
                if (commUp && !self) {
                    jobs.add(ipRequestJob(from, m.getOr(Messages.IPADDR, "")));
                }
                break;
            case Messages.IP_REQUEST_RESP:
                if (commUp) {
                    jobs.add(ipRequestRespJob(m));
                }
                break;
            case Messages.HB_TAKEOVER:
                if (commUp && !self) {
                    jobs.add(hbTakeoverJob(m.getOr(Messages.RSC_HOLD, "")));
                }
                break;
            default:
                break;
        }
    }

    // ------------------------------------------------------------------ start-up negotiation (7.2)

    void processResources(Message m, String from, boolean self) {
        RscState newState = rstate;
        if (m.type().equals(Messages.STARTING)) {
            if (self) {
                return;
            }
            switch (rstate) {
                case RSCRCVD:
                case STABLE:
                case SHUTDOWN:
                    break;
                case STARTING:
                    newState = RscState.BOTHSTARTING;
                    peerStartedWithUs = true;
                    foreignWorkDone = true;
                    announce("HB_R_BOTHSTARTING");
                    break;
                default:
                    log(LogLevel.ERROR, HB, "Received 'starting' message in state " + rstate.ordinal());
                    return;
            }
            otherIsStable = false;
            if (takeoverInProgress) {
                log(LogLevel.WARN, HB, "T_STARTING received during takeover.");
            }
            sendHeld(reportStable(), null);
        } else {
            Optional<String> held = m.get(Messages.RSC_HOLD);
            if (held.isEmpty()) {
                log(LogLevel.ERROR, HB, "resource message without rsc_hold field.");
                return;
            }
            ResourceSet n = ResourceSet.parse(held.get()).orElseGet(() -> {
                log(LogLevel.ERROR, HB, "encode_resources: bad resource type [" + held.get() + "]");
                return ResourceSet.NONE;
            });
            boolean full = "full".equals(m.getOr(Messages.RTYPE, ""));
            switch (rstate) {
                case BOTHSTARTING:
                case STARTING:
                    newState = RscState.RSCRCVD;
                    if (!autoFailback) {
                        foreignWorkDone = true;
                        announce("T_RESOURCES");
                    }
                    break;
                case RSCRCVD:
                case STABLE:
                case SHUTDOWN:
                    break;
                default:
                    log(LogLevel.ERROR, HB, "resource message received in state " + rstate.ordinal());
                    return;
            }
            if (!self) {
                otherHolds = update(full, otherHolds, n);
                standby.onPeerResource(m);
                Optional<String> stable = m.get(Messages.ISSTABLE);
                if (stable.isPresent()) {
                    if (stable.get().equals("1")) {
                        if (!otherIsStable) {
                            log(LogLevel.INFO, HB, "remote resource transition completed.");
                            otherIsStable = true;
                            sendHeld(reportStable(), null);
                            performAutoFailback();
                        }
                    } else {
                        otherIsStable = false;
                    }
                }
                if (rstate != RscState.STABLE && rstate != RscState.SHUTDOWN && otherIsStable) {
                    log(LogLevel.INFO, HB, "remote resource transition completed.");
                    reqOurResources(false);
                    newState = RscState.STABLE;
                    sendHeld(true, null);
                    performAutoFailback();
                    foreignWorkDone = true;
                    if (!autoFailback && otherHolds.intersects(ResourceSet.FOREIGN)) {
                        localWorkDone = true;
                    }
                    announce("T_RESOURCES(them)");
                } else if (newState == RscState.RSCRCVD && peerStartedWithUs && full && !otherIsStable
                        && !otherHolds.intersects(ResourceSet.FOREIGN) && standby.idle()) {
                    // Tandem: both nodes started together and the peer's full report says it holds none
                    // of our groups, so nobody runs them; heartbeat waits RQSTDELAY (10 s) here for a
                    // stability neither side can report first. Take our own groups now and say so.
                    newState = RscState.STABLE;
                    rstate = RscState.STABLE;
                    log(LogLevel.INFO, HB, "local resource transition completed (both nodes started; "
                            + from + " holds none of our resources).");
                    reqOurResources(false);
                    sendHeld(true, null);
                }
            } else {
                iHold = update(full, iHold, n);
                if (iHold.intersects(ResourceSet.LOCAL)) {
                    localWorkDone = true;
                    announce("T_RESOURCES(us)");
                }
                String info = m.getOr(Message.INFO, "");
                if (info.equals("mach_down")) {
                    log(LogLevel.INFO, HB, "mach_down takeover complete.");
                    takeoverInProgress = false;
                    iHold = iHold.plus(ResourceSet.FOREIGN);
                    rscNeedsFailback = true;
                    otherIsStable = true;
                    foreignWorkDone = true;
                    announce("mach_down");
                } else if (info.equals("shutdown")) {
                    newState = RscState.SHUTDOWN;
                }
            }
        }
        rstate = newState;
        if (rstate == RscState.RSCRCVD && localTakeoverTime == 0) {
            localTakeoverTime = now + cfg.timers().localTakeover();
        }
        audit();
    }

    static ResourceSet update(boolean full, ResourceSet cur, ResourceSet up) {
        if (full || up == ResourceSet.NONE) {
            return up;
        }
        return cur.plus(up);
    }

    void markLocalWorkDone(String reason) {
        localWorkDone = true;
        announce(reason);
    }

    void announce(String reason) {
        if (initAnnounced || !localWorkDone || !foreignWorkDone) {
            return;
        }
        log(LogLevel.INFO, HB, "Initial resource acquisition complete (" + reason + ")");
        initAnnounced = true;
    }

    void audit() {
        if (!nice) {
            return;
        }
        if (iHold.intersects(ResourceSet.LOCAL) && otherHolds.intersects(ResourceSet.FOREIGN)) {
            log(LogLevel.ERROR, HB, "Both machines own our resources!");
        }
        if (otherHolds.intersects(ResourceSet.LOCAL) && iHold.intersects(ResourceSet.FOREIGN)) {
            log(LogLevel.ERROR, HB, "Both machines own foreign resources!");
        }
        if (isStable() && !shutdownInProgress && rstate != RscState.SHUTDOWN) {
            if (!iHold.intersects(ResourceSet.LOCAL) && !otherHolds.intersects(ResourceSet.FOREIGN) && !groupsOf(ResourceSet.LOCAL).isEmpty()) {
                log(LogLevel.ERROR, HB, "No one owns our local resources!");
            }
            if (!otherHolds.intersects(ResourceSet.LOCAL) && !iHold.intersects(ResourceSet.FOREIGN) && !groupsOf(ResourceSet.FOREIGN).isEmpty()) {
                log(LogLevel.ERROR, HB, "No one owns foreign resources!");
            }
        }
    }

    /**
     * The {@code isstable} bit of a reply: heartbeat sends {@code rstate == STABLE}; Tandem also says 0
     * while a standby handshake runs, so a node never reports stable holdings that exclude groups it is
     * still releasing.
     */
    boolean reportStable() {
        return rstate == RscState.STABLE && standby.idle();
    }

    /** heartbeat's {@code hb_rsc_isstable}: no resource activity and nothing negotiating. */
    boolean isStable() {
        if (!nice || !commUp) {
            return !jobs.busy();
        }
        return otherIsStable && !takeoverInProgress && standby.idle() && !jobs.busy()
                && (rstate == RscState.STABLE || rstate == RscState.SHUTDOWN || rstate == RscState.INIT);
    }

    // ------------------------------------------------------------------ shutdone (7.5)

    void onShutdone(String from, boolean self) {
        if (commUp && nice) {
            if (!self) {
                otherIsStable = true;
                otherHolds = ResourceSet.NONE;
                if (iHold != ResourceSet.ALL && !shutdownInProgress) {
                    ResourceSet rtype = iHold == ResourceSet.FOREIGN ? ResourceSet.LOCAL
                            : iHold == ResourceSet.LOCAL ? ResourceSet.FOREIGN : ResourceSet.ALL;
                    standby.acquireNow(rtype);
                }
            } else {
                rstate = RscState.SHUTDOWN;
                iHold = ResourceSet.NONE;
            }
            audit();
        }
        if (self) {
            finished = true;
            jobs.clear();
            out.add(new Effect.ShutdownComplete(restartAfterShutdown));
            return;
        }
        Peer p = peers.get(from);
        p.hasResources = false;
        p.leaving = true;
        otherIsStable = false;
        otherHolds = ResourceSet.NONE;
        log(LogLevel.INFO, HB, "Received shutdown notice from '" + from + "'.");
        takeoverFromNode(from, p);
    }

    // ------------------------------------------------------------------ auto-failback (7.2)

    void performAutoFailback() {
        if (shutdownInProgress || !iHold.intersects(ResourceSet.FOREIGN) || !rscNeedsFailback || !autoFailback) {
            rscNeedsFailback = false;
            return;
        }
        if (!standby.idle() || !otherIsStable || rstate != RscState.STABLE) {
            log(LogLevel.DEBUG, HB, "Auto failback delayed.");
            failbackRetryAt = now + cfg.timers().autoFailbackRetry();
            return;
        }
        standby.failback();
        rscNeedsFailback = false;
    }

    // ------------------------------------------------------------------ helpers

    Jobs jobs() {
        return jobs;
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

    private final class JobHost implements Jobs.Host {
        @Override
        public void run(ResourceOp op) {
            out.add(new Effect.Run(op));
        }

        @Override
        public void log(LogLevel level, String source, String text) {
            EngineCore.this.log(level, source, text);
        }

        @Override
        public void groupStarted(GroupRun run) {
            monitor.stopped(run.group().key());
            groupStates.put(run.group().key(), run.partial() ? GroupState.RESTARTING
                    : run.acquire() ? GroupState.STARTING : GroupState.STOPPING);
        }

        @Override
        public boolean mayAcquire(GroupSpec group) {
            return EngineCore.this.mayAcquire(group);
        }

        @Override
        public void groupFinished(GroupRun run) {
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
                default:
                    s = GroupState.STOP_FAILED;
                    break;
            }
            groupStates.put(run.group().key(), s);
        }
    }

    // implemented by MonitorCore

    /** Starts a due monitor check when nothing else runs. */
    abstract void monitorStep();

    /** Whether a whole-group acquisition may run here now (false: the group failed here). */
    abstract boolean mayAcquire(GroupSpec g);

    /** Whether to refuse a peer's standby request: this node would have to take a group that failed here. */
    abstract boolean refuseTaking(ResourceSet set, String from);

    // implemented by TakeoverCore / GiveupCore
    abstract void reqOurResources(boolean getThemAnyway);

    abstract Jobs.Job ipRequestRespJob(Message m);

    abstract Jobs.Job ipRequestJob(String from, String key);

    abstract Jobs.Job hbTakeoverJob(String which);

    abstract void hbStandby(ResourceSet set);

    abstract void recoverDeadResources(String node, Peer p);

    abstract void takeoverFromNode(String node, Peer p);

    abstract void giveupResources();

    abstract void releaseAll(Jobs.Job job, List<GroupSpec> groups, ResourceSet held, Runnable onAbort);

    abstract void stopFailed(GroupSpec g, GroupRun.Outcome o, List<GroupSpec> retake, Runnable onAbort);

    abstract void acquired(GroupSpec g, GroupRun.Outcome o);
}
