package io.tandem.daemon.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.daemon.status.ClusterStatus.NodeState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code tandem status} says what the ping-node tiebreak knows and why a takeover waits (text and JSON). */
class TiebreakStatusTest {
    private static ClusterStatus status(ClusterStatus.Tiebreak t) {
        return new ClusterStatus("node2", "active", 7, 0, 65_000, "tandem dev", "none",
                List.of(new NodeState("node1", false, "dead", List.of()), new NodeState("192.0.2.254", true, "dead", List.of())),
                List.of(), Map.of(), List.of(), t);
    }

    @Test
    void a_held_back_takeover_is_shown_with_its_reason() {
        ClusterStatus s = status(new ClusterStatus.Tiebreak(true, 0, 1, -1,
                "not taking over: no ping node reachable (dead: node1)"));
        assertThat(StatusText.human(s)).contains("Ping-node tiebreak: 0 of 1 ping nodes reachable here, peer: unknown",
                "  not taking over: no ping node reachable (dead: node1)");
        assertThat(StatusText.json(s)).contains("\"tiebreak\":{\"active\":true,\"reachable\":0,\"ping_nodes\":1,"
                + "\"peer_reachable\":null,\"holding_back\":\"not taking over: no ping node reachable (dead: node1)\"}");
    }

    @Test
    void nothing_held_back_and_the_peers_count() {
        ClusterStatus s = status(new ClusterStatus.Tiebreak(true, 1, 1, 1, null));
        assertThat(StatusText.human(s)).contains("Ping-node tiebreak: 1 of 1 ping nodes reachable here, peer: 1")
                .doesNotContain("not taking over");
        assertThat(StatusText.json(s)).contains("\"peer_reachable\":1,\"holding_back\":null}");
    }

    @Test
    void off_says_nothing_in_text() {
        ClusterStatus s = status(ClusterStatus.Tiebreak.OFF);
        assertThat(StatusText.human(s)).doesNotContain("tiebreak");
        assertThat(StatusText.json(s)).contains("\"tiebreak\":{\"active\":false,");
    }
}
