package io.tandem.resources;

import io.tandem.config.Severity;
import io.tandem.resources.ResourceOp.Action;
import java.util.List;

/**
 * One {@code takegroup} or {@code givegroup} of one group, resource by resource, as heartbeat's
 * ResourceManager does it (docs/protocol.md 6.2):
 * <ul>
 *   <li>acquire: left to right, {@code status} then {@code start} unless status says running; a failed
 *       start logs {@code Giving up resources due to failure of R} and releases the whole group;</li>
 *   <li>release: right to left, {@code stop} of every resource (also those not running: stop must
 *       succeed then); a failed stop is retried {@code stopRetries} times, {@code stopRetryDelay} apart;
 *       when it still fails, {@code status} decides: not running = a non-LSB script, go on; running = a
 *       stop failure, the run ends at once leaving the rest of the group as it is.</li>
 * </ul>
 * At most one script operation is outstanding.
 */
final class GroupRun {
    /** How a run ended; {@code resource} names the failed resource. */
    record Outcome(Kind kind, String resource) {
        /**
         * SKIPPED: an acquisition that did not run because the group may not run here (monitoring).
         * ADDRESS_IN_USE: another host answered for an address of the group; the group was stopped again.
         */
        enum Kind { DONE, START_FAILED, STOP_FAILED, SKIPPED, ADDRESS_IN_USE }

        boolean ok() {
            return kind == Kind.DONE;
        }
    }

    /** Where a run writes its effects. */
    interface Out {
        void run(ResourceOp op);

        void log(Severity level, String source, String text);

        /**
         * Whether a probe of {@code resource}'s address begun before a peer's death stands for this acquisition's
         * {@code action} call ({@link AddressPreProbe}): a start asks once and uses it up. None by default.
         */
        default boolean preProbed(Action action, String resource) {
            return false;
        }
    }

    static final String RM = "ResourceManager";

    private final GroupSpec group;
    private final boolean acquire;
    /** Index of the first resource this run touches: 0 for a whole group, more for a restart in place. */
    private final int from;
    private final OwnershipConfig.Timers timers;
    private final Out out;
    private boolean releasing;
    private int index;
    private int retries;
    private long retryAt = -1;
    private ResourceOp pending;
    private String startFailure;
    /** The address resource another host answered for, or null. */
    private String addressInUse;
    private Outcome outcome;
    /** For an address-first release: the order of the stops (indexes), the position in it, and what runs once the addresses are down. */
    private List<Integer> releaseOrder;
    private int releasePos;
    private int addressCount;
    private Runnable afterAddresses;

    GroupRun(GroupSpec group, boolean acquire, OwnershipConfig.Timers timers, Out out) {
        this(group, acquire, 0, timers, out);
    }

    /**
     * A run over the resources from index {@code from} to the end only (a restart in place: the failed
     * resource and the ones started after it). A start failure still releases the whole group.
     */
    GroupRun(GroupSpec group, boolean acquire, int from, OwnershipConfig.Timers timers, Out out) {
        if (from < 0 || from >= group.resources().size()) {
            throw new IllegalArgumentException("no resource " + from + " in group " + group.key());
        }
        this.group = group;
        this.acquire = acquire;
        this.from = from;
        this.timers = timers;
        this.out = out;
    }

    GroupSpec group() {
        return group;
    }

    boolean acquire() {
        return acquire;
    }

    /**
     * Makes this whole-group release stop the group's address resources first (right to left among
     * them), then run {@code afterAddresses}, then stop the rest right to left: for a group that another
     * node runs too (healing, an address conflict), whose address the other holder serves already, so
     * that the address is not on two machines for the time of the other stops. Heartbeat's order
     * (right to left) stays for every other release. Without an address resource nothing changes.
     */
    GroupRun addressFirst(Runnable afterAddresses) {
        if (acquire || from != 0) {
            throw new IllegalStateException("address-first applies to a whole-group release only: " + group.key());
        }
        List<Integer> addresses = new java.util.ArrayList<>();
        List<Integer> rest = new java.util.ArrayList<>();
        for (int i = resources().size() - 1; i >= 0; i--) {
            (AddressGuard.isAddress(resources().get(i)) ? addresses : rest).add(i);
        }
        if (!addresses.isEmpty()) {
            releaseOrder = new java.util.ArrayList<>(addresses);
            releaseOrder.addAll(rest);
            addressCount = addresses.size();
            this.afterAddresses = afterAddresses;
        }
        return this;
    }

    /** The warm resources this release leaves running ({@link #keepRunning}); empty for every other run. */
    private List<String> kept = List.of();

    /**
     * Makes this whole-group release leave the given (warm) resources running and stop the others right
     * to left, heartbeat's order among them: the group moves to the peer through the standby handshake,
     * and a warm resource runs on the standby node too ({@link Warm}). Nothing changes when no resource of
     * the group is kept, or when every one would be (then the group is released whole).
     */
    GroupRun keepRunning(java.util.Set<String> warm) {
        if (acquire || from != 0 || releaseOrder != null) {
            throw new IllegalStateException("keep-running applies to a whole-group release only: " + group.key());
        }
        List<Integer> order = new java.util.ArrayList<>();
        List<String> keep = new java.util.ArrayList<>();
        for (int i = resources().size() - 1; i >= 0; i--) {
            if (warm.contains(resources().get(i))) {
                keep.add(0, resources().get(i));
            } else {
                order.add(i);
            }
        }
        if (!keep.isEmpty() && !order.isEmpty()) {
            releaseOrder = order;
            addressCount = 0;
            kept = List.copyOf(keep);
        }
        return this;
    }

    /** The warm resources this release leaves running. */
    List<String> kept() {
        return kept;
    }

    /** For an acquisition after the other node's {@code done}: whether that hand-over still stands ({@link #afterPeerDone}); else null. */
    private java.util.function.BooleanSupplier peerReleased;

    /**
     * Marks this whole-group acquisition as the taker's in a standby hand-over, after the other node
     * released the group and said so ({@code done}): while {@code stillHeard} is true when a call is
     * issued (the hand-over was not cancelled since: the peer not declared dead, not restarted, no
     * timeout), its {@code status} and {@code start} calls carry {@link ResourceOp#peerReleased()}, so
     * the daemon adds an address without the duplicate-address probe. Its stops (after a failed start)
     * never do.
     */
    GroupRun afterPeerDone(java.util.function.BooleanSupplier stillHeard) {
        if (!acquire || from != 0) {
            throw new IllegalStateException("after-done applies to a whole-group acquisition only: " + group.key());
        }
        peerReleased = stillHeard;
        return this;
    }

    /** Whether this run covers only part of the group (a restart in place). */
    boolean partial() {
        return from > 0;
    }

    void start() {
        if (acquire) {
            if (from == 0) {
                out.log(Severity.INFO, RM, "Acquiring resource group: " + group.line());
            } else {
                out.log(Severity.INFO, RM, "Starting again: " + String.join(" ", resources().subList(from, resources().size()))
                        + " of group " + group.key());
            }
            index = from;
            issue(Action.STATUS);
        } else if (from == 0) {
            beginRelease();
        } else {
            out.log(Severity.INFO, RM, "Stopping for a restart: " + String.join(" ", resources().subList(from, resources().size()))
                    + " of group " + group.key());
            releaseDownTo(from);
        }
    }

    /**
     * Whether the outstanding operation is the stop of an address resource and the last stop of this
     * whole-group release (a release, not the stop after a failed start): once it is done the run is over.
     */
    boolean lastStopIsAddress() {
        if (acquire || from != 0 || !releasing || startFailure != null || addressInUse != null || pending == null
                || pending.action() != Action.STOP || !AddressGuard.isAddress(pending.resource())) {
            return false;
        }
        return releaseOrder != null ? releasePos == releaseOrder.size() - 1 : index == releaseTo;
    }

    /** The outstanding operation, or null while waiting to retry a stop or when finished. */
    ResourceOp pending() {
        return pending;
    }

    Outcome outcome() {
        return outcome;
    }

    /** When a stop retry is due, or -1. */
    long deadline() {
        return retryAt;
    }

    void result(long now, OpResult result) {
        ResourceOp op = pending;
        pending = null;
        String res = op.resource();
        switch (op.action()) {
            case STATUS:
                if (!releasing) {
                    if (result == OpResult.RUNNING) {
                        nextAcquire();
                    } else {
                        issue(Action.START);
                    }
                } else if (result != OpResult.NOT_RUNNING) {
                    // running, or unknown (the status call failed or timed out): after failed stops it
                    // may still run, so the release must not go on as if it had stopped
                    outcome = new Outcome(Outcome.Kind.STOP_FAILED, res);
                } else {
                    out.log(Severity.ERROR, RM, "Resource script for " + res + " probably not LSB-compliant.");
                    out.log(Severity.WARN, RM, "it (" + res + ") MUST succeed on a stop when already stopped");
                    out.log(Severity.WARN, RM, "Machine reboot narrowly avoided!");
                    nextRelease();
                }
                break;
            case START:
                if (result == OpResult.OK) {
                    nextAcquire();
                } else if (result == OpResult.ADDRESS_IN_USE) {
                    addressInUse = res;
                    out.log(Severity.WARN, RM, "Not starting group " + group.key() + ": another host answers for the address of " + res + ".");
                    stopStarted();
                } else {
                    startFailure = res;
                    out.log(Severity.CRIT, RM, "Giving up resources due to failure of " + res);
                    beginRelease();
                }
                break;
            default:
                if (result == OpResult.OK) {
                    nextRelease();
                } else if (retries < timers.stopRetries()) {
                    retryAt = now + timers.stopRetryDelay();
                } else {
                    issue(Action.STATUS);
                }
                break;
        }
    }

    void tick(long now) {
        if (retryAt >= 0 && now >= retryAt) {
            retryAt = -1;
            retries++;
            out.log(Severity.INFO, RM, "Retrying failed stop operation [" + resources().get(index) + "]");
            issue(Action.STOP);
        }
    }

    private List<String> resources() {
        return group.resources();
    }

    private void nextAcquire() {
        index++;
        if (index >= resources().size()) {
            outcome = new Outcome(Outcome.Kind.DONE, null);
        } else {
            issue(Action.STATUS);
        }
    }

    /**
     * After {@link OpResult#ADDRESS_IN_USE}: not a failure of the group, so only what this run started
     * (left of the address resource) is stopped, right to left; the address itself was never added.
     */
    private void stopStarted() {
        if (index == from) {
            outcome = new Outcome(Outcome.Kind.ADDRESS_IN_USE, addressInUse);
            return;
        }
        out.log(Severity.INFO, RM, "Stopping what was started of group " + group.key() + ".");
        releasing = true;
        releaseTo = from;
        index--;
        retries = 0;
        issue(Action.STOP);
    }

    private void beginRelease() {
        out.log(Severity.INFO, RM, "Releasing resource group: " + group.line());
        if (!kept.isEmpty() && !acquire) {
            out.log(Severity.INFO, RM, "Leaving " + String.join(" ", kept) + " of group " + group.key()
                    + " running: it may run on both nodes (tandem.cf), so it stops only once the other node runs the group"
                    + " (a warm one runs on the standby node for good).");
            stopInReleaseOrder();
            return;
        }
        if (releaseOrder != null && !acquire) {
            out.log(Severity.INFO, RM, "Stopping " + String.join(" ", releaseOrder.subList(0, addressCount).stream().map(resources()::get).toList())
                    + " of group " + group.key() + " first: another node serves it already.");
            stopInReleaseOrder();
            return;
        }
        releaseDownTo(0);
    }

    /** Stops the group's resources in {@code releaseOrder}, from its first. */
    private void stopInReleaseOrder() {
        releasing = true;
        releaseTo = 0;
        releasePos = 0;
        index = releaseOrder.get(0);
        retries = 0;
        issue(Action.STOP);
    }

    private int releaseTo;

    private void releaseDownTo(int lowest) {
        releasing = true;
        releaseTo = lowest;
        index = resources().size() - 1;
        retries = 0;
        issue(Action.STOP);
    }

    private void nextRelease() {
        retries = 0;
        if (releaseOrder != null && !acquire) {
            releasePos++;
            if (releasePos == addressCount && afterAddresses != null) {
                Runnable then = afterAddresses;
                afterAddresses = null;
                then.run();
            }
            index = releasePos < releaseOrder.size() ? releaseOrder.get(releasePos) : releaseTo - 1;
        } else {
            index--;
        }
        if (index < releaseTo) {
            outcome = addressInUse != null ? new Outcome(Outcome.Kind.ADDRESS_IN_USE, addressInUse)
                    : startFailure == null ? new Outcome(Outcome.Kind.DONE, null) : new Outcome(Outcome.Kind.START_FAILED, startFailure);
        } else {
            issue(Action.STOP);
        }
    }

    private void issue(Action action) {
        String resource = resources().get(index);
        boolean afterDone = peerReleased != null && !releasing && peerReleased.getAsBoolean();
        // an acquisition's status and start of an address may take a probe begun before the peer's death (never a stop)
        boolean preProbed = acquire && !releasing && !afterDone && action != Action.STOP && AddressGuard.isAddress(resource)
                && out.preProbed(action, resource);
        pending = new ResourceOp(group.key(), resource, action, 0, afterDone, preProbed);
        out.run(pending);
    }
}
