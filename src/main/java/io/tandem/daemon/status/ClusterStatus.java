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
                            Map<String, String> parameters) {

    /** One cluster member or ping node as this node sees it. */
    public record NodeState(String name, boolean ping, String status, List<LinkState> links) {
        public String type() {
            return ping ? "ping" : "normal";
        }
    }

    /** One heartbeat link to a node: the medium's name and whether packets arrive on it. */
    public record LinkState(String name, boolean up) {
        public String status() {
            return up ? "up" : "dead";
        }
    }

    /** One resource group: its key (first resource), preferred node, who runs it now and in what state. */
    public record GroupState(String key, String preferredNode, String owner, String state, List<String> resources) {
    }

    public Optional<NodeState> node(String name) {
        return nodes.stream().filter(n -> n.name().equalsIgnoreCase(name)).findFirst();
    }
}
