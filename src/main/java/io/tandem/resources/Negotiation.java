package io.tandem.resources;

import io.tandem.config.Severity;
import static io.tandem.resources.Effects.HB;

import io.tandem.resources.OwnershipState.RscState;
import io.tandem.wire.Message;
import java.util.Optional;

/**
 * The start-up negotiation of nice_failback (docs/protocol.md 7.2): {@code starting} at comm-up, the
 * {@code resource} reports of both nodes ({@code T_RESOURCES}), {@code INIT → STARTING →
 * BOTHSTARTING → RSCRCVD → STABLE}, the RQSTDELAY timer that takes our own groups when nobody gets
 * stable, and auto-failback once the peer is stable. Legacy mode only asks for its groups at comm-up.
 */
record Negotiation(OwnershipState state, Effects out, Jobs jobs, Holdings holdings, Takeover takeover, Standby standby) {
    /** {@code comm_now_up}: say {@code starting} (legacy: ask for our own groups). */
    void commUp() {
        state.commUp = true;
        jobs.enable();
        boolean anyDead = state.peers.values().stream().anyMatch(p -> p.status == PeerStatus.DEAD);
        if (!anyDead) {
            state.foreignWorkDone = true;
        }
        if (state.nice) {
            out.send(Messages.starting());
            state.rscState = RscState.STARTING;
        } else if (!state.ownGroupsRequested) {
            state.ownGroupsRequested = true;
            takeover.reqOurResources(false);
        }
    }

    /**
     * The peer's {@code starting} came after a newer report of its own (see OwnershipEngine#received):
     * it still gets our report, but what that newer report said of its stability stands.
     */
    void answerStarting() {
        if (state.nice) {
            holdings.sendHeld(holdings.reportStable(), null);
        }
    }

    /** The RQSTDELAY and auto-failback timers. */
    void tick() {
        if (state.nice && state.rscState == RscState.RSCRCVD && state.localTakeoverAt > 0 && state.now >= state.localTakeoverAt) {
            state.rscState = RscState.STABLE;
            takeover.reqOurResources(false);
            out.log(Severity.INFO, HB, "local resource transition completed.");
            holdings.sendHeld(true, null);
            holdings.audit();
        }
        if (state.failbackRetryAt >= 0 && state.now >= state.failbackRetryAt) {
            state.failbackRetryAt = -1;
            autoFailback();
        }
    }

    /** A {@code starting} or {@code resource} message, from the peer or our own ({@code self}). */
    void onMessage(Message m, String from, boolean self) {
        RscState newState = state.rscState;
        if (m.type().equals(Messages.STARTING)) {
            if (self) {
                return;
            }
            switch (state.rscState) {
                case RSCRCVD:
                    if (nothingLeftToTake()) {
                        settleAtJoin(from);
                        newState = RscState.STABLE;
                    } else {
                        state.joinWaiting = from;
                    }
                    break;
                case STABLE:
                case SHUTDOWN:
                    break;
                case STARTING:
                    newState = RscState.BOTHSTARTING;
                    state.peerStartedWithUs = true;
                    state.foreignWorkDone = true;
                    holdings.announce("HB_R_BOTHSTARTING");
                    break;
                default:
                    out.log(Severity.ERROR, HB, "Received 'starting' message in state " + state.rscState.ordinal());
                    return;
            }
            state.peerStable = false;
            if (state.takeoverInProgress) {
                out.log(Severity.WARN, HB, "T_STARTING received during takeover.");
            }
            holdings.sendHeld(holdings.reportStable(), null);
        } else {
            Optional<String> held = m.get(Messages.RSC_HOLD);
            if (held.isEmpty()) {
                out.log(Severity.ERROR, HB, "resource message without rsc_hold field.");
                return;
            }
            ResourceSet n = ResourceSet.parse(held.get()).orElseGet(() -> {
                out.log(Severity.ERROR, HB, "encode_resources: bad resource type [" + held.get() + "]");
                return ResourceSet.NONE;
            });
            boolean full = "full".equals(m.getOr(Messages.RTYPE, ""));
            switch (state.rscState) {
                case BOTHSTARTING:
                case STARTING:
                    newState = RscState.RSCRCVD;
                    if (!state.autoFailback) {
                        state.foreignWorkDone = true;
                        holdings.announce("T_RESOURCES");
                    }
                    break;
                case RSCRCVD:
                case STABLE:
                case SHUTDOWN:
                    break;
                default:
                    out.log(Severity.ERROR, HB, "resource message received in state " + state.rscState.ordinal());
                    return;
            }
            newState = self ? ownReport(m, full, n, newState) : peerReport(m, from, full, n, newState);
        }
        state.rscState = newState;
        if (state.rscState == RscState.RSCRCVD && state.localTakeoverAt == 0) {
            state.localTakeoverAt = state.now + state.cfg.timers().localTakeover();
        }
        holdings.audit();
    }

    /**
     * Tandem: a peer says {@code starting} while we wait out RQSTDELAY in RSCRCVD (typically we came up
     * alone, took everything at initdead and the 10 s have not passed). The timer would only say
     * {@code local resource transition completed.}: we already hold our own groups and nothing is
     * being acquired or released. Meanwhile our answer would say {@code isstable=0}, the starting peer
     * (which can only become stable after us) would wait in RSCRCVD too, and a stop or standby on either
     * node would be held up until our timer fires. So settle now, and answer {@code isstable=1}.
     */
    private boolean nothingLeftToTake() {
        return state.nice && state.held.intersects(ResourceSet.LOCAL) && state.localWorkDone && state.foreignWorkDone
                && !state.takeoverInProgress && state.handshake.idle() && !state.guard.releasing
                && !state.shutdownInProgress && !jobs.busy();
    }

    /**
     * After every event: a peer joined while we were still acquiring (or releasing) in RSCRCVD; once
     * nothing moves, settle as at its {@code starting} and tell it (our answer then said {@code isstable=0},
     * and the peer waits for our stability).
     */
    void afterEvent() {
        if (state.joinWaiting == null) {
            return;
        }
        if (state.rscState != RscState.RSCRCVD || state.peers.values().stream().noneMatch(p -> p.status == PeerStatus.ACTIVE && !p.leaving)) {
            state.joinWaiting = null;
            return;
        }
        if (nothingLeftToTake()) {
            String from = state.joinWaiting;
            state.joinWaiting = null;
            settleAtJoin(from);
            holdings.sendHeld(true, null);
            holdings.audit();
        }
    }

    private void settleAtJoin(String from) {
        state.joinWaiting = null;
        state.rscState = RscState.STABLE;
        takeover.reqOurResources(false);
        out.log(Severity.INFO, HB, "local resource transition completed (" + from
                + " joined; this node holds its resources and nothing is moving).");
    }

    /** The peer's {@code resource} report; returns the next negotiation state. */
    private RscState peerReport(Message m, String from, boolean full, ResourceSet n, RscState newState) {
        state.peerHolds = update(full, state.peerHolds, n);
        standby.onPeerResource(m);
        if (state.reclaimAfterPeerRestart && full && state.rscState == RscState.STABLE) {
            // the peer's new life says what it holds (Takeover.peerRestarted): our groups it does not
            // hold as foreign, and we do not hold, run nowhere
            state.reclaimAfterPeerRestart = false;
            if (!state.held.intersects(ResourceSet.LOCAL) && !state.peerHolds.intersects(ResourceSet.FOREIGN)) {
                takeover.reqOurResources(false);
            }
        }
        Optional<String> stable = m.get(Messages.ISSTABLE);
        if (stable.isPresent()) {
            if (stable.get().equals("1")) {
                if (!state.peerStable) {
                    out.log(Severity.INFO, HB, "remote resource transition completed.");
                    state.peerStable = true;
                    holdings.sendHeld(holdings.reportStable(), null);
                    autoFailback();
                }
            } else {
                state.peerStable = false;
            }
        }
        if (state.rscState != RscState.STABLE && state.rscState != RscState.SHUTDOWN && state.peerStable) {
            out.log(Severity.INFO, HB, "remote resource transition completed.");
            takeover.reqOurResources(false);
            newState = RscState.STABLE;
            holdings.sendHeld(true, null);
            autoFailback();
            state.foreignWorkDone = true;
            if (!state.autoFailback && state.peerHolds.intersects(ResourceSet.FOREIGN)) {
                state.localWorkDone = true;
            }
            holdings.announce("T_RESOURCES(them)");
        } else if (newState == RscState.RSCRCVD && state.peerStartedWithUs && full && !state.peerStable
                && !state.peerHolds.intersects(ResourceSet.FOREIGN) && state.handshake.idle()) {
            // Tandem: both nodes started together and the peer's full report says it holds none
            // of our groups, so nobody runs them; heartbeat waits RQSTDELAY (10 s) here for a
            // stability neither side can report first. Take our own groups now and say so.
            newState = RscState.STABLE;
            state.rscState = RscState.STABLE;
            out.log(Severity.INFO, HB, "local resource transition completed (both nodes started; "
                    + from + " holds none of our resources).");
            takeover.reqOurResources(false);
            holdings.sendHeld(true, null);
        }
        return newState;
    }

    /** Our own {@code resource} report (mach_down, shutdown...); returns the next negotiation state. */
    private RscState ownReport(Message m, boolean full, ResourceSet n, RscState newState) {
        state.held = update(full, state.held, n);
        if (state.held.intersects(ResourceSet.LOCAL)) {
            state.localWorkDone = true;
            holdings.announce("T_RESOURCES(us)");
        }
        String info = m.getOr(Message.INFO, "");
        if (info.equals("mach_down")) {
            out.log(Severity.INFO, HB, "mach_down takeover complete.");
            state.takeoverInProgress = false;
            state.held = state.held.plus(ResourceSet.FOREIGN);
            state.failbackNeeded = true;
            state.peerStable = true;
            state.foreignWorkDone = true;
            holdings.announce("mach_down");
        } else if (info.equals("shutdown")) {
            return RscState.SHUTDOWN;
        }
        return newState;
    }

    private static ResourceSet update(boolean full, ResourceSet cur, ResourceSet up) {
        if (full || up == ResourceSet.NONE) {
            return up;
        }
        return cur.plus(up);
    }

    /** heartbeat's {@code perform_auto_failback}: hand the peer's groups back once everything is stable. */
    private void autoFailback() {
        if (state.shutdownInProgress || !state.held.intersects(ResourceSet.FOREIGN) || !state.failbackNeeded || !state.autoFailback) {
            state.failbackNeeded = false;
            return;
        }
        if (!state.handshake.idle() || !state.peerStable || state.rscState != RscState.STABLE || state.ping.peerBlind()) {
            // ping-node tiebreak: never hand groups back to a peer that reaches no ping node while we do
            out.log(Severity.DEBUG, HB, "Auto failback delayed.");
            state.failbackRetryAt = state.now + state.cfg.timers().autoFailbackRetry();
            return;
        }
        standby.failback();
        state.failbackNeeded = false;
    }
}
