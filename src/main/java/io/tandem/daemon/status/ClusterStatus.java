package io.tandem.daemon.status;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of what the daemon knows, taken on the event-loop thread and rendered by the
 * operator commands ({@code tandem status}, {@code cl_status}).
 *
 * @param rscStatus    what this node holds: {@code local}, {@code foreign}, {@code all}, {@code none}
 *                     or {@code transition}
 * @param parameters   ha.cf parameters as configured, for {@code cl_status hbparameter}
 */
public record ClusterStatus(String localNode, String localStatus, long generation, long startedAtMillis, long nowMillis,
                            String version, String rscStatus, List<NodeState> nodes, List<GroupState> groups,
                            Map<String, String> parameters, List<Rejected> rejected, Fencing fencing, Tiebreak tiebreak) {

    public ClusterStatus(String localNode, String localStatus, long generation, long startedAtMillis, long nowMillis, String version,
                         String rscStatus, List<NodeState> nodes, List<GroupState> groups, Map<String, String> parameters,
                         List<Rejected> rejected) {
        this(localNode, localStatus, generation, startedAtMillis, nowMillis, version, rscStatus, nodes, groups, parameters, rejected,
                Fencing.NONE, Tiebreak.OFF);
    }

    /** With fencing, without the ping-node tiebreak. */
    public ClusterStatus(String localNode, String localStatus, long generation, long startedAtMillis, long nowMillis, String version,
                         String rscStatus, List<NodeState> nodes, List<GroupState> groups, Map<String, String> parameters,
                         List<Rejected> rejected, Fencing fencing) {
        this(localNode, localStatus, generation, startedAtMillis, nowMillis, version, rscStatus, nodes, groups, parameters, rejected,
                fencing, Tiebreak.OFF);
    }

    /** With the ping-node tiebreak, without fencing. */
    public ClusterStatus(String localNode, String localStatus, long generation, long startedAtMillis, long nowMillis, String version,
                         String rscStatus, List<NodeState> nodes, List<GroupState> groups, Map<String, String> parameters,
                         List<Rejected> rejected, Tiebreak tiebreak) {
        this(localNode, localStatus, generation, startedAtMillis, nowMillis, version, rscStatus, nodes, groups, parameters, rejected,
                Fencing.NONE, tiebreak);
    }

    /**
     * The STONITH device this node fences with ({@code ""}: none), the dead peers it is fencing now and what
     * the device's periodic status check says ({@code check}: null while it is not checked).
     */
    public record Fencing(String device, boolean failureTakeover, List<Fence> pending, DeviceCheck check) {
        public static final Fencing NONE = new Fencing("", false, List.of());

        public Fencing {
            pending = List.copyOf(pending);
        }

        public Fencing(String device, boolean failureTakeover, List<Fence> pending) {
            this(device, failureTakeover, pending, null);
        }
    }

    /**
     * The fence device's periodic status check ({@code stonith -S}): {@code health} {@code unknown}, {@code ok} or
     * {@code failed}; {@code text} is {@code fencing device X: status failed: <why>} and the like;
     * {@code lastCheckAgoMs} -1 before the first check.
     */
    public record DeviceCheck(String health, String reason, long lastCheckAgoMs, long intervalMs, String text) {
    }

    /**
     * A dead peer being fenced: {@code text} is {@code fencing node1 failed: <why>} once an attempt failed;
     * {@code nextTryInMs} is -1 while an attempt runs.
     */
    public record Fence(String node, int failures, String lastFailure, boolean running, long nextTryInMs, String text) {
    }

    /**
     * The ping-node tiebreak: whether it acts, ping nodes reachable of configured, what the peer last
     * said (-1 unknown) and, when a takeover waits for a ping node, why ({@code holdingBack}, else null).
     */
    public record Tiebreak(boolean active, int reachable, int pingNodes, int peerReachable, String holdingBack) {
        public static final Tiebreak OFF = new Tiebreak(false, 0, 0, -1, null);
    }

    public ClusterStatus(String localNode, String localStatus, long generation, long startedAtMillis, long nowMillis, String version,
                         String rscStatus, List<NodeState> nodes, List<GroupState> groups, Map<String, String> parameters) {
        this(localNode, localStatus, generation, startedAtMillis, nowMillis, version, rscStatus, nodes, groups, parameters, List.of(),
                Fencing.NONE, Tiebreak.OFF);
    }

    /** Input from the network refused since the start, per reason: its key (e.g. {@code bad_auth}), its words, the count. */
    public record Rejected(String reason, String label, long count) {
    }

    /** One cluster member or ping node as this node sees it. */
    public record NodeState(String name, boolean ping, String status, List<LinkState> links) {
        public String type() {
            return ping ? "ping" : "normal";
        }
    }

    /**
     * One heartbeat link to a node: the medium's name, whether packets arrive on it, and how long ago
     * the last one did ({@code heartbeatAgeMs}, -1: never, or this node's own links).
     */
    public record LinkState(String name, boolean up, long heartbeatAgeMs) {
        public LinkState(String name, boolean up) {
            this(name, up, -1);
        }

        public String status() {
            return up ? "up" : "dead";
        }
    }

    /**
     * One resource group: its key (first resource), preferred node, who runs it now and in what state,
     * and what monitoring knows of each resource on this node.
     */
    public record GroupState(String key, String preferredNode, String owner, String state, List<String> resources,
                             List<ResourceState> health) {
        public GroupState(String key, String preferredNode, String owner, String state, List<String> resources) {
            this(key, preferredNode, owner, state, resources, List.of());
        }
    }

    /**
     * Monitoring of one resource on this node.
     *
     * @param health        {@code ok}, {@code failed}, {@code pending} (running, not checked yet) or
     *                      {@code not watched} (not running here, or not monitored)
     * @param intervalMs    0 when the resource is not monitored
     * @param lastCheckAgoMs -1 when never checked
     * @param lastFailure   null when it has not failed (or its failures were cleared)
     * @param lastFailureAgoMs -1 when it has not failed
     * @param bannedForMs   how long the group may not run here any more, 0 when it may
     */
    public record ResourceState(String resource, String health, long intervalMs, long lastCheckAgoMs, int failCount, int threshold,
                                long failureTimeoutMs, String lastFailure, long lastFailureAgoMs, long bannedForMs) {
    }

    public Optional<NodeState> node(String name) {
        return nodes.stream().filter(n -> n.name().equalsIgnoreCase(name)).findFirst();
    }
}
