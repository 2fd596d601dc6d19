package io.tandem.resources;

import io.tandem.config.Severity;
import static io.tandem.resources.Effects.HB;

import io.tandem.resources.OwnershipState.Handshake.Phase;
import io.tandem.resources.OwnershipState.RscState;
import io.tandem.resources.ResourceOp.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Make-before-break for the resources that may run on both nodes (tandem.cf {@code resource NAME
 * may-run-twice}, and the warm ones, docs/ownership.md "Make-before-break"). A planned move (the
 * standby handshake: hb_standby, hb_takeover, auto-failback, a graceful stop's hand-over) then goes:
 * <ol>
 *   <li>the taker, asked with {@code me}, starts the group's may-run-twice resources ({@code status}
 *       first) before it answers {@code other} ({@link #beforeAnswer}): the giver releases nothing before
 *       that answer;</li>
 *   <li>the address step, as heartbeat's: the giver stops the address and the exclusive resources right
 *       to left, leaving the may-run-twice ones running ({@link GroupRun#keepRunning}), says {@code done};
 *       the taker adds them left to right (its may-run-twice resources answer {@code status} running);</li>
 *   <li>the giver stops the may-run-twice resources it kept, once the handshake is over ({@link #stopDue}).</li>
 * </ol>
 * Nothing new on the wire. A heartbeat giver waits {@code STANDBY_INIT_TO_MS} (10 s) for {@code other}
 * and then cancels; so the taker answers after at most {@link #answerWithin} (half of that wait) even if
 * its starts are not done yet: the address step then waits behind them in the taker's job queue, which
 * keeps the order on the taker (the address after the starts) but not the giver's (its address may stop
 * before). Warm resources run on the taker already; their {@code status} says so.
 *
 * <p>A copy is what runs here of a may-run-twice (not warm) resource of a group this node neither runs nor
 * claims: the taker's starts of a hand-over that did not happen, the giver's kept resources after a
 * hand-over. Once the node is settled (as {@link Warm}'s copies: no job, no handshake, no shutdown), each
 * is stopped, one script at a time beside the job queue; a failed stop is tried again after 10 s, doubling
 * up to 1 min. A group run of the group here ends the record of its copies: they are part of it again.
 */
record MakeBeforeBreak(OwnershipState state, Effects out, Jobs jobs) {
    /** What this node knows of one copy to stop. */
    static final class Copy {
        long dueAt;
        int failures;
    }

    /** How long a taker may take before it answers {@code other}: half of the giver's wait for it (heartbeat's 10 s). */
    static long answerWithin(OwnershipConfig cfg) {
        return cfg.timers().standbyReply() / 2;
    }

    /**
     * The taker's {@code other} for the peer's {@code me} for {@code asked} (it is in OTHER): sent at once
     * when the groups it is to take have no may-run-twice resource, as heartbeat's; else once they run here
     * ({@link #beforeAnswer}). Not sent when the handshake has ended meanwhile.
     */
    void answer(ResourceSet asked) {
        long epoch = state.handshake.epoch;
        Runnable other = () -> {
            if (state.handshake.epoch == epoch && state.handshake.phase == Phase.OTHER) {
                out.send(Messages.askResources(asked, "other"));
            }
        };
        if (!beforeAnswer(asked, other)) {
            other.run();
        }
    }

    /**
     * The taker was asked (the peer's {@code me} for {@code peerSet}): queues the start of the
     * may-run-twice resources of the groups it will acquire, then {@code answer} (the {@code other}),
     * which also runs when {@link #answerWithin} has passed first. False, and nothing queued, when those
     * groups have no such resource: then the caller answers at once, as heartbeat does.
     */
    private boolean beforeAnswer(ResourceSet peerSet, Runnable answer) {
        List<GroupSpec> groups = new ArrayList<>();
        for (GroupSpec g : state.groupsOf(peerSet.mirror())) {
            if (g.resources().stream().anyMatch(state.cfg::canRunTwice) && !runsHere(g)) {
                groups.add(g);
            }
        }
        if (groups.isEmpty()) {
            return false;
        }
        long epoch = state.handshake.epoch;
        state.mbbAnswer = answer;
        state.mbbAnswerAt = state.now + answerWithin(state.cfg);
        Jobs.Job job = new Jobs.Job("make-before-break");
        for (GroupSpec g : groups) {
            List<String> twice = g.resources().stream().filter(state.cfg::canRunTwice).toList();
            for (String r : twice) {
                job.op(g.key(), r, Action.STATUS, result -> {
                    if (result == OpResult.RUNNING) {
                        copy(g, r); // a copy, unless the group comes here (a warm one runs here already)
                    } else if (state.handshake.epoch == epoch) {
                        out.log(Severity.INFO, HB, "Make-before-break: starting " + r + " of group " + g.key()
                                + " before its address moves here (may run on both nodes, tandem.cf).");
                        jobs.current().tasks.addFirst(new Jobs.Task.Op(g.key(), r, Action.START, started -> {
                            copy(g, r);
                            if (started != OpResult.OK) {
                                out.log(Severity.WARN, HB, "Make-before-break: start of " + r + " of group " + g.key() + " failed ("
                                        + started + "); the group's acquisition tries it again.");
                            }
                        }));
                    }
                });
            }
        }
        job.act(() -> answerNow(null));
        jobs.add(job);
        return true;
    }

    /** The taker's answer is due ({@link #answerWithin}) while its starts still run: answer now. */
    void checkAnswer() {
        if (state.mbbAnswer != null && state.now >= state.mbbAnswerAt) {
            answerNow("Make-before-break: answering the standby request before the starts are done: the giver waits "
                    + Monitor.seconds(state.cfg.timers().standbyReply()) + " for the answer; the address waits here for the starts.");
        }
    }

    long answerDeadline() {
        return state.mbbAnswer == null ? -1 : state.mbbAnswerAt;
    }

    private void answerNow(String why) {
        Runnable a = state.mbbAnswer;
        state.mbbAnswer = null;
        state.mbbAnswerAt = 0;
        if (a != null) {
            if (why != null) {
                out.log(Severity.WARN, HB, why);
            }
            a.run();
        }
    }

    /** Records a may-run-twice (not warm) resource running here for a group that may not stay here. */
    void copy(GroupSpec g, String r) {
        if (!state.cfg.isWarm(r)) {
            Copy c = new Copy();
            c.dueAt = state.now;
            state.mbbCopies.put(Warm.key(g.key(), r), c);
        }
    }

    /** Records the may-run-twice resources a release kept running ({@link GroupRun#kept}) as copies to stop. */
    static void kept(OwnershipState state, GroupRun run) {
        for (String r : run.kept()) {
            if (!state.cfg.isWarm(r)) {
                Copy c = new Copy();
                c.dueAt = state.now;
                state.mbbCopies.put(Warm.key(run.group().key(), r), c);
            }
        }
    }

    /** Stops the due copy of a group this node neither runs nor claims, if any may be stopped now. */
    void stopDue() {
        if (state.mbbCopies.isEmpty() || state.warmPending != null || state.monitor.pending() != null || !settled()) {
            return;
        }
        for (Map.Entry<String, Copy> e : new ArrayList<>(state.mbbCopies.entrySet())) {
            String[] k = e.getKey().split("\n", 2);
            GroupSpec g = state.group(k[0]).orElse(null);
            if (g == null || runsHere(g)) {
                state.mbbCopies.remove(e.getKey()); // the group is here: the resource belongs to it again
                continue;
            }
            if (state.now >= e.getValue().dueAt) {
                state.warmPending = new ResourceOp(g.key(), k[1], Action.STOP);
                out.run(state.warmPending);
                return;
            }
        }
    }

    /** A copy's stop finished; false when {@code op} was not one. */
    boolean done(ResourceOp op, OpResult result) {
        if (state.warmPending == null || !state.warmPending.equals(op) || op.action() != Action.STOP) {
            return false;
        }
        state.warmPending = null;
        String k = Warm.key(op.group(), op.resource());
        Copy c = state.mbbCopies.get(k);
        if (c == null) {
            return true;
        }
        if (result == OpResult.OK) {
            state.mbbCopies.remove(k);
            out.log(Severity.INFO, HB, "Make-before-break: stopped " + op.resource() + " of group " + op.group()
                    + " on this node: the other node runs the group.");
        } else {
            c.failures++;
            long retry = Math.min(Warm.MAX_RETRY_MS, Warm.FIRST_RETRY_MS << Math.min(c.failures - 1, 10));
            out.log(Severity.ERROR, HB, "Make-before-break: stop of " + op.resource() + " of group " + op.group() + " failed (" + result
                    + "); it may run on both nodes, so the group stays where it is; trying again in " + Monitor.seconds(retry) + ".");
            c.dueAt = state.now + retry;
        }
        return true;
    }

    /** When a copy's stop is due next, or -1. */
    long deadline() {
        if (state.mbbCopies.isEmpty() || state.warmPending != null || state.monitor.pending() != null || !settled()) {
            return -1;
        }
        long d = Long.MAX_VALUE;
        for (Copy c : state.mbbCopies.values()) {
            d = Math.min(d, c.dueAt);
        }
        return d == Long.MAX_VALUE ? -1 : d;
    }

    /** A group run starts: what runs of the group here is part of it (acquired) or stopped (released). */
    static void forget(OwnershipState state, GroupSpec g) {
        state.mbbCopies.keySet().removeIf(k -> k.startsWith(g.key() + "\n"));
    }

    /** The node is settled: no job, no handshake, no takeover, no shutdown (as {@link Warm}'s copies). */
    private boolean settled() {
        return !state.finished && !state.shutdownWaiting && !state.shutdownInProgress && !state.shutdownStarted
                && state.rscState == RscState.STABLE && state.handshake.phase == Phase.NOT && state.handshake.idle()
                && !state.takeoverInProgress && !jobs.busy();
    }

    /** This node runs, starts, stops or claims the group. */
    private boolean runsHere(GroupSpec g) {
        GroupState s = state.groups.getOrDefault(g.key(), GroupState.STOPPED);
        return state.held.intersects(state.setOf(g)) || s == GroupState.STARTING || s == GroupState.RUNNING
                || s == GroupState.RESTARTING || s == GroupState.STOPPING || s == GroupState.STOP_FAILED || s == GroupState.FOUND_RUNNING;
    }
}
