package io.tandem.daemon.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one-line summary systemd shows: this node, what it holds, each peer; ping nodes left out. */
class StatusLineTest {
    private static ClusterStatus status(String local, String rsc, List<ClusterStatus.NodeState> nodes) {
        return new ClusterStatus("node1", local, 5, 0, 1000, "tandem", rsc, nodes, List.of(), Map.of(), List.of());
    }

    @Test
    void names_the_local_state_the_held_set_and_each_peer_but_not_ping_nodes() {
        ClusterStatus s = status("active", "all", List.of(new ClusterStatus.NodeState("node1", false, "active", List.of()),
                new ClusterStatus.NodeState("node2", false, "dead", List.of()),
                new ClusterStatus.NodeState("192.0.2.254", true, "ping", List.of())));
        assertThat(StatusLine.of(s)).isEqualTo("active, holds [all], peer node2 dead");
    }

    @Test
    void a_long_line_is_cut_and_a_newline_cannot_start_another_notification_field() {
        String name = "n\nREADY=1" + "x".repeat(300);
        ClusterStatus s = status("active", "none", List.of(new ClusterStatus.NodeState(name, false, "active", List.of())));
        String line = StatusLine.of(s);
        assertThat(line).doesNotContain("\n").hasSize(StatusLine.MAX).endsWith("...");
        assertThat(line).startsWith("active, holds [none], peer n READY=1x");
    }
}
