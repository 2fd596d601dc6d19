package io.tandem.resources;

import io.tandem.config.Severity;
import static io.tandem.resources.Effects.HB;

import io.tandem.resources.OwnershipState.RscState;

/**
 * What this node holds, as it tells it: the {@code t=resource} report, the audit of both nodes'
 * claims, whether resources are stable, and the one-time {@code Initial resource acquisition complete}.
 * Every protocol step uses these; they decide nothing.
 */
record Holdings(OwnershipState state, Effects out, Jobs jobs) {
    /** {@code t=resource rsc_hold=<held> rtype=full isstable=<stable> [info=<info>]} (nice_failback only). */
    void sendHeld(boolean stable, String info) {
        if (state.nice) {
            out.send(Messages.resourceFull(state.held, stable, info));
        }
    }

    /**
     * The {@code isstable} bit of a reply: heartbeat sends {@code rstate == STABLE}; Tandem also says 0
     * while a standby handshake runs, so a node never reports stable holdings that exclude groups it is
     * still releasing (nor while a both-claimed set is released, see {@link Healing}).
     */
    boolean reportStable() {
        return state.rscState == RscState.STABLE && state.handshake.idle() && !state.guard.releasing;
    }

    /** heartbeat's {@code hb_rsc_isstable}: no resource activity and nothing negotiating. */
    boolean isStable() {
        if (!state.nice || !state.commUp) {
            return !jobs.busy();
        }
        return state.peerStable && !state.takeoverInProgress && state.handshake.idle() && !jobs.busy()
                && (state.rscState == RscState.STABLE || state.rscState == RscState.SHUTDOWN || state.rscState == RscState.INIT);
    }

    void markLocalWorkDone(String reason) {
        state.localWorkDone = true;
        announce(reason);
    }

    /** Logs {@code Initial resource acquisition complete (<reason>)} once local and foreign work are done. */
    void announce(String reason) {
        if (state.initAnnounced || !state.localWorkDone || !state.foreignWorkDone) {
            return;
        }
        out.log(Severity.INFO, HB, "Initial resource acquisition complete (" + reason + ")");
        state.initAnnounced = true;
    }

    /** heartbeat's {@code audit_resources}: complains when both or neither node claim a set. */
    void audit() {
        if (!state.nice) {
            return;
        }
        if (state.held.intersects(ResourceSet.LOCAL) && state.peerHolds.intersects(ResourceSet.FOREIGN)) {
            out.log(Severity.ERROR, HB, "Both machines own our resources!");
        }
        if (state.peerHolds.intersects(ResourceSet.LOCAL) && state.held.intersects(ResourceSet.FOREIGN)) {
            out.log(Severity.ERROR, HB, "Both machines own foreign resources!");
        }
        if (isStable() && !state.shutdownInProgress && state.rscState != RscState.SHUTDOWN) {
            if (!state.held.intersects(ResourceSet.LOCAL) && !state.peerHolds.intersects(ResourceSet.FOREIGN)
                    && !state.groupsOf(ResourceSet.LOCAL).isEmpty()) {
                out.log(Severity.ERROR, HB, "No one owns our local resources!");
            }
            if (!state.peerHolds.intersects(ResourceSet.LOCAL) && !state.held.intersects(ResourceSet.FOREIGN)
                    && !state.groupsOf(ResourceSet.FOREIGN).isEmpty()) {
                out.log(Severity.ERROR, HB, "No one owns foreign resources!");
            }
        }
    }
}
