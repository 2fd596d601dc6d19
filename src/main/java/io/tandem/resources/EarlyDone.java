package io.tandem.resources;

import io.tandem.config.Severity;
import static io.tandem.resources.Effects.HB;

import java.util.List;

/**
 * The giver of a standby hand-over says {@code done} as soon as the address it releases last is gone
 * (docs/ownership.md, "Done at address-gone"): the daemon's address step removed it, stopped every
 * announcement of it from this node ({@code send_arp}, arping) and found it on no interface
 * ({@code NodeEvent.AddressReleased}); the rest of heartbeat's IPaddr stop script runs after {@code done}.
 * Heartbeat's giver says it after that script. Every other resource of the release keeps heartbeat's
 * order: the address is the release's last stop (right to left), so the others are down already.
 *
 * <p>A stop that fails after that {@code done} is a failed stop of a group this node no longer holds: the
 * taker may be adding the address already, so the group is never started here again (no retake, no
 * {@code standby-aborted}); with {@code stop_failure reboot} the node reboots as for any failed stop,
 * else the failure is logged and the hand-over goes on. The status that decides (after the retries) sees
 * the address absent in the normal case, and the release then ends as for a non-LSB script.
 */
final class EarlyDone {
    private EarlyDone() {
    }

    /** The log line of a {@code done} said at address-gone, before the last stop's script ended. */
    static String line(ResourceSet set) {
        return "Standby: the addresses of [" + set.wire() + "] are gone and no longer announced from this node:"
                + " done before the end of their stop script.";
    }

    /** The group's stop failed after the {@code done} said at address-gone (see the class comment). */
    static void stopFailed(OwnershipState state, Effects out, Giveup giveup, GroupSpec g, GroupRun.Outcome o) {
        out.log(Severity.ERROR, GroupRun.RM, "Stop of " + o.resource() + " of group " + g.key() + " failed after this node said done"
                + " (its address was gone): the group belongs to the other node now and is not started here again.");
        if (state.cfg.stopFailure() == StopFailurePolicy.REBOOT) {
            giveup.stopFailed(g, o, List.of(), () -> { });
            return;
        }
        out.log(Severity.CRIT, HB, "Resource STOP failure: " + o.resource() + " of group " + g.key() + " may still run here; it is left"
                + " as it is (stop_failure hold). Check this node.");
    }
}
