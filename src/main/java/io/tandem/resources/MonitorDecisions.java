package io.tandem.resources;

import io.tandem.config.Severity;
import static io.tandem.resources.Effects.HB;

import io.tandem.resources.OwnershipState.RscState;
import java.util.List;
import java.util.Map;

/**
 * Resource monitoring decisions (beyond heartbeat v1, which watches nodes only): every running
 * resource is checked with its agent's status (OCF: monitor) operation at its interval. A failed check
 * restarts the resource in place (it and the group's later resources: stop right to left, start left
 * to right) while its fail count stays below the threshold; at the threshold, or when the restart's
 * start fails, the group leaves this node through the standby handshake (so a heartbeat peer sees an
 * ordinary {@code hb_standby}). A node where a group failed that often refuses to take it (it ignores
 * the peer's standby request, skips it in a takeover) until the failures expire or
 * {@code tandem cleanup}. When no node can take it, the group is stopped and stays stopped here until
 * then: a service that keeps failing is not restarted forever. The bookkeeping (check times, fail
 * counts) is {@link Monitor}; how a group leaves is {@link Giveup}.
 */
record MonitorDecisions(OwnershipState state, Effects out, Jobs jobs, Giveup giveup) {
    private boolean watching() {
        return state.monitor.enabled() && state.commUp && !state.finished && !state.shutdownInProgress && !state.shutdownWaiting
                && state.rscState != RscState.SHUTDOWN;
    }

    /** Starts a due check when nothing else runs. */
    void startDueCheck() {
        if (!watching() || jobs.busy() || state.monitor.pending() != null) {
            return;
        }
        ResourceOp op = state.monitor.due(state.now);
        if (op != null) {
            out.run(op);
        }
    }

    /** Handles a finished monitor check; false when {@code op} was not one. */
    boolean checkDone(ResourceOp op, OpResult result) {
        Monitor.Entry e = state.monitor.finish(op, result, state.now);
        if (e == null) {
            return false;
        }
        GroupSpec g = state.group(e.group).orElseThrow();
        if (!watching() || state.groups.get(g.key()) != GroupState.RUNNING) {
            return true; // the group moved meanwhile: the answer is stale
        }
        if (result == OpResult.RUNNING) {
            state.monitor.reschedule(e, state.now);
            return true;
        }
        String what = result == OpResult.NOT_RUNNING ? "not running" : "error or timeout";
        state.monitor.fail(e, what, state.now);
        int count = state.monitor.failCount(e, state.now);
        int threshold = e.spec.threshold();
        out.log(Severity.ERROR, HB, "Monitor: resource " + e.resource + " of group " + g.key() + " failed: " + what
                + " (fail count " + count + " of " + threshold + " within " + Monitor.seconds(e.spec.failureTimeoutMs()) + ")");
        if (count < threshold) {
            restartInPlace(g, e);
        } else {
            giveup.leave(g, e.resource + " failed " + count + " times within " + Monitor.seconds(e.spec.failureTimeoutMs()));
        }
        return true;
    }

    private void restartInPlace(GroupSpec g, Monitor.Entry e) {
        List<String> later = g.resources().subList(e.index, g.resources().size());
        out.log(Severity.INFO, HB, "Restarting " + String.join(" ", later) + " of group " + g.key() + " in place.");
        Jobs.Job job = new Jobs.Job("monitor-restart");
        job.act(() -> {
            if (state.groups.get(g.key()) != GroupState.RUNNING || state.shutdownInProgress) {
                out.log(Severity.INFO, HB, "Not restarting group " + g.key() + ": it is no longer running here.");
                jobs.current().tasks.clear();
            }
        });
        job.groupFrom(g, false, e.index, o -> {
            if (!o.ok()) {
                giveup.stopFailed(g, o, List.of(g), () -> { });
            }
        });
        job.groupFrom(g, true, e.index, o -> {
            if (o.ok()) {
                out.log(Severity.INFO, HB, "Group " + g.key() + " restarted in place.");
            } else {
                giveup.acquired(g, o);
            }
        });
        jobs.add(job);
    }

    /** After every event: a monitor hand-over that ended without the group leaving falls back to stayDown. */
    void afterEvent() {
        if (state.handingOver != null && state.handshake.idle()) {
            GroupSpec g = state.group(state.handingOver).orElseThrow();
            state.handingOver = null;
            if (state.held.intersects(state.setOf(g)) && !state.shutdownInProgress && state.groups.get(g.key()) != GroupState.STOP_FAILED) {
                giveup.stayDown(g, "the other node did not take it");
                OwnershipState.Offer offer = state.offeredKeptStopped.get(g.key());
                if (offer != null) {
                    // an unanswered offer: the peer saw us "in flux" while it ran (heartbeat ignores a standby
                    // request then); say we are stable again and pause before the next one
                    state.offeredKeptStopped.put(g.key(), new OwnershipState.Offer(offer.life(), offer.attempts(),
                            state.now + OFFER_PAUSE_MS));
                    giveup.holdings().sendHeld(giveup.holdings().reportStable(), null);
                }
            }
        }
        offerKeptStopped();
        // while a handshake runs, a group's set may be on its way to the peer: retry once it ended
        for (Map.Entry<String, Long> f : List.copyOf(state.keptStopped.entrySet())) {
            if (state.now >= f.getValue() && state.handshake.idle()) {
                state.keptStopped.remove(f.getKey());
                retryHere(state.group(f.getKey()).orElseThrow(), "its fail count expired");
            }
        }
    }

    /** How often a group kept stopped here is offered to one life of a peer, and the pause between offers. */
    static final int OFFERS_PER_LIFE = 3;
    static final long OFFER_PAUSE_MS = 5_000;

    /**
     * A group kept stopped here because it failed here, which this node still claims, runs nowhere:
     * once a peer is back (a new life of it) and the cluster is quiet, ask that peer to take it: first
     * {@link #OFFER_PAUSE_MS} after its arrival (it settles its join, and gets our stable report: heartbeat
     * ignores a standby request from a side it sees "in flux"), at most {@link #OFFERS_PER_LIFE} times
     * per life of the peer, each unanswered one followed by our stable report and the same pause (it
     * may refuse them all: the group failed there too). Without this, a group that came back here from a peer that was stopped stayed
     * down until its fail count expired, although the peer had returned (found by the lab fault campaign).
     */
    private void offerKeptStopped() {
        if (!state.nice || state.keptStopped.isEmpty() || state.handingOver != null || !state.handshake.idle() || !state.peerStable
                || state.rscState != RscState.STABLE || state.shutdownInProgress || state.shutdownWaiting || jobs.busy()) {
            return;
        }
        for (Map.Entry<String, OwnershipState.Peer> p : state.peers.entrySet()) {
            OwnershipState.Peer peer = p.getValue();
            if (peer.status != PeerStatus.ACTIVE || peer.leaving) {
                continue;
            }
            for (String key : state.keptStopped.keySet()) {
                GroupSpec g = state.group(key).orElseThrow();
                OwnershipState.Offer asked = state.offeredKeptStopped.get(key);
                if (state.groups.get(key) != GroupState.FAILED || !state.held.intersects(state.setOf(g))) {
                    continue;
                }
                if (asked == null || asked.life() != peer.life) {
                    // a new life of the peer: let it settle its join first, and tell it we are stable
                    state.offeredKeptStopped.put(key, new OwnershipState.Offer(peer.life, 0, state.now + OFFER_PAUSE_MS));
                    giveup.holdings().sendHeld(giveup.holdings().reportStable(), null);
                    continue;
                }
                if (asked.attempts() >= OFFERS_PER_LIFE || state.now < asked.notBefore()) {
                    continue;
                }
                state.offeredKeptStopped.put(key, new OwnershipState.Offer(peer.life, asked.attempts() + 1, state.now + OFFER_PAUSE_MS));
                Monitor.Entry w = state.monitor.worst(key, state.now);
                String failed = w == null ? "it failed here" : w.resource + " failed here " + state.monitor.failCount(w, state.now) + " times";
                giveup.leave(g, failed + " and " + p.getKey() + " is back");
                return; // one handshake at a time
            }
        }
    }

    /** When the next offer of a group kept stopped here may go, if one is waiting for its pause ({@link #offerKeptStopped}). */
    private long nextOffer() {
        long d = -1;
        for (Map.Entry<String, OwnershipState.Offer> o : state.offeredKeptStopped.entrySet()) {
            OwnershipState.Offer offer = o.getValue();
            if (offer.attempts() < OFFERS_PER_LIFE && offer.notBefore() > state.now && state.keptStopped.containsKey(o.getKey())
                    && state.groups.get(o.getKey()) == GroupState.FAILED) {
                d = d < 0 ? offer.notBefore() : Math.min(d, offer.notBefore());
            }
        }
        return d;
    }

    /** A group kept stopped here may run again: start it if this node still holds it. */
    private void retryHere(GroupSpec g, String why) {
        if (state.groups.get(g.key()) != GroupState.FAILED) {
            return;
        }
        if (state.monitor.banned(g.key(), state.now)) {
            state.keptStopped.put(g.key(), state.monitor.bannedUntil(g.key(), state.now));
            return;
        }
        if (state.shutdownInProgress || !shouldHoldHere(g)) {
            state.groups.put(g.key(), GroupState.STOPPED);
            return;
        }
        out.log(Severity.INFO, HB, "Group " + g.key() + " may run here again (" + why + "); starting it.");
        state.groups.put(g.key(), GroupState.STOPPED);
        jobs.add(new Jobs.Job("monitor-retry").group(g, true, o -> giveup.acquired(g, o)));
    }

    /**
     * Whether this node should run the group now. An expired fail count only makes the node eligible
     * again; it must not start a group that belongs elsewhere meanwhile. nice_failback: this node still
     * claims the group's set. Legacy, which has no claims: the group is ours (the peer never takes a
     * group we keep stopped), or its home node is not back (dead or leaving), so nobody else runs it;
     * once the home node is back it asked for the group with {@code ip-request} and may run it.
     */
    private boolean shouldHoldHere(GroupSpec g) {
        if (state.nice) {
            return state.held.intersects(state.setOf(g));
        }
        return g.preferredBy(state.local) || !state.isBack(g.preferredNode().toLowerCase(java.util.Locale.ROOT));
    }

    /** {@code tandem cleanup}: forget the group's failures here and start it again if it was kept stopped. */
    void cleanup(GroupSpec g) {
        state.monitor.clear(g.key());
        out.log(Severity.INFO, HB, "Fail counts of group " + g.key() + " cleared (tandem cleanup).");
        state.keptStopped.remove(g.key());
        retryHere(g, "cleanup");
    }

    /** Whether a whole-group acquisition may run here now (false: the group failed here and is kept stopped). */
    boolean mayAcquire(GroupSpec g) {
        if (!state.monitor.enabled() || !state.monitor.banned(g.key(), state.now)) {
            return true;
        }
        long until = state.monitor.bannedUntil(g.key(), state.now);
        Monitor.Entry w = state.monitor.worst(g.key(), state.now);
        out.log(Severity.WARN, HB, "Not starting group " + g.key() + " here: " + w.resource + " failed here " + state.monitor.failCount(w, state.now)
                + " times (clears in " + Monitor.seconds(until - state.now) + ", or 'tandem cleanup " + g.key() + "').");
        state.groups.put(g.key(), GroupState.FAILED);
        state.keptStopped.put(g.key(), until);
        return false;
    }

    /** Whether to refuse a peer's standby request: this node would have to take a group that failed here. */
    boolean refuseTaking(ResourceSet set, String from) {
        if (!state.monitor.enabled()) {
            return false;
        }
        for (GroupSpec g : state.groupsOf(set)) {
            if (state.monitor.banned(g.key(), state.now)) {
                Monitor.Entry w = state.monitor.worst(g.key(), state.now);
                out.log(Severity.WARN, HB, "standby message [me] from " + from + " ignored.  Group " + g.key() + " failed on this node ("
                        + w.resource + ": fail count " + state.monitor.failCount(w, state.now) + ", clears in "
                        + Monitor.seconds(state.monitor.bannedUntil(g.key(), state.now) - state.now) + ", or 'tandem cleanup " + g.key() + "').");
                return true;
            }
        }
        return false;
    }

    /** When monitoring wants to be woken: a due check, or a failed group's retry. */
    long deadline() {
        long d = -1;
        // a due check waits for running jobs and a warm copy's script (Warm); drain() starts it as soon as they end
        if (watching() && state.monitor.pending() == null && state.warmPending == null && !jobs.busy()) {
            d = state.monitor.nextDeadline();
        }
        for (long t : state.keptStopped.values()) {
            if (state.handshake.idle() || t > state.now) { // a due retry waits for the handshake's end (afterEvent)
                d = d < 0 ? t : Math.min(d, t);
            }
        }
        long offer = nextOffer();
        if (offer >= 0) {
            d = d < 0 ? offer : Math.min(d, offer);
        }
        return d;
    }

    /** New settings (reload); fail counts are kept. */
    void reload(MonitorPolicy policy) {
        state.monitor.policy(policy);
        for (GroupSpec g : state.cfg.groups()) {
            if (state.groups.get(g.key()) == GroupState.RUNNING) {
                state.monitor.rescheduleIdle(g.key(), state.now);
            }
        }
    }
}
