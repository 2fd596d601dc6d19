package io.tandem.node;

import io.tandem.config.Severity;
import io.tandem.membership.MembershipEffect;
import io.tandem.membership.MembershipEngine;
import io.tandem.resources.AddressPreProbe;
import io.tandem.resources.Effect;
import io.tandem.resources.OwnershipEngine;
import io.tandem.resources.PeerStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * One cluster node without I/O: it takes each event with the time, routes it between the
 * {@link MembershipEngine} and the {@link OwnershipEngine}, and returns what the shell must do, in
 * order, with the time it wants to be woken next.
 *
 * <p>Membership reports peers, links and delivered messages; ownership turns them into resource
 * actions and cluster messages, which go back through membership (which numbers and keeps them for
 * retransmission) and out as {@link NodeEffect.Transmit}. Effects of an engine are handled in their
 * order, and an effect that feeds the other engine is followed at once by what that engine returns
 * (depth first), so the log lines and messages come in the order heartbeat's would.
 */
public final class NodeCore {
    /** What the shell does for one event: the effects in order, then the next deadline. */
    public record Step(List<NodeEffect> effects, OptionalLong nextDeadline) {
        public Step {
            effects = List.copyOf(effects);
        }
    }

    private final MembershipEngine membership;
    private final OwnershipEngine ownership;
    private List<NodeEffect> out = new ArrayList<>();
    private boolean stopping;
    private final FreezeWatch freeze = new FreezeWatch();
    private final EventRecorder events = new EventRecorder();

    public NodeCore(MembershipEngine membership, OwnershipEngine ownership) {
        this.membership = membership;
        this.ownership = ownership;
    }

    /** For queries (status, cl_status); events go through {@link #on}. */
    public MembershipEngine membership() {
        return membership;
    }

    /** For queries (status, cl_status); events go through {@link #on}. */
    public OwnershipEngine ownership() {
        return ownership;
    }

    /** True once the node has left the cluster (its last goodbye is sent). */
    public boolean stopping() {
        return stopping;
    }

    /**
     * Handles one event at {@code now}.
     *
     * @throws IllegalArgumentException for a {@link NodeEvent.Cleanup} naming no group or resource
     */
    public Step on(long now, NodeEvent event) {
        out = new ArrayList<>();
        events.begin(e -> out.add(e), ownership.groupStates(), event);
        record(now, event);
        if (!(event instanceof NodeEvent.Start)) {
            resumeIfFrozen(now);
        }
        if (event instanceof NodeEvent.Start) {
            ownership(now, ownership.start(now));
            membership(now, membership.start(now));
        } else if (event instanceof NodeEvent.Received r) {
            // first: a probe begun in the sender's silence never stands once it talks (before what the packet may start)
            ownership(now, ownership.preProbe().heard(now, r.message().getOr(io.tandem.wire.Message.SRC, "")));
            int before = out.size();
            membership(now, membership.received(now, r.message(), r.link()));
            heard(now, r, before);
        } else if (event instanceof NodeEvent.PingReply p) {
            membership(now, membership.pingReply(now, p.pingNode(), p.pingNode()));
            ownership(now, ownership.pingReply(now, p.pingNode()));
        } else if (event instanceof NodeEvent.Timer) {
            membership(now, membership.tick(now));
            ownership(now, ownership.tick(now));
            probeBeforeDeath(now);
        } else if (event instanceof NodeEvent.OpFinished d) {
            ownership(now, ownership.opDone(now, d.op(), d.result()));
        } else if (event instanceof NodeEvent.Standby s) {
            ownership(now, ownership.operatorStandby(now, s.which()));
        } else if (event instanceof NodeEvent.Takeover t) {
            ownership(now, ownership.operatorTakeover(now, t.which()));
        } else if (event instanceof NodeEvent.Cleanup c) {
            ownership(now, ownership.cleanup(now, c.which()));
        } else if (event instanceof NodeEvent.Shutdown) {
            ownership(now, ownership.shutdownRequested(now));
        } else if (event instanceof NodeEvent.Monitoring m) {
            ownership(now, ownership.monitoring(now, m.policy()));
        } else if (event instanceof NodeEvent.Retime r) {
            membership(now, membership.retime(now, r.keepaliveMs(), r.deadtimeMs(), r.warntimeMs(), r.deadpingMs()));
        } else if (event instanceof NodeEvent.FenceFinished f) {
            ownership(now, ownership.fenceDone(now, f.node(), f.ok(), f.detail()));
        } else if (event instanceof NodeEvent.AddressInUse a) {
            ownership(now, ownership.addressInUse(now, a.op(), a.mac()));
        } else if (event instanceof NodeEvent.AddressConflict c) {
            ownership(now, ownership.addressConflict(now, c.resource(), c.address(), c.mac()));
        } else if (event instanceof NodeEvent.DeviceChecked c) {
            ownership(now, ownership.deviceChecked(now, c.device(), c.ok(), c.detail()));
        } else if (event instanceof NodeEvent.SplitBrainSettings s) {
            ownership(now, ownership.reconfigure(now, s.fencing(), s.tiebreak()));
        } else if (event instanceof NodeEvent.AddressProbed a) {
            ownership(now, ownership.preProbe().probed(now, a.id(), a.resource(), a.mac(), a.ran()));
        } else if (event instanceof NodeEvent.AddressReleased a) {
            ownership(now, ownership.addressReleased(now, a.op()));
        }
        events.end(now, ownership.groupStates());
        Step step = new Step(out, nextDeadline());
        freeze.asked(now, step.nextDeadline());
        return step;
    }

    /**
     * Before an event: if it comes long after the deadline we asked for, we were frozen. The silence of
     * that time was ours, not the peers': membership does not count it (a long freeze gives every peer
     * a fresh deadtime to be heard from the packets waiting for us), and after half a deadtime or more
     * the node says so and re-checks what it claims (see {@link FreezeWatch}).
     */
    private void resumeIfFrozen(long now) {
        long late = freeze.lateness(now);
        FreezeWatch.Kind kind = FreezeWatch.judge(late, membership.keepaliveMs(), membership.deadtimeMs());
        if (kind == FreezeWatch.Kind.NONE || stopping) {
            return;
        }
        boolean whole = kind != FreezeWatch.Kind.LATE;
        events.record(now, ClusterEvent.Kind.FREEZE, "local", "no event for " + late + " ms after the asked deadline", true,
                "lateMs", Long.toString(late), "judged", kind.name().toLowerCase(Locale.ROOT));
        if (kind == FreezeWatch.Kind.FROZEN_PAST_DEADTIME) {
            log(Severity.CRIT, NodeEffect.Log.HEARTBEAT, "We were frozen for " + late + " ms, longer than deadtime ("
                    + membership.deadtimeMs() + " ms): peers may have declared us dead. Not declaring any peer dead for"
                    + " that silence; checking our resources again.");
        } else if (whole) {
            log(Severity.WARN, NodeEffect.Log.HEARTBEAT, "We were frozen for " + late + " ms. Not declaring any peer dead for"
                    + " that silence; checking our resources again.");
        }
        membership(now, membership.resumed(now, late, whole));
        if (whole) {
            ownership(now, ownership.resumed(now, late));
        }
    }

    /**
     * Probe before death (docs/split-brain.md): a live peer whose silence has come within a probe window of
     * its deadline has the addresses this node would take on its death probed now ({@link AddressPreProbe}).
     */
    private void probeBeforeDeath(long now) {
        AddressPreProbe p = ownership.preProbe();
        for (String peer : p.peers()) {
            long due = dueAt(p, peer);
            if (due >= 0 && now >= due) {
                ownership(now, p.silent(now, peer, membership.deadlineOf(peer).getAsLong(), membership.deadtimeOf(peer)));
            }
        }
    }

    /** When the silence of {@code peer} begins a probe before its death, or -1. */
    private long dueAt(AddressPreProbe p, String peer) {
        OptionalLong deadAt = membership.deadlineOf(peer);
        return deadAt.isEmpty() ? -1 : p.dueAt(peer, deadAt.getAsLong(), membership.deadtimeOf(peer), membership.keepaliveMs());
    }

    /** The earliest time either engine wants to be woken. */
    public OptionalLong nextDeadline() {
        OptionalLong a = membership.nextDeadline();
        OptionalLong b = ownership.nextDeadline();
        AddressPreProbe p = ownership.preProbe();
        for (String peer : p.peers()) {
            long due = dueAt(p, peer);
            if (due >= 0 && !stopping) {
                a = OptionalLong.of(a.isEmpty() ? due : Math.min(a.getAsLong(), due));
            }
        }
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return OptionalLong.of(Math.min(a.getAsLong(), b.getAsLong()));
    }

    private void membership(long now, List<MembershipEffect> effects) {
        for (MembershipEffect e : effects) {
            if (e instanceof MembershipEffect.Broadcast b) {
                out.add(new NodeEffect.Transmit(b.message()));
            } else if (e instanceof MembershipEffect.Deliver d) {
                out.add(new NodeEffect.Delivered(d.message(), membership.localStatus()));
                events.delivered(now, d.message());
                ownership(now, ownership.received(now, d.message()));
            } else if (e instanceof MembershipEffect.NodeStatus s) {
                if (!ownership.isPingNode(s.node())) {
                    events.nodeStatus(now, s.node(), s.status(), membership.deadtimeOf(s.node()));
                }
                nodeStatus(now, s.node(), s.status());
            } else if (e instanceof MembershipEffect.LinkStatus l) {
                events.linkStatus(now, l.node(), l.link(), l.up());
            } else if (e instanceof MembershipEffect.CommUp) {
                events.record(now, ClusterEvent.Kind.COMM_UP, "local", "every node heard from or declared dead", true);
                ownership(now, ownership.commUp(now));
            } else if (e instanceof MembershipEffect.PeerRestarted r) {
                events.record(now, ClusterEvent.Kind.NODE_RESTARTED, r.node(), "a new generation", true);
                ownership(now, ownership.peerRestarted(now, r.node()));
            } else if (e instanceof MembershipEffect.Log l) {
                log(l.level(), NodeEffect.Log.HEARTBEAT, l.text());
            } else if (e instanceof MembershipEffect.Rejected r) {
                out.add(new NodeEffect.Rejected(r.reason(), r.text()));
            } else if (e instanceof MembershipEffect.PeerLifeChanged c) {
                out.add(new NodeEffect.PeerLifeChanged(c.life()));
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
                if (ownership.isPingNode(node)) {
                    ownership(now, ownership.pingLost(now, node));
                } else {
                    ownership(now, ownership.peerDead(now, node));
                }
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
                events.started(now, r.op());
                out.add(new NodeEffect.Run(r.op()));
            } else if (e instanceof Effect.Log l) {
                events.notice(now, l.level(), l.source(), l.text());
                log(l.level(), l.source(), l.text());
            } else if (e instanceof Effect.ShutdownComplete) {
                leave(now);
            } else if (e instanceof Effect.ShutdownAborted a) {
                log(Severity.ERROR, NodeEffect.Log.HEARTBEAT, "Shutdown aborted: " + a.reason());
            } else if (e instanceof Effect.Announce a) {
                out.add(new NodeEffect.Announce(a.resource()));
            } else if (e instanceof Effect.Reboot r) {
                // Only the REBOOT stop-failure policy emits this; the daemon runs the engine with HOLD.
                log(Severity.EMERG, NodeEffect.Log.HEARTBEAT, "Rebooting system. Reason: " + r.reason());
                out.add(new NodeEffect.Exit(2));
            } else if (e instanceof Effect.Fence f) {
                events.record(now, ClusterEvent.Kind.FENCE, f.node(), "requested", false, "state", "requested");
                out.add(new NodeEffect.Fence(f.node()));
            } else if (e instanceof Effect.CheckDevice c) {
                out.add(new NodeEffect.CheckDevice(c.device()));
            } else if (e instanceof Effect.ProbeAddress p) {
                out.add(new NodeEffect.ProbeAddress(p.id(), p.resource(), p.atStart()));
            }
        }
    }

    /** The history's entry for the event itself, where it is one (operator commands, answers, reloads). */
    private void record(long now, NodeEvent event) {
        if (event instanceof NodeEvent.OpFinished d) {
            events.finished(now, d.op(), d.result());
        } else if (event instanceof NodeEvent.Standby || event instanceof NodeEvent.Takeover || event instanceof NodeEvent.Cleanup
                || event instanceof NodeEvent.Shutdown) {
            events.operator(now, EventWords.of(event));
        } else if (event instanceof NodeEvent.FenceFinished f) {
            events.record(now, ClusterEvent.Kind.FENCE, f.node(), f.ok() ? "reset" : f.detail(), true, "state", f.ok() ? "reset" : "failed");
        } else if (event instanceof NodeEvent.DeviceChecked c && !c.ok()) {
            events.record(now, ClusterEvent.Kind.FENCE_DEVICE, c.device(), c.detail(), false, "state", "failed");
        } else if (event instanceof NodeEvent.AddressInUse a) {
            events.record(now, ClusterEvent.Kind.ADDRESS_IN_USE, a.op().group() + "/" + a.op().resource(), "answered by " + a.mac(), true,
                    "mac", a.mac());
        } else if (event instanceof NodeEvent.AddressConflict c) {
            events.record(now, ClusterEvent.Kind.ADDRESS_CONFLICT, c.resource(), c.address() + " claimed by " + c.mac(), true,
                    "address", c.address(), "mac", c.mac());
        } else if (event instanceof NodeEvent.Monitoring || event instanceof NodeEvent.Retime || event instanceof NodeEvent.SplitBrainSettings) {
            events.record(now, ClusterEvent.Kind.RELOAD, "local", EventWords.of(event), true);
        }
    }

    /** A status message membership took (nothing of it refused): the history's "last heard on this link". */
    private void heard(long now, NodeEvent.Received r, int from) {
        String src = r.message().getOr(io.tandem.wire.Message.SRC, "");
        if (src.isEmpty() || !r.message().type().equals("status")) {
            return;
        }
        for (int i = from; i < out.size(); i++) {
            if (out.get(i) instanceof NodeEffect.Rejected) {
                return;
            }
        }
        events.heard(now, src, r.link());
    }

    private void leave(long now) {
        if (stopping) {
            return;
        }
        stopping = true;
        membership(now, membership.shutdown(now));
        out.add(new NodeEffect.Exit(0));
    }

    private void log(Severity priority, String source, String text) {
        out.add(new NodeEffect.Log(priority, source, text));
    }
}
