package io.tandem.daemon.node;

import io.tandem.daemon.address.AddressTarget;
import io.tandem.daemon.address.ArpGuard;
import io.tandem.daemon.lifecycle.PeerLives;
import io.tandem.daemon.loop.EventLoop;
import io.tandem.membership.MembershipEngine;
import io.tandem.node.NodeCore;
import io.tandem.node.NodeEffect;
import io.tandem.node.NodeEvent;
import io.tandem.resources.OpResult;
import io.tandem.resources.OwnershipEngine;
import io.tandem.resources.ResourceOp;
import io.tandem.wire.Message;
import java.util.concurrent.CompletableFuture;

/**
 * The node as the event loop sees it: it hands every event to the {@link NodeCore} and performs the
 * effects the core returns, in order, then re-arms the loop's timer for the core's next deadline. It
 * decides nothing itself. All methods run on the loop thread only.
 */
final class ClusterNode implements Inbound.Target {
    private final NodeCore core;
    private final Outbound out;
    private final ScriptRunner scripts;
    private final DaemonLog log;
    private final EventLoop loop;
    private final RcHooks hooks;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final RejectLog rejects;
    private final PeerLives lives;
    private final java.util.Optional<StonithRunner> stonith;
    private final ArpGuard arp;
    private io.tandem.daemon.history.EventHistory history;
    private String nodeName = "";
    /** Who asked for what the core takes now (a control request's user), or "". */
    private String operator = "";
    /** Who asked for the stop to come (a control request's user), or "". */
    private volatile String stopUser = "";
    /** The shell's details of the operation whose end the core takes now (exit code, failed output). */
    private ResourceOp finishing;
    private java.util.Map<String, String> finishingDetails = java.util.Map.of();
    /** Who else sees each stored history entry and each ended operation (the metrics, the notify hooks). */
    private java.util.function.Consumer<io.tandem.daemon.history.StoredEvent> recorded = e -> { };
    private OpObserver ended = (op, result, ms) -> { };

    /** An operation's end as the shell saw it: its result and how long its script ran (ms). */
    interface OpObserver {
        void ended(ResourceOp op, OpResult result, long durationMs);
    }

    ClusterNode(NodeCore core, Outbound out, ScriptRunner scripts, DaemonLog log, EventLoop loop, RcHooks hooks, RejectLog rejects,
                PeerLives lives, ArpGuard arp, java.util.Optional<StonithRunner> stonith) {
        this.stonith = stonith;
        this.core = core;
        this.arp = arp;
        this.rejects = rejects;
        this.lives = lives;
        this.hooks = hooks;
        this.out = out;
        this.scripts = scripts;
        this.log = log;
        this.loop = loop;
    }

    /** Where the event history's entries go (before {@link #start}). */
    void history(io.tandem.daemon.history.EventHistory history, String nodeName) {
        this.history = history;
        this.nodeName = nodeName;
    }

    /** Who sees each stored history entry and each ended operation, on the loop (before {@link #start}). */
    void observe(java.util.function.Consumer<io.tandem.daemon.history.StoredEvent> entries, OpObserver operations) {
        this.recorded = entries;
        this.ended = operations;
    }

    /** The event history (empty before {@link #history}). */
    java.util.List<io.tandem.daemon.history.StoredEvent> events(long since) {
        return history == null ? java.util.List.of() : history.since(since);
    }

    /** Runs {@code action} (on the loop) as asked by {@code user}: the history's operator entries name them. */
    void asOperator(String user, Runnable action) {
        operator = user;
        try {
            action.run();
        } finally {
            operator = "";
        }
    }

    /** The next graceful stop was asked for by {@code user} (any thread). */
    void stopAskedBy(String user) {
        stopUser = user;
    }

    MembershipEngine membership() {
        return core.membership();
    }

    OwnershipEngine ownership() {
        return core.ownership();
    }

    /** Input from the network refused since the start, per reason. */
    java.util.Map<io.tandem.wire.RejectReason, Long> rejected() {
        return rejects.totals();
    }

    /** Completes with the exit code once the node has left the cluster. */
    CompletableFuture<Integer> exit() {
        return exit;
    }

    void start(long now) {
        on(now, new NodeEvent.Start());
    }

    /** An authenticated message from a peer, received on {@code link}. */
    @Override
    public void received(long now, Message message, String link) {
        on(now, new NodeEvent.Received(message, link));
    }

    /** A ping node answered on its medium. */
    @Override
    public void pingReply(long now, String pingNode) {
        on(now, new NodeEvent.PingReply(pingNode));
    }

    void timers(long now) {
        on(now, new NodeEvent.Timer());
    }

    void opDone(long now, ResourceOp op, OpResult result) {
        on(now, new NodeEvent.OpFinished(op, result));
    }

    void standby(long now, String which) {
        on(now, new NodeEvent.Standby(which));
    }

    void takeover(long now, String which) {
        on(now, new NodeEvent.Takeover(which));
    }

    /**
     * {@code tandem cleanup}: forget the failures of a group here.
     *
     * @throws IllegalArgumentException when no group has such a resource
     */
    void cleanup(long now, String which) {
        on(now, new NodeEvent.Cleanup(which));
    }

    /** Reload: new monitoring settings. */
    void monitoring(long now, io.tandem.resources.MonitorPolicy policy) {
        on(now, new NodeEvent.Monitoring(policy));
    }

    /** Graceful stop: give every group up (to the peer), then say goodbye and exit. */
    void shutdown(long now) {
        on(now, new NodeEvent.Shutdown());
    }

    /** Reload: new timers for membership, new keys for the wire. */
    void reconfigure(long now, long keepaliveMs, long deadtimeMs, long warntimeMs, long deadpingMs, io.tandem.config.AuthKeys keys) {
        out.keys(keys);
        on(now, new NodeEvent.Retime(keepaliveMs, deadtimeMs, warntimeMs, deadpingMs));
    }

    boolean stopping() {
        return core.stopping();
    }

    // ---------------------------------------------------------------- effects

    private void on(long now, NodeEvent event) {
        NodeCore.Step step = core.on(now, event);
        for (NodeEffect e : step.effects()) {
            if (e instanceof NodeEffect.Transmit t) {
                out.send(t.message());
            } else if (e instanceof NodeEffect.Run r) {
                run(r.op());
            } else if (e instanceof NodeEffect.Log l) {
                log.line(l);
            } else if (e instanceof NodeEffect.Delivered d) {
                hooks.message(d.message(), d.localStatus());
            } else if (e instanceof NodeEffect.Rejected r) {
                rejects.reject(r.reason(), r::text);
            } else if (e instanceof NodeEffect.PeerLifeChanged c) {
                lives.update(c.life());
            } else if (e instanceof NodeEffect.Exit x) {
                exit.complete(x.code());
            } else if (e instanceof NodeEffect.Fence f) {
                fence(f.node());
            } else if (e instanceof NodeEffect.Announce a) {
                announce(a.resource());
            } else if (e instanceof NodeEffect.CheckDevice c) {
                checkDevice(c.device());
            } else if (e instanceof NodeEffect.Recorded r) {
                store(r.event(), event);
            } else if (e instanceof NodeEffect.ProbeAddress p) {
                probeAhead(p);
            }
        }
        step.nextDeadline().ifPresent(at -> loop.wakeAt(at, this::timers));
    }

    private void store(io.tandem.node.ClusterEvent e, NodeEvent cause) {
        if (history == null) {
            return;
        }
        java.util.Map<String, String> fields = new java.util.LinkedHashMap<>(e.fields());
        String user = cause instanceof NodeEvent.Shutdown && operator.isEmpty() ? stopUser : operator;
        if (!user.isEmpty() && (e.kind().equals("operator") || e.kind().equals("reload"))) {
            fields.put("user", user);
        }
        if (finishing != null && e.kind().equals("op") && e.field("resource").equals(finishing.resource())
                && e.field("action").equals(finishing.action().word()) && e.field("group").equals(finishing.group())) {
            fields.putAll(finishingDetails);
        }
        io.tandem.daemon.history.StoredEvent stored = new io.tandem.daemon.history.StoredEvent(e.time(), nodeName,
                core.membership().generation(), e.seq(), e.kind(), e.subject(), e.cause(), fields);
        history.add(stored);
        recorded.accept(stored);
    }

    /** Another host claims an address this node holds (from the ARP watch, on the loop). */
    void addressConflict(long now, ArpGuard.Conflict c) {
        on(now, new NodeEvent.AddressConflict(c.target().resource(), c.target().ip(), c.mac()));
    }

    private void run(ResourceOp op) {
        if (op.action() == ResourceOp.Action.STATUS && op.timeoutMs() == 0 && !op.peerReleased() && !op.preProbed()) {
            arp.probeEarly(op.resource()); // a takeover's status before start: the probe runs beside the script
        }
        if (op.action() == ResourceOp.Action.START && op.preProbed() && arp.probes(op.resource())) {
            // the core says the probe begun ahead (before the peer's death, at start-up) stands for this start's (its log says why)
            arp.probeTaken(op.resource()).thenAccept(found -> loop.post(t -> probed(t, op, found)));
            return;
        }
        if (op.action() == ResourceOp.Action.START && op.peerReleased() && arp.probes(op.resource())) {
            // the other node released the address and said so (its done) while we hear it: nobody else may hold
            // it; the watch that begins with the start still catches a foreign holder (docs/split-brain.md)
            log.debug("Not probing the address of " + op.resource() + " before its start: the other node released it"
                    + " and said so (standby hand-over).");
            runScript(op);
            return;
        }
        if (op.action() == ResourceOp.Action.START && arp.probes(op.resource())) {
            arp.probe(op.resource()).thenAccept(found -> loop.post(t -> probed(t, op, found)));
            return;
        }
        runScript(op);
    }

    /** The core asks for a probe ahead of a start (a silent peer's death, the node's start): its answer goes back to the core, the daemon keeps the probe. */
    private void probeAhead(NodeEffect.ProbeAddress p) {
        arp.probeAhead(p.resource(), p.atStart() ? "at start-up" : "before the peer holding it is declared dead").thenAccept(found -> loop.post(t -> {
            if (found instanceof ArpGuard.ProbeResult.NotProbed n) {
                if (p.atStart()) {
                    log.debug("Address of " + p.resource() + " not probed at start-up: " + n.why()); // e.g. still held from a life before
                } else {
                    log.warn("Address of " + p.resource() + " not probed before the peer's death: " + n.why());
                }
            }
            on(t, new NodeEvent.AddressProbed(p.id(), p.resource(), found instanceof ArpGuard.ProbeResult.InUse u ? u.mac() : "",
                    !(found instanceof ArpGuard.ProbeResult.NotProbed)));
        }));
    }

    /** The probe before an address resource's start: in use ends the start here, else the script runs. */
    private void probed(long now, ResourceOp op, ArpGuard.ProbeResult found) {
        if (found instanceof ArpGuard.ProbeResult.InUse u) {
            log.engine(io.tandem.config.Severity.CRIT, NodeEffect.Log.HEARTBEAT, "Address " + u.target().ip() + " on " + u.target().iface()
                    + " is in use by " + u.mac() + ": not adding it (" + op.resource() + ").");
            on(now, new NodeEvent.AddressInUse(op, u.mac()));
            return;
        }
        if (found instanceof ArpGuard.ProbeResult.NotProbed n) {
            log.warn("Address of " + op.resource() + " not probed before its start: " + n.why());
        }
        runScript(op);
    }

    private void runScript(ResourceOp op) {
        long started = loop.now();
        Runnable addressGone = op.action() == ResourceOp.Action.STOP ? () -> loop.post(t -> addressGone(t, op)) : null;
        scripts.run(op, addressGone).whenComplete((result, failure) -> loop.post(t -> {
            if (failure != null) {
                log.error("Cannot run " + op.resource() + " " + op.action().word() + ": " + failure.getMessage());
            }
            OpResult r = failure != null ? failed(op) : result;
            ended.ended(op, r, t - started);
            watch(op, r);
            finishing = op;
            finishingDetails = scripts instanceof AgentScripts a ? a.details(op) : java.util.Map.of();
            try {
                opDone(t, op, r);
            } finally {
                finishing = null;
            }
        }));
    }

    /**
     * The address of the stop {@code op} is gone from this host and no longer announced, its script still
     * runs: the ARP watch lets it go (a claim of it by the taker is no conflict), then the engine hears it
     * (a standby giver says done now).
     */
    private void addressGone(long now, ResourceOp op) {
        if (AddressTarget.isAddress(op.resource())) {
            arp.released(op.resource());
        }
        on(now, new NodeEvent.AddressReleased(op));
    }

    private void fence(String node) {
        if (stonith.isEmpty()) {
            loop.post(t -> on(t, new NodeEvent.FenceFinished(node, false, "no STONITH device configured for this node")));
            return;
        }
        stonith.get().reset(node).whenComplete((outcome, failure) -> loop.post(t -> on(t, failure != null
                ? new NodeEvent.FenceFinished(node, false, "cannot run stonith: " + failure.getMessage())
                : new NodeEvent.FenceFinished(node, outcome.ok(), outcome.detail()))));
    }

    private void checkDevice(String device) {
        if (stonith.isEmpty()) {
            loop.post(t -> on(t, new NodeEvent.DeviceChecked(device, false, "no STONITH device configured for this node")));
            return;
        }
        stonith.get().status().whenComplete((outcome, failure) -> loop.post(t -> on(t, failure != null
                ? new NodeEvent.DeviceChecked(device, false, "cannot run stonith: " + failure.getMessage())
                : new NodeEvent.DeviceChecked(device, outcome.ok(), outcome.detail()))));
    }

    /** Reload: tandem.cf's fencing and tiebreak settings. */
    void splitBrainSettings(long now, io.tandem.resources.FencingPolicy fencing, io.tandem.resources.PingTiebreak tiebreak) {
        on(now, new NodeEvent.SplitBrainSettings(fencing, tiebreak));
    }

    /** Held addresses are watched from a successful start until a successful stop (or a status saying stopped). */
    private void watch(ResourceOp op, OpResult r) {
        if (!AddressTarget.isAddress(op.resource())) {
            return;
        }
        if (op.action() == ResourceOp.Action.START && r == OpResult.OK || op.action() == ResourceOp.Action.STATUS && r == OpResult.RUNNING) {
            arp.held(op.resource());
        } else if (op.action() == ResourceOp.Action.STOP && r == OpResult.OK
                || op.action() == ResourceOp.Action.STATUS && r == OpResult.NOT_RUNNING) {
            arp.released(op.resource());
        }
    }

    private void announce(String resource) {
        arp.announce(resource).thenAccept(what -> loop.post(t -> log.info("Gratuitous ARP for " + resource + ": " + what)));
    }

    private static OpResult failed(ResourceOp op) {
        return op.action() == ResourceOp.Action.STATUS ? OpResult.NOT_RUNNING : OpResult.FAILED;
    }
}
