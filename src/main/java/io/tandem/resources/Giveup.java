package io.tandem.resources;

import io.tandem.config.Severity;
import static io.tandem.resources.Effects.HB;

import io.tandem.resources.OwnershipState.Peer;
import io.tandem.resources.OwnershipState.RscState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How groups leave this node: graceful shutdown (docs/protocol.md 7.5), the release of a set for a
 * standby handshake, the legacy {@code ip-request}, {@code hb_standby}, a failed group handed to the
 * peer or kept stopped here, and what happens when a stop fails (HOLD: keep the group; REBOOT).
 * Also the outcome of every acquisition, since a failed start makes the group leave.
 */
record Giveup(OwnershipState state, Effects out, Jobs jobs, Holdings holdings) {
    /** {@code hb_standby}: ask the peer to take a set through the standby handshake ({@link Standby}). */
    void hbStandby(ResourceSet set) {
        out.log(Severity.INFO, "hb_standby", "Going standby [" + set.wire() + "].");
        out.send(Messages.askResources(set, "me"));
    }

    /** Runs the standby requests scheduled after failed starts that are due. */
    void delayedStandbys() {
        for (int i = 0; i < state.delayedStandbys.size(); i++) {
            if (state.now >= state.delayedStandbys.get(i).at()) {
                ResourceSet set = state.delayedStandbys.remove(i).set();
                i--;
                hbStandby(set);
            }
        }
    }

    // ------------------------------------------------------------------ graceful shutdown (7.5)

    /** heartbeat's {@code hb_giveup_resources}: once stable, release every group and say {@code shutdone}. */
    void giveupResources() {
        if (!holdings.isStable()) {
            if (!state.shutdownWaiting) {
                out.log(Severity.WARN, HB, "Shutdown delayed until current resource activity finishes.");
                state.shutdownWaiting = true;
            }
            return;
        }
        if (handOverFirst()) {
            return;
        }
        state.shutdownWaiting = false;
        state.shutdownInProgress = true;
        if (state.shutdownStarted) {
            out.log(Severity.INFO, HB, "Heartbeat shutdown already underway.");
            return;
        }
        state.shutdownStarted = true;
        ResourceSet heldBefore = state.held;
        RscState stateBefore = state.rscState;
        state.rscState = RscState.SHUTDOWN;
        // heartbeat zeroes i_hold here and announces rsc_hold=none before it has stopped anything; a
        // peer that (re)starts meanwhile would take its own groups after RQSTDELAY while they still run
        // here. Tandem keeps announcing what it holds until shutdone (which means none).
        holdings.sendHeld(false, "shutdown");
        out.log(Severity.INFO, HB, "Heartbeat shutdown in progress. (" + state.cfg.pid() + ")");
        Jobs.Job job = new Jobs.Job("hb_giveup_resources");
        job.act(() -> out.log(Severity.INFO, HB, "Giving up all HA resources."));
        releaseAll(job, state.cfg.groups(), heldBefore, () -> {
            state.shutdownInProgress = false;
            state.shutdownStarted = false;
            state.shutdownHandedOver = false; // a later stop hands over first again
            state.restartAfterShutdown = false;
            if (state.rscState == RscState.SHUTDOWN) { // else comm-up came meanwhile: its negotiation goes on
                state.rscState = stateBefore == RscState.INIT ? RscState.INIT : RscState.STABLE;
            }
            state.held = heldBefore;
            if (state.rscState == RscState.INIT && state.commUp && state.nice) {
                // comm came up while the shutdown ran: negotiate now, as comm-up would have (else the node stays in INIT)
                state.rscState = RscState.STARTING;
                out.send(Messages.starting());
            }
            holdings.sendHeld(true, null);
            out.add(new Effect.ShutdownAborted("a resource could not be stopped; this node keeps its groups"));
        });
        job.act(() -> {
            out.log(Severity.INFO, HB, "All HA resources relinquished.");
            out.send(Messages.shutdone());
        });
        jobs.enable(); // a shutdown before comm-up still releases and says shutdone
        jobs.add(job);
    }

    /**
     * Tandem: a graceful stop of a node that holds groups with warm or may-run-twice resources hands them
     * to the active peer through the standby handshake first (make-before-break, {@link MakeBeforeBreak}:
     * the peer starts the may-run-twice resources, the address moves, and only then do they stop here),
     * so the clients' gap holds no stop of such a resource. The shutdown proper (heartbeat's: every group
     * released, {@code shutdone}) follows once the handshake is over, however it ended (a peer that
     * refuses or does not answer: the shutdown goes on as heartbeat's). Nothing new on the wire: a
     * {@code me} handshake, then {@code shutdone}.
     */
    private boolean handOverFirst() {
        if (state.shutdownHandedOver || state.shutdownStarted || !state.nice || !state.commUp || state.held == ResourceSet.NONE
                || state.rscState != RscState.STABLE || !state.peerStable || !state.handshake.idle() || state.overlappingNone()) {
            return false;
        }
        boolean any = state.groupsOf(state.held).stream().anyMatch(g -> g.resources().stream().anyMatch(state.cfg::canRunTwice));
        String taker = null;
        for (Map.Entry<String, Peer> p : state.peers.entrySet()) {
            if (p.getValue().status == PeerStatus.ACTIVE && !p.getValue().leaving) {
                taker = p.getKey();
            }
        }
        if (!any || taker == null) {
            return false;
        }
        state.shutdownHandedOver = true;
        state.shutdownWaiting = true;
        out.log(Severity.INFO, HB, "Shutdown: handing [" + state.held.wire() + "] over to " + taker + " first: the groups' warm and"
                + " may-run-twice resources stop here once it serves them (tandem.cf).");
        hbStandby(state.held);
        return true;
    }

    /** Our own {@code shutdone} came back: everything is released, the engine is done. */
    void shutdoneSent() {
        if (state.commUp && state.nice) {
            state.rscState = RscState.SHUTDOWN;
            state.held = ResourceSet.NONE;
            holdings.audit();
        }
        state.finished = true;
        jobs.clear();
        out.add(new Effect.ShutdownComplete(state.restartAfterShutdown));
    }

    // ------------------------------------------------------------------ releases and their failures

    /**
     * Adds release tasks for the groups. On a stop failure the rest is skipped, the released groups that
     * this node held ({@code held}) and the stuck group are started again, and {@code onAbort} runs.
     */
    void releaseAll(Jobs.Job job, List<GroupSpec> groups, ResourceSet held, Runnable onAbort) {
        releaseAll(job, groups, held, onAbort, null);
    }

    /**
     * As {@link #releaseAll(Jobs.Job, List, ResourceSet, Runnable)}; with {@code afterAddresses} not null
     * each group gives up its addresses first and {@code afterAddresses} runs once they are down
     * ({@link GroupRun#addressFirst}: a group that another node serves already).
     */
    void releaseAll(Jobs.Job job, List<GroupSpec> groups, ResourceSet held, Runnable onAbort, Runnable afterAddresses) {
        releaseAll(job, groups, held, onAbort, afterAddresses, false);
    }

    /**
     * As above; with {@code keepWarm} every group leaves its warm and may-run-twice resources running
     * ({@link Warm}, {@link MakeBeforeBreak}: a hand-over to the peer, which runs them already; the
     * may-run-twice ones stop here once the hand-over is over).
     */
    void releaseAll(Jobs.Job job, List<GroupSpec> groups, ResourceSet held, Runnable onAbort, Runnable afterAddresses, boolean keepWarm) {
        List<GroupSpec> released = new ArrayList<>();
        List<GroupSpec> ours = state.groupsOf(held);
        for (GroupSpec g : groups) {
            java.util.function.Consumer<GroupRun.Outcome> then = o -> {
                if (o.ok()) {
                    if (ours.contains(g)) {
                        released.add(g);
                    }
                } else if (job.addressGone()) {
                    EarlyDone.stopFailed(state, out, this, g, o); // after done: the group is the taker's
                } else {
                    List<GroupSpec> retake = new ArrayList<>(released);
                    if (ours.contains(g) || !state.cfg.canRunTwice(o.resource())) {
                        retake.add(g);
                    } else {
                        // a warm copy (Warm) of a group this node does not hold would not stop: it may run
                        // on both nodes, so it runs on; starting its group here would add the address
                        // the peer holds (WarmSimulationTest's campaign, seed 82)
                        out.log(Severity.CRIT, GroupRun.RM, "Warm copy " + o.resource() + " of group " + g.key()
                                + " could not be stopped; it keeps running here, the group stays with the node that holds it.");
                    }
                    stopFailed(g, o, retake, onAbort);
                }
            };
            if (afterAddresses == null && keepWarm && !state.cfg.overlapping().isEmpty()) {
                // warm and may-run-twice resources stay up until the address has moved (MakeBeforeBreak)
                job.releaseKeeping(g, state.cfg.overlapping(), then);
            } else if (afterAddresses == null) {
                job.group(g, false, then);
            } else {
                job.releaseAddressFirst(g, afterAddresses, then);
            }
        }
    }

    /** rc.d/ip-request: the requester wants its group; give it up if we run it, then tell it to go ahead. */
    Jobs.Job ipRequestJob(String from, String key) {
        Jobs.Job job = new Jobs.Job("ip-request");
        Optional<GroupSpec> g = state.group(key);
        if (g.isEmpty()) {
            return job.act(() -> out.send(Messages.ipRequestResp(from, key, false, "OK")));
        }
        return job.probe(g.get(), running -> {
            if (!running) {
                out.send(Messages.ipRequestResp(from, key, false, "OK"));
                return;
            }
            jobs.current().tasks.addFirst(new Jobs.Task.Group(g.get(), false, o -> {
                if (o.ok()) {
                    out.send(Messages.ipRequestResp(from, key, true, "OK"));
                } else {
                    stopFailed(g.get(), o, List.of(g.get()), () -> out.send(Messages.ipRequestResp(from, key, true, "FAILED")));
                }
            }));
        });
    }

    /**
     * A stop failed and the resource still runs. REBOOT: emit {@link Effect.Reboot} and stop. HOLD: drop
     * the rest of the current job, start the given groups again (this node keeps them) and run {@code onAbort}.
     */
    void stopFailed(GroupSpec g, GroupRun.Outcome o, List<GroupSpec> retake, Runnable onAbort) {
        if (state.cfg.stopFailure() == StopFailurePolicy.REBOOT) {
            out.log(Severity.CRIT, GroupRun.RM, "Resource STOP failure. Reboot required!");
            out.log(Severity.CRIT, GroupRun.RM, "Killing heartbeat ungracefully!");
            out.add(new Effect.Reboot("resource " + o.resource() + " of group " + g.key() + " could not be stopped"));
            state.finished = true;
            jobs.clear();
            return;
        }
        out.log(Severity.CRIT, GroupRun.RM, "Resource STOP failure: " + o.resource() + " still running; group " + g.key()
                + " stays on this node and is not given up.");
        Jobs.Job job = jobs.current();
        job.tasks.clear();
        for (GroupSpec r : retake) {
            job.group(r, true, x -> acquired(r, x));
        }
        job.act(onAbort);
        job.onEnd(() -> { });
    }

    // ------------------------------------------------------------------ failed groups

    /**
     * Outcome of any acquisition. A failed start hands the group to the peer: with monitoring at once
     * (and the group is banned here), without it 30 s later (ResourceManager's hb_standby).
     */
    void acquired(GroupSpec g, GroupRun.Outcome o) {
        if (o.kind() == GroupRun.Outcome.Kind.START_FAILED) {
            if (state.monitor.enabled()) {
                state.monitor.banNow(g.key(), o.resource(), "start failed", state.now);
                leave(g, "start of " + o.resource() + " failed");
            } else {
                state.delayedStandbys.add(new OwnershipState.DelayedStandby(state.now + state.cfg.timers().failedStartStandby(),
                        state.setOf(g)));
            }
        } else if (o.kind() == GroupRun.Outcome.Kind.ADDRESS_IN_USE) {
            // not a failure of the group: no ban, no hand-over (the peer may be dead); AddressGuard retries
            AddressGuard.inUse(state, out, g, o.resource());
        } else if (o.kind() == GroupRun.Outcome.Kind.STOP_FAILED) {
            if (state.cfg.stopFailure() == StopFailurePolicy.REBOOT) {
                stopFailed(g, o, List.of(), () -> { });
            } else {
                out.log(Severity.CRIT, GroupRun.RM, "Resource STOP failure: " + o.resource() + " still running; group " + g.key()
                        + " stays on this node and is not given up.");
            }
        }
    }

    /** The group may not stay here: ask the peer to take it, or keep it stopped when nobody can. */
    void leave(GroupSpec g, String reason) {
        ResourceSet set = state.setOf(g);
        String taker = null;
        for (Map.Entry<String, Peer> p : state.peers.entrySet()) {
            if (p.getValue().status == PeerStatus.ACTIVE && !p.getValue().leaving) {
                taker = p.getKey();
            }
        }
        if (state.nice && taker != null && state.peerStable && state.rscState == RscState.STABLE && state.handshake.idle()
                && state.held.intersects(set)) {
            out.log(Severity.WARN, HB, "Group " + g.key() + " leaves this node: " + reason + ". Asking " + taker + " to take ["
                    + set.wire() + "].");
            for (GroupSpec other : state.groupsOf(set)) {
                if (!other.equals(g)) {
                    out.log(Severity.INFO, HB, "Group " + other.key() + " goes too: the standby handshake moves all " + set.wire()
                            + " groups together.");
                }
            }
            state.handingOver = g.key();
            hbStandby(set);
            return;
        }
        String why = !state.nice ? "auto_failback legacy has no hand-over"
                : taker == null ? "no other node is active"
                : "the cluster is busy moving resources";
        stayDown(g, reason + "; " + why);
    }

    /** Stops the group (if it runs) and keeps it stopped here until its fail count expires. */
    void stayDown(GroupSpec g, String reason) {
        long until = Math.max(state.monitor.bannedUntil(g.key(), state.now), state.now);
        out.log(Severity.CRIT, HB, "Group " + g.key() + " stays stopped on this node: " + reason + ". It is tried again in "
                + Monitor.seconds(until - state.now) + " when its fail count expires, or after 'tandem cleanup " + g.key() + "'.");
        state.keptStopped.put(g.key(), until);
        GroupState s = state.groups.get(g.key());
        if (s == GroupState.STOPPED || s == GroupState.START_FAILED || s == GroupState.FAILED) {
            state.groups.put(g.key(), GroupState.FAILED);
            return;
        }
        Jobs.Job job = new Jobs.Job("monitor-stop");
        job.group(g, false, o -> {
            if (o.ok()) {
                state.groups.put(g.key(), GroupState.FAILED);
            } else {
                stopFailed(g, o, List.of(g), () -> { });
            }
        });
        jobs.add(job);
    }
}
