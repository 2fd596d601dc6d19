package io.tandem.resources;

import static io.tandem.resources.Effects.HB;

import io.tandem.resources.OwnershipState.Peer;
import io.tandem.resources.OwnershipState.RscState;
import java.util.ArrayList;
import java.util.List;

/** Giving groups up: graceful shutdown, releases that fail, outcomes of acquisitions. */
abstract class GiveupCore extends TakeoverCore {
    GiveupCore(OwnershipConfig cfg) {
        super(cfg);
    }

    // ------------------------------------------------------------------ graceful shutdown (7.5)

    @Override
    void giveupResources() {
        if (!holdings.isStable()) {
            if (!state.shutdownWaiting) {
                out.log(LogLevel.WARN, HB, "Shutdown delayed until current resource activity finishes.");
                state.shutdownWaiting = true;
            }
            return;
        }
        state.shutdownWaiting = false;
        state.shutdownInProgress = true;
        if (state.shutdownStarted) {
            out.log(LogLevel.INFO, HB, "Heartbeat shutdown already underway.");
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
        out.log(LogLevel.INFO, HB, "Heartbeat shutdown in progress. (" + state.cfg.pid() + ")");
        Jobs.Job job = new Jobs.Job("hb_giveup_resources");
        job.act(() -> out.log(LogLevel.INFO, HB, "Giving up all HA resources."));
        releaseAll(job, state.cfg.groups(), heldBefore, () -> {
            state.shutdownInProgress = false;
            state.shutdownStarted = false;
            state.restartAfterShutdown = false;
            state.rscState = stateBefore == RscState.INIT ? RscState.INIT : RscState.STABLE;
            state.held = heldBefore;
            holdings.sendHeld(true, null);
            out.add(new Effect.ShutdownAborted("a resource could not be stopped; this node keeps its groups"));
        });
        job.act(() -> {
            out.log(LogLevel.INFO, HB, "All HA resources relinquished.");
            out.send(Messages.shutdone());
        });
        jobs.enable(); // a shutdown before comm-up still releases and says shutdone
        jobs.add(job);
    }

    // ------------------------------------------------------------------ group outcomes

    /**
     * Adds release tasks for the groups. On a stop failure the rest is skipped, the released groups that
     * this node held ({@code held}) and the stuck group are started again, and {@code onAbort} runs.
     */
    @Override
    void releaseAll(Jobs.Job job, List<GroupSpec> groups, ResourceSet held, Runnable onAbort) {
        List<GroupSpec> released = new ArrayList<>();
        List<GroupSpec> ours = state.groupsOf(held);
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
    @Override
    void stopFailed(GroupSpec g, GroupRun.Outcome o, List<GroupSpec> retake, Runnable onAbort) {
        if (state.cfg.stopFailure() == StopFailurePolicy.REBOOT) {
            out.log(LogLevel.CRIT, GroupRun.RM, "Resource STOP failure. Reboot required!");
            out.log(LogLevel.CRIT, GroupRun.RM, "Killing heartbeat ungracefully!");
            out.add(new Effect.Reboot("resource " + o.resource() + " of group " + g.key() + " could not be stopped"));
            state.finished = true;
            jobs.clear();
            return;
        }
        out.log(LogLevel.CRIT, GroupRun.RM, "Resource STOP failure: " + o.resource() + " still running; group " + g.key()
                + " stays on this node and is not given up.");
        Jobs.Job job = jobs.current();
        job.tasks.clear();
        for (GroupSpec r : retake) {
            job.group(r, true, x -> acquired(r, x));
        }
        job.act(onAbort);
        job.onEnd(() -> { });
    }

    /** Outcome of any acquire: a failed start is handed to the peer later (ResourceManager's hb_standby). */
    @Override
    void acquired(GroupSpec g, GroupRun.Outcome o) {
        if (o.kind() == GroupRun.Outcome.Kind.START_FAILED) {
            ResourceSet set = g.preferredBy(state.local) ? ResourceSet.LOCAL : ResourceSet.FOREIGN;
            state.delayedStandbys.add(new OwnershipState.DelayedStandby(state.now + state.cfg.timers().failedStartStandby(), set));
        } else if (o.kind() == GroupRun.Outcome.Kind.STOP_FAILED) {
            if (state.cfg.stopFailure() == StopFailurePolicy.REBOOT) {
                stopFailed(g, o, List.of(), () -> { });
            } else {
                out.log(LogLevel.CRIT, GroupRun.RM, "Resource STOP failure: " + o.resource() + " still running; group " + g.key()
                        + " stays on this node and is not given up.");
            }
        }
    }

}
