package io.tandem.resources;

import io.tandem.wire.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
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
 */
public final class OwnershipEngine {
    static final String HB = "heartbeat";

    private final OwnershipConfig cfg;
    private final String local;
    private final boolean nice;
    private final boolean autoFailback;
    private final Map<String, Peer> peers = new LinkedHashMap<>();
    private final Map<String, GroupState> groupStates = new LinkedHashMap<>();
    private final Deque<Message> selfQueue = new ArrayDeque<>();
    private final List<Message> beforeCommUp = new ArrayList<>();
    private final Jobs jobs;
    private final Standby standby;
    private List<Effect> out = new ArrayList<>();
    private long now;

    // heartbeat's resource-state variables (hb_resource.c)
    RscState rstate = RscState.INIT;
    ResourceSet iHold = ResourceSet.NONE;
    ResourceSet otherHolds = ResourceSet.NONE;
    boolean otherIsStable;
    private boolean takeoverInProgress;
    private long localTakeoverTime;
    private boolean localWorkDone;
    private boolean foreignWorkDone;
    private boolean initAnnounced;
    boolean rscNeedsFailback;
    private long failbackRetryAt = -1;
    private boolean rscNeedsShutdown;
    boolean shutdownInProgress;
    private boolean resourceShutdownStarted;
    private boolean restartAfterShutdown;
    private boolean resourcesRequestedYet;
    private boolean commUp;
    private boolean finished;
    private final List<long[]> delayedStandby = new ArrayList<>();

    /** Resource negotiation state (heartbeat's {@code enum hb_rsc_state}; ordinals are its numbers). */
    enum RscState { INIT, STARTING, BOTHSTARTING, RSCRCVD, STABLE, SHUTDOWN }

    private static final class Peer {
        PeerStatus status = PeerStatus.INIT;
        boolean anyPacketsYet;
        boolean hasResources = true;
        /** Sent shutdone: it is leaving and answers nothing more, even while its status says active. */
        boolean leaving;
    }

    public OwnershipEngine(OwnershipConfig cfg) {
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
    }

    // ------------------------------------------------------------------ events

    /** The membership layer reports a peer's status ({@code init}, {@code up}, {@code active}). */
    public List<Effect> peerStatus(long now, String node, PeerStatus status) {
        return event(now, () -> {
            Peer p = peers.get(node.toLowerCase(java.util.Locale.ROOT));
            if (p == null || status == PeerStatus.DEAD) {
                return;
            }
            p.status = status;
            p.anyPacketsYet = true;
            if (status != PeerStatus.ACTIVE) {
                p.leaving = false;
            }
        });
    }

    /** A peer came back with a new generation ({@code Heartbeat restart on node X}). */
    public List<Effect> peerRestarted(long now, String node) {
        return event(now, () -> {
            Peer p = peers.get(node.toLowerCase(java.util.Locale.ROOT));
            if (p != null) {
                p.hasResources = true;
                p.anyPacketsYet = true;
                p.leaving = false;
            }
        });
    }

    /** A peer was declared dead (deadtime, or initdead before comm-up). */
    public List<Effect> peerDead(long now, String node) {
        return event(now, () -> {
            String name = node.toLowerCase(java.util.Locale.ROOT);
            Peer p = peers.get(name);
            if (p == null || p.status == PeerStatus.DEAD) {
                return;
            }
            p.status = PeerStatus.DEAD;
            p.leaving = false;
            recoverDeadResources(name, p);
            p.anyPacketsYet = false;
        });
    }

    /** Communications are up: every node was heard from or declared dead ({@code comm_now_up}). */
    public List<Effect> commUp(long now) {
        return event(now, () -> {
            if (commUp) {
                return;
            }
            commUp = true;
            jobs.enable();
            boolean anyDead = peers.values().stream().anyMatch(p -> p.status == PeerStatus.DEAD);
            if (!anyDead) {
                foreignWorkDone = true;
            }
            if (nice) {
                send(Messages.starting());
                rstate = RscState.STARTING;
            } else if (!resourcesRequestedYet) {
                resourcesRequestedYet = true;
                reqOurResources(false);
            }
            List<Message> early = new ArrayList<>(beforeCommUp);
            beforeCommUp.clear();
            for (Message m : early) {
                dispatch(m, m.getOr(Message.SRC, "").toLowerCase(java.util.Locale.ROOT));
            }
        });
    }

    /**
     * A message from a peer, delivered reliably, in order and once by the membership layer, with
     * {@code src} set. Messages from this node itself and messages addressed to another node are ignored.
     */
    public List<Effect> received(long now, Message message) {
        return event(now, () -> {
            Optional<String> src = message.get(Message.SRC);
            if (src.isEmpty()) {
                log(LogLevel.ERROR, HB, "resource message without " + Message.SRC + " field ignored: " + message);
                return;
            }
            String from = src.get().toLowerCase(java.util.Locale.ROOT);
            Peer p = peers.get(from);
            if (p == null) {
                return;
            }
            Optional<String> dest = message.get(Message.DEST);
            if (dest.isPresent() && !dest.get().equalsIgnoreCase(local)) {
                return;
            }
            p.anyPacketsYet = true;
            if (!commUp && !message.type().equals(Messages.SHUTDONE)) {
                // heartbeat drops these (its handlers are registered at comm-up), losing e.g. an
                // ip-request; Tandem keeps them and handles them right after its own comm-up actions.
                beforeCommUp.add(message);
                return;
            }
            dispatch(message, from);
        });
    }

    /** A script started by {@link Effect.Run} finished. */
    public List<Effect> opDone(long now, ResourceOp op, OpResult result) {
        return event(now, () -> {
            if (!jobs.done(now, op, result)) {
                log(LogLevel.ERROR, HB, "Unexpected result " + result + " for " + op.resource() + " " + op.action().word() + " ignored");
            }
        });
    }

    /**
     * {@code hb_standby [all|local|foreign|failback]}: ask the peer to take these groups.
     *
     * @throws IllegalArgumentException for any other word
     */
    public List<Effect> operatorStandby(long now, String which) {
        ResourceSet set = standbyWord(which, "hb_standby");
        return event(now, () -> hbStandby(set));
    }

    /**
     * {@code hb_takeover [all|local|foreign|failback]}: ask the peer to hand these groups (seen from this
     * node) over; the peer runs the standby handshake with the mirrored set.
     *
     * @throws IllegalArgumentException for any other word
     */
    public List<Effect> operatorTakeover(long now, String which) {
        standbyWord(which, "hb_takeover");
        return event(now, () -> send(Messages.hbTakeover(which)));
    }

    /** Graceful stop: release every group, announce it, then {@link Effect.ShutdownComplete}. */
    public List<Effect> shutdownRequested(long now) {
        return event(now, this::giveupResources);
    }

    /**
     * Release everything like a shutdown, then {@link Effect.ShutdownComplete} with {@code restart}:
     * heartbeat does this when a node returns after a partition, so both sides start over.
     */
    public List<Effect> restartRequested(long now) {
        return event(now, () -> {
            restartAfterShutdown = true;
            giveupResources();
        });
    }

    /** Time passes: call at {@link #nextDeadline()} (calling earlier or more often is harmless). */
    public List<Effect> tick(long now) {
        return event(now, () -> { });
    }

    /** When {@link #tick} must be called next, if any timer runs. */
    public OptionalLong nextDeadline() {
        long d = Long.MAX_VALUE;
        if (finished) {
            return OptionalLong.empty();
        }
        if (standby.deadline() > 0) {
            d = Math.min(d, standby.deadline());
        }
        if (nice && rstate == RscState.RSCRCVD && localTakeoverTime > 0) {
            d = Math.min(d, localTakeoverTime);
        }
        if (failbackRetryAt >= 0) {
            d = Math.min(d, failbackRetryAt);
        }
        for (long[] s : delayedStandby) {
            d = Math.min(d, s[0]);
        }
        if (jobs.deadline() >= 0) {
            d = Math.min(d, jobs.deadline());
        }
        return d == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(d);
    }

    // ------------------------------------------------------------------ queries

    /** {@code cl_status rscstatus}: {@code local|foreign|all|none}, or {@code transition} while moving. */
    public String rscStatus() {
        return isStable() ? iHold.wire() : "transition";
    }

    /** The set this node claims to hold. */
    public ResourceSet held() {
        return iHold;
    }

    /** The set the peer last reported. */
    public ResourceSet otherHolds() {
        return otherHolds;
    }

    /** What this node last did with each group, in haresources order. */
    public Map<String, GroupState> groupStates() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(groupStates));
    }

    /** The script operation the engine is waiting for, if any. */
    public Optional<ResourceOp> pendingOp() {
        return Optional.ofNullable(jobs.pendingOp());
    }

    /** Whether a resource job is running or queued (heartbeat's resource children). */
    public boolean jobsBusy() {
        return jobs.busy();
    }

    /** Whether the engine has finished (shut down or rebooting) and ignores further events. */
    public boolean finished() {
        return finished;
    }

    /** Negotiation state name (INIT, STARTING, BOTHSTARTING, RSCRCVD, STABLE, SHUTDOWN). */
    public String negotiationState() {
        return rstate.name();
    }

    public OwnershipConfig config() {
        return cfg;
    }

    // ------------------------------------------------------------------ plumbing

    private List<Effect> event(long now, Runnable body) {
        out = new ArrayList<>();
        if (finished) {
            return out;
        }
        this.now = Math.max(this.now, now);
        checkTimers();
        if (!finished) {
            body.run();
        }
        drain();
        return out;
    }

    private void drain() {
        while (!finished) {
            if (!selfQueue.isEmpty()) {
                dispatch(selfQueue.poll(), local);
                continue;
            }
            if (jobs.step()) {
                continue;
            }
            if (rscNeedsShutdown && isStable()) {
                giveupResources();
                continue;
            }
            break;
        }
    }

    private void checkTimers() {
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

    private void dispatch(Message m, String from) {
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

    private void processResources(Message m, String from, boolean self) {
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

    private static ResourceSet update(boolean full, ResourceSet cur, ResourceSet up) {
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

    private void audit() {
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
    private boolean reportStable() {
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

    // ------------------------------------------------------------------ taking our own groups

    void reqOurResources(boolean getThemAnyway) {
        if (shutdownInProgress) {
            return;
        }
        if (nice) {
            if ((otherHolds.intersects(ResourceSet.FOREIGN) || iHold.intersects(ResourceSet.LOCAL)) && !getThemAnyway) {
                if (standby.idle()) {
                    log(LogLevel.INFO, HB, "Local Resource acquisition completed. (none)");
                    return;
                }
            }
            iHold = iHold.plus(ResourceSet.LOCAL);
        }
        boolean alone = peers.values().stream().noneMatch(p -> p.status == PeerStatus.ACTIVE && !p.leaving);
        Jobs.Job job = new Jobs.Job("req_our_resources");
        List<GroupSpec> ours = groupsOf(ResourceSet.LOCAL);
        for (GroupSpec g : ours) {
            job.probe(g, running -> {
                if (running) {
                    return;
                }
                if (nice || alone) {
                    send(Messages.ipRequestResp(local, g.key(), true, "OK"));
                } else {
                    send(Messages.ipRequest(g.key()));
                }
            });
        }
        job.act(() -> {
            if (ours.isEmpty()) {
                log(LogLevel.INFO, HB, "No local resources [/usr/share/heartbeat/ResourceManager listkeys " + local + "] to acquire.");
            } else {
                log(LogLevel.INFO, HB, "Local Resource acquisition completed.");
            }
            sendHeld(standby.idle(), "req_our_resources()");
        });
        if (alone) {
            job.onEnd(() -> {
                localWorkDone = true;
                announce("req_our_resources");
            });
        }
        jobs.add(job);
    }

    private Jobs.Job ipRequestRespJob(Message m) {
        String key = m.getOr(Messages.IPADDR, "");
        return new Jobs.Job("ip-request-resp").act(() -> {
            if (!m.getOr(Message.DEST, "").equalsIgnoreCase(local) || key.isEmpty()) {
                return;
            }
            log(LogLevel.INFO, "ip-request-resp", "received ip-request-resp " + key + " " + m.getOr(Messages.OK, "") + " " + m.getOr(Messages.WEOWN, ""));
            Optional<GroupSpec> g = group(key);
            if (m.getOr(Messages.OK, "").equals("OK") && g.isPresent() && stillOurs(g.get())) {
                jobs.current().tasks.addFirst(new Jobs.Task.Group(g.get(), true, o -> acquired(g.get(), o)));
            }
        }).onEnd(() -> {
            localWorkDone = true;
            announce("ip-request-resp");
        });
    }

    /** rc.d/ip-request: the requester wants its group; give it up if we run it, then tell it to go ahead. */
    private Jobs.Job ipRequestJob(String from, String key) {
        Jobs.Job job = new Jobs.Job("ip-request");
        Optional<GroupSpec> g = group(key);
        if (g.isEmpty()) {
            return job.act(() -> send(Messages.ipRequestResp(from, key, false, "OK")));
        }
        return job.probe(g.get(), running -> {
            if (!running) {
                send(Messages.ipRequestResp(from, key, false, "OK"));
                return;
            }
            jobs.current().tasks.addFirst(new Jobs.Task.Group(g.get(), false, o -> {
                if (o.ok()) {
                    send(Messages.ipRequestResp(from, key, true, "OK"));
                } else {
                    stopFailed(g.get(), o, List.of(g.get()), () -> send(Messages.ipRequestResp(from, key, true, "FAILED")));
                }
            }));
        });
    }

    /** rc.d/hb_takeover on the peer: run hb_standby with the mirrored set. */
    private Jobs.Job hbTakeoverJob(String which) {
        ResourceSet set;
        switch (which) {
            case "local":
            case "failback":
                set = ResourceSet.FOREIGN;
                break;
            case "foreign":
                set = ResourceSet.LOCAL;
                break;
            default:
                set = ResourceSet.ALL;
                break;
        }
        return new Jobs.Job("hb_takeover").act(() -> hbStandby(set));
    }

    void hbStandby(ResourceSet set) {
        log(LogLevel.INFO, "hb_standby", "Going standby [" + set.wire() + "].");
        send(Messages.askResources(set, "me"));
    }

    private static ResourceSet standbyWord(String which, String tool) {
        switch (which) {
            case "all":
                return ResourceSet.ALL;
            case "local":
                return ResourceSet.LOCAL;
            case "foreign":
            case "failback":
                return ResourceSet.FOREIGN;
            default:
                throw new IllegalArgumentException(tool + ": wrong resources(" + which + "); use all, foreign, local or failback");
        }
    }

    // ------------------------------------------------------------------ node failure (7.6, 9)

    private void recoverDeadResources(String node, Peer p) {
        standby.cancelOnPeerDeath();
        if (shutdownInProgress) {
            if (rstate != RscState.SHUTDOWN && rstate != RscState.STABLE) {
                giveupResources();
            }
            return;
        }
        rscNeedsFailback = true;
        boolean needStonith = true;
        if (p.anyPacketsYet) {
            if (nice) {
                needStonith = otherHolds != ResourceSet.NONE;
            } else {
                needStonith = p.hasResources;
            }
        }
        if (needStonith) {
            send(Messages.stonith(node, "n_stnth"));
            log(LogLevel.WARN, HB, "No STONITH device configured.");
            log(LogLevel.WARN, HB, "Shared disks are not protected.");
            takeoverFromNode(node, p);
        } else {
            log(LogLevel.INFO, HB, "Dead node " + node + " gave up resources.");
            send(Messages.stonith(node, "unneeded"));
            if (nice) {
                if (iHold == ResourceSet.ALL) {
                    otherIsStable = true;
                    return;
                }
                if (!iHold.intersects(ResourceSet.LOCAL)) {
                    reqOurResources(true);
                }
                if (!iHold.intersects(ResourceSet.FOREIGN)) {
                    takeoverFromNode(node, p);
                }
            } else {
                takeoverFromNode(node, p);
            }
        }
    }

    private void takeoverFromNode(String node, Peer p) {
        if (shutdownInProgress) {
            log(LogLevel.INFO, HB, "Resource takeover cancelled - shutdown in progress.");
            return;
        }
        log(LogLevel.INFO, HB, "Resources being acquired from " + node + ".");
        jobs.add(machDownJob(node));
        if (nice) {
            iHold = iHold.plus(ResourceSet.FOREIGN);
            otherHolds = ResourceSet.NONE;
            otherIsStable = true;
            takeoverInProgress = true;
        }
        reqOurResources(true);
        p.anyPacketsYet = true;
    }

    /** harc status → mach_down: take every group of the dead node. */
    private Jobs.Job machDownJob(String node) {
        Jobs.Job job = new Jobs.Job("status");
        for (GroupSpec g : cfg.groups()) {
            if (g.preferredBy(node)) {
                job.act(() -> {
                    if (!nice && isBack(node)) {
                        // legacy: the node restarted before this queued takeover ran; it asks for its
                        // groups with ip-request, so taking them now would run them twice
                        log(LogLevel.INFO, "mach_down", "Not taking over resource group " + g.key() + ": " + node + " is back.");
                    } else if (stillOurs(g)) {
                        log(LogLevel.INFO, "mach_down", "Taking over resource group " + g.key());
                        jobs.current().tasks.addFirst(new Jobs.Task.Group(g, true, o -> acquired(g, o)));
                    }
                });
            }
        }
        job.act(() -> {
            if (nice) {
                log(LogLevel.INFO, "mach_down", "/usr/share/heartbeat/mach_down: nice_failback: foreign resources acquired");
                send(Messages.resourceMachDown());
            }
            log(LogLevel.INFO, "mach_down", "mach_down takeover complete for node " + node + ".");
        });
        job.onEnd(() -> {
            if (!nice && peers.values().stream().anyMatch(x -> x.status == PeerStatus.DEAD)) {
                foreignWorkDone = true;
                announce("status");
            }
        });
        return job;
    }

    // ------------------------------------------------------------------ shutdone (7.5)

    private void onShutdone(String from, boolean self) {
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

    // ------------------------------------------------------------------ graceful shutdown (7.5)

    private void giveupResources() {
        if (!isStable()) {
            if (!rscNeedsShutdown) {
                log(LogLevel.WARN, HB, "Shutdown delayed until current resource activity finishes.");
                rscNeedsShutdown = true;
            }
            return;
        }
        rscNeedsShutdown = false;
        shutdownInProgress = true;
        if (resourceShutdownStarted) {
            log(LogLevel.INFO, HB, "Heartbeat shutdown already underway.");
            return;
        }
        resourceShutdownStarted = true;
        ResourceSet heldBefore = iHold;
        RscState stateBefore = rstate;
        rstate = RscState.SHUTDOWN;
        // heartbeat zeroes i_hold here and announces rsc_hold=none before it has stopped anything; a
        // peer that (re)starts meanwhile would take its own groups after RQSTDELAY while they still run
        // here. Tandem keeps announcing what it holds until shutdone (which means none).
        sendHeld(false, "shutdown");
        log(LogLevel.INFO, HB, "Heartbeat shutdown in progress. (" + cfg.pid() + ")");
        Jobs.Job job = new Jobs.Job("hb_giveup_resources");
        job.act(() -> log(LogLevel.INFO, HB, "Giving up all HA resources."));
        releaseAll(job, cfg.groups(), heldBefore, () -> {
            shutdownInProgress = false;
            resourceShutdownStarted = false;
            restartAfterShutdown = false;
            rstate = stateBefore == RscState.INIT ? RscState.INIT : RscState.STABLE;
            iHold = heldBefore;
            sendHeld(true, null);
            out.add(new Effect.ShutdownAborted("a resource could not be stopped; this node keeps its groups"));
        });
        job.act(() -> {
            log(LogLevel.INFO, HB, "All HA resources relinquished.");
            send(Messages.shutdone());
        });
        jobs.add(job);
    }

    // ------------------------------------------------------------------ group outcomes

    /**
     * Adds release tasks for the groups. On a stop failure the rest is skipped, the released groups that
     * this node held ({@code held}) and the stuck group are started again, and {@code onAbort} runs.
     */
    void releaseAll(Jobs.Job job, List<GroupSpec> groups, ResourceSet held, Runnable onAbort) {
        List<GroupSpec> released = new ArrayList<>();
        List<GroupSpec> ours = groupsOf(held);
        for (GroupSpec g : groups) {
            job.group(g, false, o -> {
                if (o.ok()) {
                    if (ours.contains(g)) {
                        released.add(g);
                    }
                } else {
                    List<GroupSpec> retake = new ArrayList<>(released);
                    retake.add(g);
                    stopFailed(g, o, retake, onAbort);
                }
            });
        }
    }

    /**
     * A stop failed and the resource still runs. REBOOT: emit {@link Effect.Reboot} and stop. HOLD: drop
     * the rest of the current job, start the given groups again (this node keeps them) and run {@code onAbort}.
     */
    void stopFailed(GroupSpec g, GroupRun.Outcome o, List<GroupSpec> retake, Runnable onAbort) {
        if (cfg.stopFailure() == StopFailurePolicy.REBOOT) {
            log(LogLevel.CRIT, GroupRun.RM, "Resource STOP failure. Reboot required!");
            log(LogLevel.CRIT, GroupRun.RM, "Killing heartbeat ungracefully!");
            out.add(new Effect.Reboot("resource " + o.resource() + " of group " + g.key() + " could not be stopped"));
            finished = true;
            jobs.clear();
            return;
        }
        log(LogLevel.CRIT, GroupRun.RM, "Resource STOP failure: " + o.resource() + " still running; group " + g.key()
                + " stays on this node and is not given up.");
        Jobs.Job job = jobs.current();
        job.tasks.clear();
        for (GroupSpec r : retake) {
            job.group(r, true, x -> acquired(r, x));
        }
        job.act(onAbort);
        job.onEnd(() -> { });
    }

    /**
     * Whether this node still claims the group's set. Acquisitions queued earlier (mach_down, the
     * self-addressed ip-request-resp of req_our_resources) wait behind other jobs; if a standby
     * handshake gave the set away meanwhile, starting the group would run it on both nodes
     * (heartbeat has this race). Legacy mode has no claims.
     */
    private boolean stillOurs(GroupSpec g) {
        if (!nice || iHold.intersects(g.preferredBy(local) ? ResourceSet.LOCAL : ResourceSet.FOREIGN)) {
            return true;
        }
        log(LogLevel.INFO, HB, "Not acquiring resource group " + g.key() + ": this node no longer holds it.");
        return false;
    }

    private boolean isBack(String node) {
        Peer p = peers.get(node);
        return p != null && p.status != PeerStatus.DEAD && !p.leaving;
    }

    /** Outcome of any acquire: a failed start is handed to the peer later (ResourceManager's hb_standby). */
    void acquired(GroupSpec g, GroupRun.Outcome o) {
        if (o.kind() == GroupRun.Outcome.Kind.START_FAILED) {
            ResourceSet set = g.preferredBy(local) ? ResourceSet.LOCAL : ResourceSet.FOREIGN;
            delayedStandby.add(new long[] {now + cfg.timers().failedStartStandby(), set.bits()});
        } else if (o.kind() == GroupRun.Outcome.Kind.STOP_FAILED) {
            if (cfg.stopFailure() == StopFailurePolicy.REBOOT) {
                stopFailed(g, o, List.of(), () -> { });
            } else {
                log(LogLevel.CRIT, GroupRun.RM, "Resource STOP failure: " + o.resource() + " still running; group " + g.key()
                        + " stays on this node and is not given up.");
            }
        }
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

    private Optional<GroupSpec> group(String key) {
        return cfg.groups().stream().filter(g -> g.key().equals(key)).findFirst();
    }

    private final class JobHost implements Jobs.Host {
        @Override
        public void run(ResourceOp op) {
            out.add(new Effect.Run(op));
        }

        @Override
        public void log(LogLevel level, String source, String text) {
            OwnershipEngine.this.log(level, source, text);
        }

        @Override
        public void groupStarted(GroupRun run) {
            groupStates.put(run.group().key(), run.acquire() ? GroupState.STARTING : GroupState.STOPPING);
        }

        @Override
        public void groupFinished(GroupRun run) {
            GroupState s;
            switch (run.outcome().kind()) {
                case DONE:
                    s = run.acquire() ? GroupState.RUNNING : GroupState.STOPPED;
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
}
