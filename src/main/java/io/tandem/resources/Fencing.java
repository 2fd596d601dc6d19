package io.tandem.resources;

import io.tandem.config.Severity;
import static io.tandem.resources.Effects.HB;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * STONITH before a dead peer's groups are taken (heartbeat's {@code Initiate_Reset} and
 * {@code StonithProcessDied}, with Tandem's guards): one attempt per dead peer, started at once by the
 * node with precedence and after {@link FencingPolicy#raceDelayMs} by the others, retried with
 * back-off after a failure, stopped when the peer is heard again. Only a successful fence lets the
 * takeover go on (or, with {@code stonith_failure_takeover yes}, a failed one).
 */
final class Fencing {
    /** A peer being fenced: when the next try is due ({@code -1} while one runs), how many failed, the last reason. */
    private static final class Attempt {
        long dueAt;
        int failures;
        String lastFailure = "";
    }

    private final OwnershipState state;
    private final Effects out;
    private FencingPolicy policy;
    private final DeviceCheck check;
    private final Map<String, Attempt> attempts = new LinkedHashMap<>();
    /** Our own groups were to be acquired while a peer was being fenced: they wait for the fence. */
    private boolean ownDeferred;
    /**
     * Peers whose fence a shutdown cancelled while they were dead: they may still run our groups, so
     * our own stay held back (a shutdown waiting for a negotiation would otherwise acquire them when
     * it ends). Until such a peer is heard again.
     */
    private final java.util.Set<String> unfenced = new java.util.LinkedHashSet<>();
    private boolean unfencedLogged;

    Fencing(OwnershipState state, Effects out, FencingPolicy policy) {
        this.state = state;
        this.out = out;
        this.policy = policy;
        this.check = new DeviceCheck(state, out, policy);
    }

    boolean configured() {
        return policy.configured();
    }

    /** Whether {@code node} is being fenced (its takeover waits). */
    boolean pending(String node) {
        return attempts.containsKey(node);
    }

    /**
     * Whether our own groups must wait: while a peer is being fenced it may still run them (it took them
     * over while we were away), so they are acquired only after the fence, with the peer's.
     */
    boolean holdsBackOwn() {
        if (attempts.isEmpty()) {
            if (!unfenced.isEmpty() && !unfencedLogged) {
                unfencedLogged = true;
                out.log(Severity.INFO, HB, "Local resource acquisition cancelled: " + String.join(", ", unfenced)
                        + " was not fenced - shutdown in progress.");
            }
            return !unfenced.isEmpty();
        }
        if (!ownDeferred) {
            ownDeferred = true;
            out.log(Severity.INFO, HB, "Local resource acquisition waits until " + String.join(", ", attempts.keySet())
                    + " is fenced.");
        }
        return true;
    }

    /** A dead peer must be fenced before its groups are taken. */
    void begin(String node) {
        if (attempts.containsKey(node)) {
            return;
        }
        Attempt a = new Attempt();
        boolean first = FencingPolicy.precedes(state.cfg.groups(), state.cfg.nodes(), state.local);
        a.dueAt = first ? state.now : state.now + policy.raceDelayMs();
        attempts.put(node, a);
        if (!first && policy.raceDelayMs() > 0) {
            String who = state.cfg.groups().isEmpty() ? state.cfg.nodes().get(0) + " (the first node)"
                    : state.cfg.groups().get(0).preferredNode() + " (home of " + state.cfg.groups().get(0).key() + ")";
            out.log(Severity.INFO, HB, "Waiting " + seconds(policy.raceDelayMs()) + " before fencing " + node + ": " + who
                    + " fences first");
        }
        tick();
    }

    /** Starts the attempts that are due, and the device's status check when it is due. */
    void tick() {
        check.tick();
        for (Map.Entry<String, Attempt> e : attempts.entrySet()) {
            Attempt a = e.getValue();
            if (a.dueAt >= 0 && a.dueAt <= state.now) {
                a.dueAt = -1;
                out.log(Severity.INFO, HB, "Resetting node " + e.getKey() + " with [" + policy.device() + "]");
                out.add(new Effect.Fence(e.getKey()));
            }
        }
    }

    /** The earliest due attempt or device check, or -1. */
    long deadline() {
        long d = check.deadline() >= 0 ? check.deadline() : Long.MAX_VALUE;
        for (Attempt a : attempts.values()) {
            if (a.dueAt >= 0) {
                d = Math.min(d, a.dueAt);
            }
        }
        return d == Long.MAX_VALUE ? -1 : d;
    }

    /**
     * A fence asked for with {@link Effect.Fence} finished. Returns whether the node's groups may now be
     * taken over (it was fenced, or {@code stonith_failure_takeover} says to go on without).
     */
    boolean done(String node, boolean ok, String detail) {
        Attempt a = attempts.get(node);
        if (a == null || a.dueAt >= 0) {
            out.log(Severity.INFO, HB, "STONITH result for " + node + " ignored: " + (ok ? "reset" : "not reset")
                    + ", but it is no longer being fenced");
            return false;
        }
        if (ok) {
            attempts.remove(node);
            ownDeferred = ownDeferred && !attempts.isEmpty();
            out.log(Severity.INFO, HB, "node " + node + " now reset.");
            out.send(Messages.stonith(node, "OK"));
            return true;
        }
        a.failures++;
        a.lastFailure = detail.isEmpty() ? "the stonith command failed" : detail;
        out.log(Severity.ERROR, HB, "Host " + node + " not reset!");
        out.send(Messages.stonith(node, "bad"));
        if (policy.takeoverOnFailure()) {
            attempts.remove(node);
            ownDeferred = ownDeferred && !attempts.isEmpty();
            out.log(Severity.CRIT, HB, "STONITH of " + node + " failed: " + a.lastFailure
                    + "; taking over its resource groups anyway (stonith_failure_takeover yes): shared data is not protected");
            return true;
        }
        long delay = policy.retryDelay(a.failures);
        a.dueAt = state.now + delay;
        out.log(Severity.CRIT, HB, "STONITH of " + node + " failed: " + a.lastFailure + "; not taking over its resource"
                + " groups. Retrying in " + seconds(delay) + "...");
        return false;
    }

    /**
     * The peer was heard from again: it lives, so fencing it stops and nothing of it is taken. Returns
     * whether our own groups had been held back for it (see {@link Takeover#fencingStopped}).
     */
    boolean peerAlive(String node) {
        unfenced.remove(node);
        if (attempts.remove(node) == null) {
            return false;
        }
        out.log(Severity.INFO, HB, "Node " + node + " is alive again: fencing it stopped, its resource groups not taken over.");
        boolean deferred = ownDeferred && attempts.isEmpty();
        ownDeferred = ownDeferred && !attempts.isEmpty();
        return deferred;
    }

    /** Shutdown: nothing will be taken over, so nobody is fenced. */
    void cancelAll() {
        for (String node : attempts.keySet()) {
            out.log(Severity.INFO, HB, "Fencing of " + node + " cancelled - shutdown in progress.");
            unfenced.add(node);
        }
        attempts.clear();
        ownDeferred = false;
    }

    /** For the status: every peer being fenced, with its failures. */
    List<FenceStatus> status() {
        List<FenceStatus> s = new ArrayList<>();
        attempts.forEach((node, a) -> s.add(new FenceStatus(node, a.failures, a.lastFailure, a.dueAt < 0, a.dueAt)));
        return s;
    }

    /** A device status check asked for with {@link Effect.CheckDevice} finished. */
    void deviceChecked(String device, boolean ok, String detail) {
        check.done(device, ok, detail);
    }

    /** The device's health while its status is checked. */
    java.util.Optional<DeviceStatus> deviceStatus() {
        return check.status();
    }

    FencingPolicy policy() {
        return policy;
    }

    /**
     * Reload (tandem.cf): the race delay applies to fences begun from now on, {@code stonith_failure_takeover}
     * from the next failed attempt on, the check interval from the last check on. The device stays the
     * one the node started with (another device needs a restart).
     */
    void reconfigure(FencingPolicy next) {
        if (!next.device().equals(policy.device())) {
            throw new IllegalArgumentException("the fence device cannot change without a restart: " + policy.device()
                    + " -> " + next.device());
        }
        if (!next.equals(policy) && next.configured()) {
            out.log(Severity.INFO, HB, "Fencing settings now: fence_delay " + seconds(next.raceDelayMs()) + ", stonith_failure_takeover "
                    + (next.takeoverOnFailure() ? "yes" : "no") + ", device status "
                    + (next.checkIntervalMs() == 0 ? "not checked" : "checked every " + seconds(next.checkIntervalMs())) + " (reload).");
        }
        policy = next;
        check.reconfigure(next);
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
