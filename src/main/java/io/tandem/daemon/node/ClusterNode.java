package io.tandem.daemon.node;

import io.tandem.daemon.lifecycle.PeerLives;
import io.tandem.daemon.loop.EventLoop;
import io.tandem.membership.MembershipEffect;
import io.tandem.membership.MembershipEngine;
import io.tandem.resources.Effect;
import io.tandem.resources.OpResult;
import io.tandem.resources.OwnershipEngine;
import io.tandem.resources.PeerStatus;
import io.tandem.resources.ResourceOp;
import io.tandem.wire.Message;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * The node as the event loop sees it: it feeds every event to the membership and ownership engines
 * and performs the effects they return, in order. All methods run on the loop thread only.
 *
 * <p>Membership reports peers, links and delivered messages; ownership turns them into resource
 * actions and cluster messages, which go back through membership (which numbers and keeps them for
 * retransmission) and out through {@link Outbound}.
 */
final class ClusterNode implements Inbound.Target {
    private final MembershipEngine membership;
    private final OwnershipEngine ownership;
    private final Outbound out;
    private final ScriptRunner scripts;
    private final DaemonLog log;
    private final EventLoop loop;
    private final RcHooks hooks;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final RejectLog rejects;
    private final PeerLives lives;
    private boolean livesUnwritable;
    private boolean stopping;

    ClusterNode(MembershipEngine membership, OwnershipEngine ownership, Outbound out, ScriptRunner scripts, DaemonLog log,
                EventLoop loop, RcHooks hooks, RejectLog rejects, PeerLives lives) {
        this.rejects = rejects;
        this.lives = lives;
        this.hooks = hooks;
        this.membership = membership;
        this.ownership = ownership;
        this.out = out;
        this.scripts = scripts;
        this.log = log;
        this.loop = loop;
    }

    MembershipEngine membership() {
        return membership;
    }

    OwnershipEngine ownership() {
        return ownership;
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
        membership(now, membership.start(now));
    }

    /** An authenticated message from a peer, received on {@code link}. */
    @Override
    public void received(long now, Message message, String link) {
        membership(now, membership.received(now, message, link));
    }

    /** A ping node answered on its medium. */
    @Override
    public void pingReply(long now, String pingNode) {
        membership(now, membership.pingReply(now, pingNode, pingNode));
    }

    void timers(long now) {
        membership(now, membership.tick(now));
        ownership(now, ownership.tick(now));
    }

    void opDone(long now, ResourceOp op, OpResult result) {
        ownership(now, ownership.opDone(now, op, result));
    }

    void standby(long now, String which) {
        ownership(now, ownership.operatorStandby(now, which));
    }

    void takeover(long now, String which) {
        ownership(now, ownership.operatorTakeover(now, which));
    }

    /**
     * {@code tandem cleanup}: forget the failures of a group here.
     *
     * @throws IllegalArgumentException when no group has such a resource
     */
    void cleanup(long now, String which) {
        ownership(now, ownership.cleanup(now, which));
    }

    /** Reload: new monitoring settings. */
    void monitoring(long now, io.tandem.resources.MonitorPolicy policy) {
        ownership(now, ownership.monitoring(now, policy));
    }

    /** Graceful stop: give every group up (to the peer), then say goodbye and exit. */
    void shutdown(long now) {
        ownership(now, ownership.shutdownRequested(now));
    }

    /** Reload: new timers for membership, new keys for the wire. */
    void reconfigure(long now, long keepaliveMs, long deadtimeMs, long warntimeMs, long deadpingMs, io.tandem.config.AuthKeys keys) {
        out.keys(keys);
        membership(now, membership.retime(now, keepaliveMs, deadtimeMs, warntimeMs, deadpingMs));
    }

    boolean stopping() {
        return stopping;
    }

    /** The earliest time either engine wants to be woken. */
    OptionalLong nextDeadline() {
        OptionalLong a = membership.nextDeadline();
        OptionalLong b = ownership.nextDeadline();
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return OptionalLong.of(Math.min(a.getAsLong(), b.getAsLong()));
    }

    // ---------------------------------------------------------------- effects

    private void membership(long now, List<MembershipEffect> effects) {
        for (MembershipEffect e : effects) {
            if (e instanceof MembershipEffect.Broadcast b) {
                out.send(b.message());
            } else if (e instanceof MembershipEffect.Deliver d) {
                hooks.message(d.message());
                ownership(now, ownership.received(now, d.message()));
            } else if (e instanceof MembershipEffect.NodeStatus s) {
                nodeStatus(now, s.node(), s.status());
            } else if (e instanceof MembershipEffect.CommUp) {
                ownership(now, ownership.commUp(now));
            } else if (e instanceof MembershipEffect.PeerRestarted r) {
                ownership(now, ownership.peerRestarted(now, r.node()));
            } else if (e instanceof MembershipEffect.Log l) {
                log.membership(l.level(), l.text());
            } else if (e instanceof MembershipEffect.Rejected r) {
                rejects.reject(r.reason(), r::text);
            } else if (e instanceof MembershipEffect.PeerLifeChanged c) {
                remember(c);
            }
        }
        rearm();
    }

    private void remember(MembershipEffect.PeerLifeChanged c) {
        try {
            lives.update(c.life());
            livesUnwritable = false;
        } catch (java.io.IOException e) {
            if (!livesUnwritable) { // said once until it works again; only the replay check after a restart is weaker
                livesUnwritable = true;
                log.error("Cannot record what we know of the peers (" + PeerLives.FILE + "): " + e.getMessage());
            }
        }
    }

    private void nodeStatus(long now, String node, String status) {
        switch (status.toLowerCase(Locale.ROOT)) {
            case "init":
                ownership(now, ownership.peerStatus(now, node, PeerStatus.INIT));
                break;
            case "up":
                ownership(now, ownership.peerStatus(now, node, PeerStatus.UP));
                break;
            case "active":
                ownership(now, ownership.peerStatus(now, node, PeerStatus.ACTIVE));
                break;
            case "dead":
                ownership(now, ownership.peerDead(now, node));
                break;
            default:
                break; // ping nodes ("ping") have no resources
        }
    }

    private void ownership(long now, List<Effect> effects) {
        for (Effect e : effects) {
            if (e instanceof Effect.Send s) {
                membership(now, membership.send(now, s.message()));
            } else if (e instanceof Effect.Run r) {
                run(r.op());
            } else if (e instanceof Effect.Log l) {
                log.engine(l.level(), l.source(), l.text());
            } else if (e instanceof Effect.ShutdownComplete c) {
                leave(now);
            } else if (e instanceof Effect.ShutdownAborted a) {
                log.error("Shutdown aborted: " + a.reason());
            } else if (e instanceof Effect.Reboot r) {
                // Only the REBOOT stop-failure policy emits this; the daemon runs the engine with HOLD.
                log.heartbeat(io.tandem.daemon.log.Severity.EMERG, "Rebooting system. Reason: " + r.reason());
                exit.complete(2);
            }
        }
        rearm();
    }

    private void run(ResourceOp op) {
        scripts.run(op).whenComplete((result, failure) -> loop.post(t -> {
            if (failure != null) {
                log.error("Cannot run " + op.resource() + " " + op.action().word() + ": " + failure.getMessage());
            }
            opDone(t, op, failure != null ? failed(op) : result);
        }));
    }

    private static OpResult failed(ResourceOp op) {
        return op.action() == ResourceOp.Action.STATUS ? OpResult.NOT_RUNNING : OpResult.FAILED;
    }

    private void rearm() {
        OptionalLong next = nextDeadline();
        if (next.isPresent()) {
            loop.wakeAt(next.getAsLong(), this::timers);
        }
    }

    private void leave(long now) {
        if (stopping) {
            return;
        }
        stopping = true;
        membership(now, membership.shutdown(now));
        exit.complete(0);
    }
}
