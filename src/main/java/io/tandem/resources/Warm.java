package io.tandem.resources;

import io.tandem.config.Severity;
import static io.tandem.resources.Effects.HB;

import io.tandem.resources.OwnershipState.RscState;
import io.tandem.resources.ResourceOp.Action;

/**
 * Warm standby (tandem.cf {@code resource NAME warm}, docs/ownership.md): a warm resource may run on both
 * nodes, so it is kept running on the node that does not run its group too. A crash takeover then finds
 * it running ({@code status} before {@code start}, heartbeat's acquisition) and only the address and the
 * exclusive resources start; a standby hand-over leaves it running on the giver ({@link GroupRun#keepRunning}).
 * Addresses are never warm: who holds the group, and so the address, is decided by the protocol exactly as
 * without warm resources.
 *
 * <p>Here: the copies on this node of the warm resources of groups it does not run. One script at a time,
 * beside the job queue as a monitor check is ({@link EventFlow}): only when no job runs or waits, nothing
 * is negotiated or handed over and no shutdown is under way, so a hand-over or takeover never waits for
 * more than the copy's script in flight. Each copy's {@code status} is asked first; one that does not run
 * is started; with monitoring on, a running copy is checked at its resource's interval and started again
 * when it stopped; a failed start is tried again after 10 s, doubling up to 1 min. A shutdown stops them
 * (it stops every resource of every group, as heartbeat's does).
 */
record Warm(OwnershipState state, Effects out, Jobs jobs) {
    /** The first retry after a failed start of a copy; it doubles up to {@link #MAX_RETRY_MS}. */
    static final long FIRST_RETRY_MS = 10_000;
    static final long MAX_RETRY_MS = 60_000;

    /** What this node knows of one copy. */
    static final class Copy {
        boolean running;
        /** When it is checked (running) or started (not running) next; {@code Long.MAX_VALUE}: not again. */
        long dueAt;
        int failures;
    }

    /** Starts the due script of a copy, if any may run now. */
    void startDue() {
        if (state.cfg.warm().isEmpty() || state.warmPending != null || state.monitor.pending() != null || !settled()) {
            return;
        }
        for (GroupSpec g : state.cfg.groups()) {
            if (!standbyFor(g)) {
                continue;
            }
            for (String r : g.resources()) {
                if (!state.cfg.isWarm(r)) {
                    continue;
                }
                Copy c = state.warm.get(key(g.key(), r));
                if (c == null) {
                    issue(g, r, Action.STATUS);
                    return;
                }
                if (state.now >= c.dueAt) {
                    issue(g, r, c.running ? Action.STATUS : Action.START);
                    return;
                }
            }
        }
    }

    /** A copy's script finished; false when {@code op} was not one. */
    boolean done(ResourceOp op, OpResult result) {
        if (state.warmPending == null || !state.warmPending.equals(op)) {
            return false;
        }
        state.warmPending = null;
        String k = key(op.group(), op.resource());
        Copy c = state.warm.get(k);
        boolean known = c != null;
        if (c == null) {
            c = new Copy();
            state.warm.put(k, c);
        }
        String what = op.resource() + " of group " + op.group();
        if (op.action() == Action.STATUS) {
            if (result == OpResult.RUNNING) {
                if (!known) {
                    out.log(Severity.INFO, HB, "Warm standby: " + what + " runs on this node too.");
                }
                c.running = true;
                c.failures = 0;
                c.dueAt = nextCheck(op.resource());
            } else {
                if (known && c.running) {
                    out.log(Severity.WARN, HB, "Warm standby: " + what + " no longer runs on this node ("
                            + (result == OpResult.NOT_RUNNING ? "not running" : "error or timeout") + "); starting it again.");
                }
                c.running = false;
                c.dueAt = state.now;
            }
        } else if (op.action() == Action.START) {
            if (result == OpResult.OK) {
                out.log(Severity.INFO, HB, "Warm standby: started " + what + " on this node: a takeover needs only the group's"
                        + " address and exclusive resources.");
                c.running = true;
                c.failures = 0;
                c.dueAt = nextCheck(op.resource());
            } else {
                c.failures++;
                long retry = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS << Math.min(c.failures - 1, 10));
                out.log(Severity.ERROR, HB, "Warm standby: start of " + what + " failed (" + result + "); trying again in "
                        + Monitor.seconds(retry) + ".");
                c.running = false;
                c.dueAt = state.now + retry;
            }
        }
        return true;
    }

    /** When a copy's script is due next, or -1. */
    long deadline() {
        if (state.cfg.warm().isEmpty() || state.warmPending != null || state.monitor.pending() != null || !settled()) {
            return -1; // the same conditions as startDue: a deadline it could not act on would wake the node again and again
        }
        long d = Long.MAX_VALUE;
        for (GroupSpec g : state.cfg.groups()) {
            if (!standbyFor(g)) {
                continue;
            }
            for (String r : g.resources()) {
                Copy c = state.cfg.isWarm(r) ? state.warm.get(key(g.key(), r)) : null;
                if (c != null) {
                    d = Math.min(d, c.dueAt);
                }
            }
        }
        return d == Long.MAX_VALUE ? -1 : d;
    }

    /** The node is a settled member: warm copies may run here and may be started or checked now. */
    private boolean settled() {
        return state.nice && state.commUp && !state.finished && !state.shutdownWaiting && !state.shutdownInProgress
                && !state.shutdownStarted && state.rscState == RscState.STABLE && state.handshake.idle()
                && !state.takeoverInProgress && !jobs.busy();
    }

    /** This node neither runs nor claims the group, and may run it (no monitoring ban): its warm resources run here as copies. */
    private boolean standbyFor(GroupSpec g) {
        return state.groups.getOrDefault(g.key(), GroupState.STOPPED) == GroupState.STOPPED
                && !state.held.intersects(state.setOf(g)) && !state.monitor.banned(g.key(), state.now)
                && !state.keptStopped.containsKey(g.key());
    }

    private long nextCheck(String resource) {
        MonitorSpec spec = state.cfg.monitoring().spec(resource);
        return state.cfg.monitoring().enabled() && spec.monitored() ? state.now + spec.intervalMs() : Long.MAX_VALUE;
    }

    private void issue(GroupSpec g, String r, Action action) {
        MonitorSpec spec = state.cfg.monitoring().spec(r);
        long timeout = action == Action.STATUS && state.cfg.monitoring().enabled() ? spec.timeoutMs() : 0;
        state.warmPending = new ResourceOp(g.key(), r, action, timeout);
        out.run(state.warmPending);
    }

    static String key(String group, String resource) {
        return group + "\n" + resource;
    }

    /** A group run starts: its copies are part of the group now (acquired) or their state is unknown (released). */
    static void forget(OwnershipState state, GroupSpec g) {
        state.warm.keySet().removeIf(k -> k.startsWith(g.key() + "\n"));
    }
}
