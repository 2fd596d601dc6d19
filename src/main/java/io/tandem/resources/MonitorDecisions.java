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
            }
        }
        // while a handshake runs, a group's set may be on its way to the peer: retry once it ended
        for (Map.Entry<String, Long> f : List.copyOf(state.keptStopped.entrySet())) {
            if (state.now >= f.getValue() && state.handshake.idle()) {
                state.keptStopped.remove(f.getKey());
                retryHere(state.group(f.getKey()).orElseThrow(), "its fail count expired");
            }
        }
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
