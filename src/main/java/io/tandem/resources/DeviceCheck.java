package io.tandem.resources;

import io.tandem.config.Severity;
import static io.tandem.resources.Effects.HB;

import java.util.Optional;

/**
 * The periodic status check of the fence device, as Pacemaker monitors a stonith resource: every
 * {@link FencingPolicy#checkIntervalMs} (the first at the node's first event) the engine asks for
 * {@link Effect.CheckDevice}, the shell runs cluster-glue's {@code stonith -t TYPE ... -S} and answers
 * with {@link OwnershipEngine#deviceChecked}; the next check is due an interval after that answer, so
 * checks never overlap. A device that fails is logged at ERROR once, when it starts failing (not at
 * every interval), shown in the status until a check succeeds, and its recovery is logged. The check
 * decides nothing else: fencing still tries a failing device when a peer dies (the device may answer).
 */
final class DeviceCheck {
    /** What the last check said. */
    enum Health { UNKNOWN, OK, FAILED }

    private final OwnershipState state;
    private final Effects out;
    private FencingPolicy policy;
    /** When the next check starts; -1: at the next event (none done yet) or while one runs. */
    private long dueAt = -1;
    private boolean running;
    private Health health = Health.UNKNOWN;
    private String reason = "";
    private long lastCheckedAt = -1;
    private long failingSince = -1;

    DeviceCheck(OwnershipState state, Effects out, FencingPolicy policy) {
        this.state = state;
        this.out = out;
        this.policy = policy;
    }

    private boolean on() {
        return policy.checksDevice() && !state.shutdownInProgress;
    }

    /** Starts a check that is due (the first one at once). */
    void tick() {
        if (!on() || running || dueAt > state.now) {
            return;
        }
        running = true;
        dueAt = -1;
        out.add(new Effect.CheckDevice(policy.device()));
    }

    /** When the next check is due, or -1. */
    long deadline() {
        return on() && !running ? Math.max(dueAt, 0) : -1;
    }

    /** A check asked for with {@link Effect.CheckDevice} finished. */
    void done(String device, boolean ok, String detail) {
        if (!running || !device.equals(policy.device())) {
            out.log(Severity.DEBUG, HB, "Status of fencing device " + device + " ignored: no check of it was running.");
            return;
        }
        running = false;
        if (!policy.checksDevice()) {
            return; // turned off by a reload while it ran
        }
        lastCheckedAt = state.now;
        dueAt = state.now + policy.checkIntervalMs();
        String name = policy.device();
        if (ok) {
            if (health == Health.FAILED) {
                out.log(Severity.INFO, HB, "Fencing device " + name + ": status OK again (it failed for "
                        + seconds(state.now - failingSince) + ").");
            } else if (health == Health.UNKNOWN) {
                out.log(Severity.INFO, HB, "Fencing device " + name + ": status OK.");
            }
            health = Health.OK;
            reason = "";
            failingSince = -1;
            return;
        }
        String why = detail.isEmpty() ? "the stonith status command failed" : detail;
        if (health != Health.FAILED) {
            failingSince = state.now;
            out.log(Severity.ERROR, HB, "Fencing device " + name + ": status failed: " + why + ". A dead peer may not"
                    + " be fenced (and then not taken over) until it works; checked again every "
                    + seconds(policy.checkIntervalMs()) + ", logged again when it recovers.");
        }
        health = Health.FAILED;
        reason = why;
    }

    /** Reload: a new interval applies from the last check on; 0 stops checking and forgets the result. */
    void reconfigure(FencingPolicy next) {
        boolean was = policy.checksDevice();
        policy = next;
        if (!next.checksDevice()) {
            if (was) {
                out.log(Severity.INFO, HB, "Fencing device " + next.device() + ": status no longer checked.");
            }
            health = Health.UNKNOWN;
            reason = "";
            failingSince = -1;
            dueAt = -1;
            return;
        }
        if (!running) {
            dueAt = lastCheckedAt < 0 ? state.now : Math.max(state.now, lastCheckedAt + next.checkIntervalMs());
            tick();
        }
    }

    /** For the status: the device's health while it is checked. */
    Optional<DeviceStatus> status() {
        if (!policy.checksDevice()) {
            return Optional.empty();
        }
        return Optional.of(new DeviceStatus(policy.device(), health.name().toLowerCase(java.util.Locale.ROOT), reason,
                lastCheckedAt, failingSince, policy.checkIntervalMs()));
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
