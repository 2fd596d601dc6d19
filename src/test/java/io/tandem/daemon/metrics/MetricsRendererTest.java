package io.tandem.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.daemon.history.StoredEvent;
import io.tandem.daemon.status.ClusterStatus;
import io.tandem.membership.PeerCounters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The renderer's text: every family, values from the snapshot, histograms cumulative, and hostile
 * names (a peer's node name or a link with a newline, a quote, a backslash, control characters)
 * escaped so that they neither end a line nor add a label or a sample; {@code promtool check metrics}
 * accepts the whole text.
 */
class MetricsRendererTest {
    private static final long T0 = 1_800_000_000_000L;
    private static final String HOSTILE = "evil\"} 1\nfake_metric{x=\"y\\";

    @Test
    void renders_every_family_from_the_snapshot() throws Exception {
        String text = MetricsRenderer.render(snapshot("node2", "eth1", T0 + 65_500), T0 + 65_500);
        assertThat(text).contains("# TYPE tandem_node_up gauge\n")
                .contains("tandem_daemon_uptime_seconds 65.5\n")
                .contains("tandem_daemon_generation 17\n")
                .contains("tandem_metrics_snapshot_age_seconds 0.5\n")
                .contains("tandem_node_up{node=\"node1\",type=\"normal\"} 1\n")
                .contains("tandem_node_up{node=\"node2\",type=\"normal\"} 0\n")
                .contains("tandem_node_status{node=\"node2\",status=\"dead\"} 1\n")
                .contains("tandem_link_up{node=\"node2\",link=\"eth1\"} 0\n")
                .contains("tandem_link_heartbeat_age_seconds{node=\"node2\",link=\"eth1\"} 15.5\n")
                .contains("tandem_heartbeats_late_total{node=\"node2\"} 3\n")
                .contains("tandem_heartbeats_lost_total{node=\"node2\"} 7\n")
                .contains("tandem_retransmit_requests_sent_total{node=\"node2\"} 5\n")
                .contains("tandem_retransmits_served_total{node=\"node2\"} 2\n")
                .contains("tandem_rejected_packets_total{reason=\"bad_auth\"} 42\n")
                .contains("tandem_rejected_packets_total{reason=\"replay\"} 0\n")
                .contains("tandem_group_state{group=\"IPaddr::192.0.2.1\",state=\"running\"} 1\n")
                .contains("tandem_group_state{group=\"apache2\",state=\"address in use\"} 1\n")
                .contains("tandem_group_held{group=\"IPaddr::192.0.2.1\"} 1\n")
                .contains("tandem_group_owner{group=\"IPaddr::192.0.2.1\",node=\"node1\"} 1\n")
                .contains("tandem_resource_health{group=\"IPaddr::192.0.2.1\",resource=\"IPaddr::192.0.2.1\",health=\"failed\"} 1\n")
                .contains("tandem_resource_failures{group=\"IPaddr::192.0.2.1\",resource=\"IPaddr::192.0.2.1\"} 2\n")
                .contains("tandem_resource_operation_duration_seconds_bucket{agent=\"IPaddr\",action=\"start\",result=\"ok\",le=\"0.01\"} 0\n")
                .contains("tandem_resource_operation_duration_seconds_bucket{agent=\"IPaddr\",action=\"start\",result=\"ok\",le=\"0.25\"} 1\n")
                .contains("tandem_resource_operation_duration_seconds_bucket{agent=\"IPaddr\",action=\"start\",result=\"ok\",le=\"+Inf\"} 2\n")
                .contains("tandem_resource_operation_duration_seconds_sum{agent=\"IPaddr\",action=\"start\",result=\"ok\"} 12.2\n")
                .contains("tandem_resource_operation_duration_seconds_count{agent=\"IPaddr\",action=\"start\",result=\"ok\"} 2\n")
                .contains("tandem_failovers_total{decision=\"takeover\",cause=\"node_dead\"} 1\n")
                .contains("tandem_monitor_failures_total{group=\"IPaddr::192.0.2.1\",resource=\"IPaddr::192.0.2.1\"} 1\n")
                .contains("tandem_event_history_entries 123\n")
                .contains("tandem_notify_hooks_total{result=\"timeout\"} 1\n")
                .contains("tandem_notify_hooks_dropped_total 4\n");
        // the local node's counters are not a peer's
        assertThat(text).doesNotContain("tandem_heartbeats_late_total{node=\"node1\"}");
        assertPromtoolAccepts(text);
    }

    @Test
    void hostile_node_and_link_names_stay_inside_their_label() throws Exception {
        String text = MetricsRenderer.render(snapshot(HOSTILE, "l\"i\\n\nk\r\u0000\u0007", T0 + 1000), T0 + 1000);
        assertThat(text).contains("tandem_node_up{node=\"evil\\\"} 1\\nfake_metric{x=\\\"y\\\\\",type=\"normal\"} 0\n")
                .contains("link=\"l\\\"i\\\\n\\nk\uFFFD\uFFFD\uFFFD\"}");
        assertThat(text.lines()).noneMatch(l -> l.startsWith("fake_metric"));
        assertThat(text.lines()).allMatch(l -> l.startsWith("# HELP tandem_") || l.startsWith("# TYPE tandem_") || l.startsWith("tandem_"));
        assertPromtoolAccepts(text);
    }

    @Test
    void escapes_help_and_formats_numbers_as_the_format_says() {
        ExpositionWriter w = new ExpositionWriter();
        w.family("tandem_x", "gauge", "a \\ b\nc").sample("tandem_x", Double.NaN).sample("tandem_x", Double.POSITIVE_INFINITY, "a", "1")
                .sample("tandem_x", 0.125, "a", "2").sample("tandem_x", 3.0, "a", "3");
        w.family("tandem_empty", "counter", "never sampled: left out");
        assertThat(w.text()).isEqualTo("# HELP tandem_x a \\\\ b\\nc\n# TYPE tandem_x gauge\ntandem_x NaN\ntandem_x{a=\"1\"} +Inf\n"
                + "tandem_x{a=\"2\"} 0.125\ntandem_x{a=\"3\"} 3\n");
    }

    private static void assertPromtoolAccepts(String text) throws Exception {
        assumeTrue(Promtool.find().isPresent(), Promtool.MISSING);
        Promtool.Result r = Promtool.checkMetrics(text);
        assertThat(r.exitCode()).as("promtool check metrics:\n" + r.output() + "\non:\n" + text).isZero();
    }

    /** node1 (this node) runs IPaddr; the peer (named {@code peer}) is dead, last heard on {@code link} 15.5 s before {@code now}, the snapshot taken 0.5 s before it. */
    static MetricsSnapshot snapshot(String peer, String link, long now) {
        ClusterStatus.NodeState n1 = new ClusterStatus.NodeState("node1", false, "active", List.of(new ClusterStatus.LinkState(link, true)));
        ClusterStatus.NodeState n2 = new ClusterStatus.NodeState(peer, false, "dead", List.of(new ClusterStatus.LinkState(link, false)));
        ClusterStatus.ResourceState health = new ClusterStatus.ResourceState("IPaddr::192.0.2.1", "failed", 10_000, 1000, 2, 3, 0,
                "not running", 500, 0);
        List<ClusterStatus.GroupState> groups = List.of(
                new ClusterStatus.GroupState("IPaddr::192.0.2.1", "node1", "node1", "running", List.of("IPaddr::192.0.2.1"), List.of(health)),
                new ClusterStatus.GroupState("apache2", peer, "", "address in use by 52:54:00:12:34:56", List.of("apache2")));
        ClusterStatus status = new ClusterStatus("node1", "active", 17, T0, T0 + 500, "tandem 0.1.0", "local", List.of(n1, n2), groups,
                Map.of(), List.of(new ClusterStatus.Rejected("bad_auth", "packets with invalid authentication", 42)));
        Tallies t = new Tallies();
        t.operation("IPaddr::192.0.2.1", "start", "ok", 200);
        t.operation("IPaddr::192.0.2.1", "start", "ok", 12_000);
        t.operation("apache2", "status", "running", 5);
        t.event(new StoredEvent(T0, "node1", 17, 1, "node-dead", peer, "silent", Map.of()));
        t.event(new StoredEvent(T0, "node1", 17, 2, "group", "IPaddr::192.0.2.1", "node-dead", Map.of("from", "stopped", "to", "starting",
                "after", "1")));
        t.event(new StoredEvent(T0, "node1", 17, 3, "group", "IPaddr::192.0.2.1", "x", Map.of("from", "starting", "to", "running")));
        t.event(new StoredEvent(T0, "node1", 17, 4, "op", "IPaddr::192.0.2.1/IPaddr::192.0.2.1", "status not_running",
                Map.of("group", "IPaddr::192.0.2.1", "resource", "IPaddr::192.0.2.1", "action", "status", "result", "not_running")));
        PeerCounters c2 = new PeerCounters(3, 7, 5, 2, Map.of(link, now - 15_500));
        PeerCounters c1 = new PeerCounters(0, 0, 0, 0, Map.of(link, now - 100));
        return new MetricsSnapshot(status, Map.of("node1", c1, peer, c2), t.copy(), 123, Map.of("ok", 3L, "timeout", 1L), 4, now - 500);
    }
}
