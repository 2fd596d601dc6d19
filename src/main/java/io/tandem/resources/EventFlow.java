package io.tandem.resources;

import io.tandem.wire.Message;
import java.util.List;

/**
 * The flow of every event through the engine, always the same ({@link OwnershipEngine} calls
 * {@link #event} for each): due timers ({@link Timers}), the event itself, then {@link #drain};
 * after that the checks that look at the whole node ({@link Negotiation#afterEvent}, {@link StartupProbe#settle},
 * {@link MonitorDecisions#afterEvent}, {@link Healing#afterEvent}, {@link Tiebreak#afterEvent}), each
 * followed by another drain.
 */
record EventFlow(OwnershipState state, Effects out, Jobs jobs, Holdings holdings, Giveup giveup, MonitorDecisions monitoring,
        Healing healing, Tiebreak tiebreak, StartupProbe probe, Timers timers, Inbox inbox, Warm warm, Negotiation negotiation,
        MakeBeforeBreak mbb) {

    /**
     * Every event: due timers, the event itself, then {@link #drain}; after that, monitoring looks at
     * hand-overs that did not happen and groups that may run again, and the engine drains once more.
     */
    List<Effect> event(long now, Runnable body) {
        List<Effect> effects = out.begin();
        if (state.finished) {
            return effects;
        }
        state.now = Math.max(state.now, now);
        timers.checkTimers();
        if (!state.finished) {
            body.run();
        }
        drain();
        if (!state.finished) {
            negotiation.afterEvent();
            probe.settle();
            monitoring.afterEvent();
            drain();
        }
        if (!state.finished) {
            healing.afterEvent();
            drain();
        }
        if (!state.finished) {
            tiebreak.afterEvent();
            drain();
        }
        return effects;
    }

    /**
     * Works until nothing more can happen without the outside world: our own messages first (they may
     * queue jobs), then one job step at a time, a waiting shutdown once stable, then a due monitor check
     * or else a due script of a warm copy ({@link Warm}).
     */
    private void drain() {
        while (!state.finished) {
            Message own = out.nextOwn();
            if (own != null) {
                inbox.dispatch(own, state.local);
                continue;
            }
            // one script at a time: a monitor check or a warm copy's script in flight holds the job queue back
            if (state.monitor.pending() == null && state.warmPending == null && jobs.step()) {
                continue;
            }
            if (state.shutdownWaiting && holdings.isStable()) {
                giveup.giveupResources();
                continue;
            }
            // a warm copy's due script first: few and short, while back-to-back monitor checks would starve it
            warm.startDue();
            if (state.warmPending == null) {
                mbb.stopDue();
            }
            if (state.warmPending == null) {
                monitoring.startDueCheck();
            }
            break;
        }
    }
}
