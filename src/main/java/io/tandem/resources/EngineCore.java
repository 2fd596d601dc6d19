package io.tandem.resources;

import static io.tandem.resources.Effects.HB;

import io.tandem.resources.OwnershipState.Peer;
import io.tandem.resources.OwnershipState.RscState;
import io.tandem.wire.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** State and message handling of the ownership engine; see {@link OwnershipEngine}. */
abstract class EngineCore {
    final OwnershipState state;
    final Jobs jobs;
    final Standby standby;
    final Effects out = new Effects();
    final Holdings holdings;
    final Giveup giveup;
    final MonitorDecisions monitoring;
    final Takeover takeover;

    EngineCore(OwnershipConfig cfg) {
        this.state = new OwnershipState(cfg);
        this.jobs = new Jobs(new JobHost(), state.cfg.timers());
        this.holdings = new Holdings(state, out, jobs);
        this.giveup = new Giveup(state, out, jobs, holdings);
        this.monitoring = new MonitorDecisions(state, out, jobs, giveup);
        this.standby = new Standby(state, out, jobs, holdings, giveup, monitoring);
        this.takeover = new Takeover(state, out, jobs, holdings, giveup, standby);
    }

    // ------------------------------------------------------------------ plumbing

    void drain() {
        while (!state.finished) {
            Message own = out.nextOwn();
            if (own != null) {
                dispatch(own, state.local);
                continue;
            }
            // one script at a time: a monitor check in flight holds the job queue back
            if (state.monitor.pending() == null && jobs.step()) {
                continue;
            }
            if (state.shutdownWaiting && holdings.isStable()) {
                giveup.giveupResources();
                continue;
            }
            monitoring.startDueCheck();
            break;
        }
    }

    void checkTimers() {
        standby.checkTimeout();
        if (state.nice && state.rscState == RscState.RSCRCVD && state.localTakeoverAt > 0 && state.now >= state.localTakeoverAt) {
            state.rscState = RscState.STABLE;
            takeover.reqOurResources(false);
            out.log(LogLevel.INFO, HB, "local resource transition completed.");
            holdings.sendHeld(true, null);
            holdings.audit();
        }
        if (state.failbackRetryAt >= 0 && state.now >= state.failbackRetryAt) {
            state.failbackRetryAt = -1;
            performAutoFailback();
        }
        for (int i = 0; i < state.delayedStandbys.size(); i++) {
            if (state.now >= state.delayedStandbys.get(i).at()) {
                ResourceSet set = state.delayedStandbys.remove(i).set();
                i--;
                giveup.hbStandby(set);
            }
        }
        jobs.tick(state.now);
    }

    void dispatch(Message m, String from) {
        boolean self = from.equals(state.local);
        switch (m.type()) {
            case Messages.STARTING:
            case Messages.RESOURCE:
                if (state.commUp) {
                    processResources(m, from, self);
                }
                break;
            case Messages.ASK_RESOURCES:
                if (state.commUp) {
                    standby.onAskResources(m, self ? state.local : from, self);
                }
                break;
            case Messages.SHUTDONE:
                if (self) {
                    giveup.shutdoneSent();
                } else {
                    takeover.peerShutdone(from);
                }
                break;
            case Messages.IP_REQUEST:
                if (state.commUp && !self) {
                    jobs.add(giveup.ipRequestJob(from, m.getOr(Messages.IPADDR, "")));
                }
                break;
            case Messages.IP_REQUEST_RESP:
                if (state.commUp) {
                    jobs.add(takeover.ipRequestRespJob(m));
                }
                break;
            case Messages.HB_TAKEOVER:
                if (state.commUp && !self) {
                    jobs.add(takeover.hbTakeoverJob(m.getOr(Messages.RSC_HOLD, "")));
                }
                break;
            default:
                break;
        }
    }

    // ------------------------------------------------------------------ start-up negotiation (7.2)

    void processResources(Message m, String from, boolean self) {
        RscState newState = state.rscState;
        if (m.type().equals(Messages.STARTING)) {
            if (self) {
                return;
            }
            switch (state.rscState) {
                case RSCRCVD:
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
                    out.log(LogLevel.ERROR, HB, "Received 'starting' message in state " + state.rscState.ordinal());
                    return;
            }
            state.peerStable = false;
            if (state.takeoverInProgress) {
                out.log(LogLevel.WARN, HB, "T_STARTING received during takeover.");
            }
            holdings.sendHeld(holdings.reportStable(), null);
        } else {
            Optional<String> held = m.get(Messages.RSC_HOLD);
            if (held.isEmpty()) {
                out.log(LogLevel.ERROR, HB, "resource message without rsc_hold field.");
                return;
            }
            ResourceSet n = ResourceSet.parse(held.get()).orElseGet(() -> {
                out.log(LogLevel.ERROR, HB, "encode_resources: bad resource type [" + held.get() + "]");
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
                    out.log(LogLevel.ERROR, HB, "resource message received in state " + state.rscState.ordinal());
                    return;
            }
            if (!self) {
                state.peerHolds = update(full, state.peerHolds, n);
                standby.onPeerResource(m);
                Optional<String> stable = m.get(Messages.ISSTABLE);
                if (stable.isPresent()) {
                    if (stable.get().equals("1")) {
                        if (!state.peerStable) {
                            out.log(LogLevel.INFO, HB, "remote resource transition completed.");
                            state.peerStable = true;
                            holdings.sendHeld(holdings.reportStable(), null);
                            performAutoFailback();
                        }
                    } else {
                        state.peerStable = false;
                    }
                }
                if (state.rscState != RscState.STABLE && state.rscState != RscState.SHUTDOWN && state.peerStable) {
                    out.log(LogLevel.INFO, HB, "remote resource transition completed.");
                    takeover.reqOurResources(false);
                    newState = RscState.STABLE;
                    holdings.sendHeld(true, null);
                    performAutoFailback();
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
                    out.log(LogLevel.INFO, HB, "local resource transition completed (both nodes started; "
                            + from + " holds none of our resources).");
                    takeover.reqOurResources(false);
                    holdings.sendHeld(true, null);
                }
            } else {
                state.held = update(full, state.held, n);
                if (state.held.intersects(ResourceSet.LOCAL)) {
                    state.localWorkDone = true;
                    holdings.announce("T_RESOURCES(us)");
                }
                String info = m.getOr(Message.INFO, "");
                if (info.equals("mach_down")) {
                    out.log(LogLevel.INFO, HB, "mach_down takeover complete.");
                    state.takeoverInProgress = false;
                    state.held = state.held.plus(ResourceSet.FOREIGN);
                    state.failbackNeeded = true;
                    state.peerStable = true;
                    state.foreignWorkDone = true;
                    holdings.announce("mach_down");
                } else if (info.equals("shutdown")) {
                    newState = RscState.SHUTDOWN;
                }
            }
        }
        state.rscState = newState;
        if (state.rscState == RscState.RSCRCVD && state.localTakeoverAt == 0) {
            state.localTakeoverAt = state.now + state.cfg.timers().localTakeover();
        }
        holdings.audit();
    }

    static ResourceSet update(boolean full, ResourceSet cur, ResourceSet up) {
        if (full || up == ResourceSet.NONE) {
            return up;
        }
        return cur.plus(up);
    }

    // ------------------------------------------------------------------ shutdone (7.5)

    // ------------------------------------------------------------------ auto-failback (7.2)

    void performAutoFailback() {
        if (state.shutdownInProgress || !state.held.intersects(ResourceSet.FOREIGN) || !state.failbackNeeded || !state.autoFailback) {
            state.failbackNeeded = false;
            return;
        }
        if (!state.handshake.idle() || !state.peerStable || state.rscState != RscState.STABLE) {
            out.log(LogLevel.DEBUG, HB, "Auto failback delayed.");
            state.failbackRetryAt = state.now + state.cfg.timers().autoFailbackRetry();
            return;
        }
        standby.failback();
        state.failbackNeeded = false;
    }

    // ------------------------------------------------------------------ helpers

    private final class JobHost implements Jobs.Host {
        @Override
        public void run(ResourceOp op) {
            out.run(op);
        }

        @Override
        public void log(LogLevel level, String source, String text) {
            out.log(level, source, text);
        }

        @Override
        public void groupStarted(GroupRun run) {
            state.monitor.stopped(run.group().key());
            state.groups.put(run.group().key(), run.partial() ? GroupState.RESTARTING
                    : run.acquire() ? GroupState.STARTING : GroupState.STOPPING);
        }

        @Override
        public boolean mayAcquire(GroupSpec group) {
            return monitoring.mayAcquire(group);
        }

        @Override
        public void groupFinished(GroupRun run) {
            GroupState s;
            switch (run.outcome().kind()) {
                case DONE:
                    s = run.acquire() ? GroupState.RUNNING : run.partial() ? GroupState.RESTARTING : GroupState.STOPPED;
                    if (run.acquire()) {
                        state.monitor.started(run.group().key(), 0, state.now);
                    }
                    break;
                case START_FAILED:
                    s = GroupState.START_FAILED;
                    break;
                default:
                    s = GroupState.STOP_FAILED;
                    break;
            }
            state.groups.put(run.group().key(), s);
        }
    }
}
