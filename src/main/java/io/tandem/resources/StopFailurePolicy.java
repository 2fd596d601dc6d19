package io.tandem.resources;

/**
 * What to do when a resource cannot be stopped (every retry failed and its status still says
 * running). Heartbeat reboots the machine at once. Tandem never lets the peer start the group while
 * it may still run here: by default it keeps the group (restarts what it had stopped, goes on
 * announcing that it holds it and cancels the move); {@code REBOOT} emits {@link Effect.Reboot} for
 * the daemon to reboot the machine, as heartbeat does.
 */
public enum StopFailurePolicy {
    HOLD, REBOOT
}
