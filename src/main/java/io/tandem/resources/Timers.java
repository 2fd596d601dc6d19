package io.tandem.resources;

import io.tandem.resources.OwnershipState.RscState;
import java.util.OptionalLong;

/**
 * The engine's timers, all in one place: what is due at the start of every event, in a fixed order,
 * and when the next one is ({@link OwnershipEngine#nextDeadline}). Each timer belongs to the step
 * that set it; this only asks them.
 */
record Timers(OwnershipState state, Jobs jobs, Standby standby, Negotiation negotiation, Giveup giveup, AddressGuard addresses,
        Fencing fencing, StartupProbe probe, MonitorDecisions monitoring, Tiebreak tiebreak, Warm warm,
        MakeBeforeBreak mbb) {

    /** Timers in a fixed order: handshake timeout, RQSTDELAY and auto-failback, delayed standbys, stop retries. */
    void checkTimers() {
        standby.checkTimeout();
        mbb.checkAnswer();
        negotiation.tick();
        giveup.delayedStandbys();
        addresses.tick();
        jobs.tick(state.now);
        fencing.tick();
    }

    /** When {@link OwnershipEngine#tick} must be called next, if any timer runs. */
    OptionalLong nextDeadline() {
        long d = Long.MAX_VALUE;
        if (state.finished) {
            return OptionalLong.empty();
        }
        if (state.handshake.deadline > 0) {
            d = Math.min(d, state.handshake.deadline);
        }
        if (state.nice && state.rscState == RscState.RSCRCVD && state.localTakeoverAt > 0) {
            d = Math.min(d, state.localTakeoverAt);
        }
        if (state.failbackRetryAt >= 0) {
            d = Math.min(d, state.failbackRetryAt);
        }
        for (OwnershipState.DelayedStandby s : state.delayedStandbys) {
            d = Math.min(d, s.at());
        }
        if (jobs.deadline() >= 0) {
            d = Math.min(d, jobs.deadline());
        }
        if (fencing.deadline() >= 0) {
            d = Math.min(d, fencing.deadline());
        }
        if (probe.deadline() >= 0) {
            d = Math.min(d, probe.deadline());
        }
        long m = monitoring.deadline();
        if (m >= 0) {
            d = Math.min(d, m);
        }
        long a = addresses.deadline();
        if (a >= 0) {
            d = Math.min(d, a);
        }
        if (tiebreak.deadline() >= 0) {
            d = Math.min(d, tiebreak.deadline());
        }
        if (warm.deadline() >= 0) {
            d = Math.min(d, warm.deadline());
        }
        if (mbb.deadline() >= 0) {
            d = Math.min(d, mbb.deadline());
        }
        if (mbb.answerDeadline() >= 0) {
            d = Math.min(d, mbb.answerDeadline());
        }
        return d == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(d);
    }
}
