package io.tandem.sim;

import io.tandem.resources.PingTiebreak;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ping node of a simulated cluster (a gateway, {@link #GATEWAY}) and which nodes reach it. Like the
 * daemon, which pings with every status message, a node that reaches it gets an answer every keepalive;
 * a node cut off from it ({@link #cutOff}) gets none until {@link #reconnect}. A frozen daemon gets no
 * answers (the real one would read them late; the simulation leaves that out).
 */
final class PingWorld {
    static final String GATEWAY = "gw";

    private final Cluster cluster;
    private final long deadping;
    private final PingTiebreak tiebreak;
    /** Since when a node has been cut off from the gateway (absent: it reaches it). */
    private final Map<String, Long> cutOffSince = new HashMap<>();
    /** Nodes that run without the tiebreak. */
    final java.util.Set<String> withoutTiebreak = new java.util.HashSet<>();

    PingWorld(Cluster cluster, long deadping, PingTiebreak tiebreak) {
        this.cluster = cluster;
        this.deadping = deadping;
        this.tiebreak = tiebreak;
    }

    List<String> names() {
        return List.of(GATEWAY);
    }

    long deadping() {
        return deadping;
    }

    /** The node's tiebreak: off for a node that stands for a heartbeat 3.0.6 peer (it never says what it reaches). */
    PingTiebreak tiebreak(String node) {
        return withoutTiebreak.contains(node) ? PingTiebreak.OFF : tiebreak;
    }

    PingTiebreak tiebreak() {
        return tiebreak;
    }

    /** A daemon started: it pings with every status message from now on, for this life. */
    void started(Cluster.Node n) {
        int life = n.life;
        answer(n, life, cluster.now + 1);
    }

    private void answer(Cluster.Node n, int life, long at) {
        cluster.at(at, () -> {
            if (!n.up() || n.life != life) {
                return;
            }
            if (!cutOffSince.containsKey(n.name) && n.live()) {
                cluster.pingReply(n, GATEWAY);
            }
            answer(n, life, cluster.now + cluster.settings.keepalive());
        });
    }

    void cutOff(String node) {
        if (!cutOffSince.containsKey(node)) {
            cutOffSince.put(node, cluster.now);
            cluster.note(cluster.nodes.get(node), "PING CUT OFF");
        }
    }

    void reconnect(String node) {
        if (cutOffSince.remove(node) != null) {
            cluster.note(cluster.nodes.get(node), "PING BACK");
        }
    }

    boolean reaches(String node) {
        return !cutOffSince.containsKey(node);
    }

    /** How long the node has been cut off, -1 when it reaches the gateway. */
    long cutOffFor(String node) {
        Long since = cutOffSince.get(node);
        return since == null ? -1 : cluster.now - since;
    }
}
