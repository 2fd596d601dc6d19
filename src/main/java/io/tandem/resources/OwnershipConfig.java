package io.tandem.resources;

import io.tandem.config.FailbackMode;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What the ownership engine needs from ha.cf and haresources.
 *
 * @param localNode  this node's name (lower-case {@code uname -n})
 * @param nodes      every normal cluster node, this one included (ping nodes excluded)
 * @param autoFailback the {@code auto_failback} mode
 * @param groups     the haresources lines in file order
 * @param pid        the daemon's pid, for {@code Heartbeat shutdown in progress. (pid)}
 * @param stopFailure what to do when a resource cannot be stopped
 * @param timers     protocol delays
 * @param monitoring how running resources are checked ({@link MonitorPolicy#OFF}: not at all, as heartbeat)
 * @param fencing    how a dead peer is fenced before its groups are taken ({@link FencingPolicy#NONE}: not at all)
 * @param pingTiebreak the ping-node tiebreak ({@link PingTiebreak#OFF}: none, as heartbeat without ipfail)
 * @param warm       the resources (as written in haresources) that may run on both nodes and are kept running on
 *                   the standby node too ({@link Warm}; none: heartbeat's behaviour); never an address
 * @param mayRunTwice the resources (as written in haresources) that may run on both nodes for the time of a planned
 *                   move but are not kept on the standby node ({@link MakeBeforeBreak}); never an address
 */
public record OwnershipConfig(String localNode, List<String> nodes, FailbackMode autoFailback, List<GroupSpec> groups,
        long pid, StopFailurePolicy stopFailure, Timers timers, MonitorPolicy monitoring, FencingPolicy fencing, PingTiebreak pingTiebreak,
        Set<String> warm, Set<String> mayRunTwice) {

    /** No may-run-twice resources. */
    public OwnershipConfig(String localNode, List<String> nodes, FailbackMode autoFailback, List<GroupSpec> groups,
            long pid, StopFailurePolicy stopFailure, Timers timers, MonitorPolicy monitoring, FencingPolicy fencing, PingTiebreak pingTiebreak,
            Set<String> warm) {
        this(localNode, nodes, autoFailback, groups, pid, stopFailure, timers, monitoring, fencing, pingTiebreak, warm, Set.of());
    }

    /** No warm resources. */
    public OwnershipConfig(String localNode, List<String> nodes, FailbackMode autoFailback, List<GroupSpec> groups,
            long pid, StopFailurePolicy stopFailure, Timers timers, MonitorPolicy monitoring, FencingPolicy fencing, PingTiebreak pingTiebreak) {
        this(localNode, nodes, autoFailback, groups, pid, stopFailure, timers, monitoring, fencing, pingTiebreak, Set.of());
    }

    /** Without fencing (no STONITH device configured) and without the ping-node tiebreak. */
    public OwnershipConfig(String localNode, List<String> nodes, FailbackMode autoFailback, List<GroupSpec> groups,
            long pid, StopFailurePolicy stopFailure, Timers timers, MonitorPolicy monitoring) {
        this(localNode, nodes, autoFailback, groups, pid, stopFailure, timers, monitoring, FencingPolicy.NONE, PingTiebreak.OFF);
    }

    /** Without resource monitoring (heartbeat's behaviour). */
    public OwnershipConfig(String localNode, List<String> nodes, FailbackMode autoFailback, List<GroupSpec> groups,
            long pid, StopFailurePolicy stopFailure, Timers timers) {
        this(localNode, nodes, autoFailback, groups, pid, stopFailure, timers, MonitorPolicy.OFF);
    }

    public OwnershipConfig {
        Objects.requireNonNull(localNode, "localNode");
        Objects.requireNonNull(autoFailback, "autoFailback");
        Objects.requireNonNull(stopFailure, "stopFailure");
        Objects.requireNonNull(timers, "timers");
        Objects.requireNonNull(monitoring, "monitoring");
        Objects.requireNonNull(fencing, "fencing");
        Objects.requireNonNull(pingTiebreak, "pingTiebreak");
        warm = Set.copyOf(warm);
        mayRunTwice = Set.copyOf(mayRunTwice);
        for (String r : warm) {
            if (AddressGuard.isAddress(r)) {
                throw new IllegalArgumentException("an address can never be warm: " + r);
            }
        }
        for (String r : mayRunTwice) {
            if (AddressGuard.isAddress(r)) {
                throw new IllegalArgumentException("an address can never run twice: " + r);
            }
        }
        localNode = localNode.toLowerCase(Locale.ROOT);
        nodes = nodes.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
        groups = List.copyOf(groups);
        if (!nodes.contains(localNode)) {
            throw new IllegalArgumentException("local node " + localNode + " is not among the cluster nodes " + nodes);
        }
        Set<String> keys = new HashSet<>();
        for (GroupSpec g : groups) {
            if (!keys.add(g.key())) {
                throw new IllegalArgumentException("haresources: group key " + g.key() + " appears twice");
            }
            if (nodes.stream().noneMatch(g::preferredBy)) {
                throw new IllegalArgumentException("haresources: Bad nodename " + g.preferredNode() + " for group " + g.key());
            }
        }
    }

    /** Heartbeat's defaults with the HOLD stop-failure policy. */
    public static OwnershipConfig of(String localNode, List<String> nodes, FailbackMode mode, List<GroupSpec> groups, long pid) {
        return new OwnershipConfig(localNode, nodes, mode, groups, pid, StopFailurePolicy.HOLD, Timers.HEARTBEAT);
    }

    /** The same with another monitoring policy. */
    public OwnershipConfig withMonitoring(MonitorPolicy policy) {
        return new OwnershipConfig(localNode, nodes, autoFailback, groups, pid, stopFailure, timers, policy, fencing, pingTiebreak, warm, mayRunTwice);
    }

    /** The same with another fencing policy. */
    public OwnershipConfig withFencing(FencingPolicy policy) {
        return new OwnershipConfig(localNode, nodes, autoFailback, groups, pid, stopFailure, timers, monitoring, policy, pingTiebreak, warm, mayRunTwice);
    }

    /** The same with the ping-node tiebreak. */
    public OwnershipConfig withPingTiebreak(PingTiebreak tiebreak) {
        return new OwnershipConfig(localNode, nodes, autoFailback, groups, pid, stopFailure, timers, monitoring, fencing, tiebreak, warm, mayRunTwice);
    }

    /** The same with these warm resources ({@link Warm}). */
    public OwnershipConfig withWarm(Set<String> resources) {
        return new OwnershipConfig(localNode, nodes, autoFailback, groups, pid, stopFailure, timers, monitoring, fencing, pingTiebreak, resources, mayRunTwice);
    }

    /** The same with these may-run-twice resources ({@link MakeBeforeBreak}). */
    public OwnershipConfig withMayRunTwice(Set<String> resources) {
        return new OwnershipConfig(localNode, nodes, autoFailback, groups, pid, stopFailure, timers, monitoring, fencing, pingTiebreak, warm,
                resources);
    }

    /**
     * Whether {@code resource} may run on both nodes at once: warm or may-run-twice. A planned move starts
     * it on the taker before the address step and stops it on the giver after it ({@link MakeBeforeBreak}).
     */
    public boolean canRunTwice(String resource) {
        return warm.contains(resource) || mayRunTwice.contains(resource);
    }

    /** The warm and may-run-twice resources together. */
    Set<String> overlapping() {
        Set<String> all = new HashSet<>(warm);
        all.addAll(mayRunTwice);
        return all;
    }

    /** Whether {@code resource} (as written in haresources) is warm. */
    public boolean isWarm(String resource) {
        return warm.contains(resource);
    }

    /**
     * Protocol delays in ms, heartbeat's values in {@link #HEARTBEAT}.
     *
     * @param localTakeover     RQSTDELAY: in RSCRCVD, take our own groups after this if nobody got stable
     * @param standbyReply      how long a standby requester waits for the peer's {@code other}
     * @param standbyResources  how long a running standby handshake may take
     * @param autoFailbackRetry delay between {@code Auto failback delayed.} retries
     * @param stopRetryDelay    pause before retrying a failed stop
     * @param stopRetries       retries of a failed stop (HA_STOPRETRYMAX)
     * @param failedStartStandby delay before a node whose start failed asks the peer to take the group
     */
    public record Timers(long localTakeover, long standbyReply, long standbyResources, long autoFailbackRetry,
            long stopRetryDelay, int stopRetries, long failedStartStandby) {
        public static final Timers HEARTBEAT = new Timers(10_000, 10_000, 3_600_000, 1_000, 1_000, 10, 30_000);
    }
}
