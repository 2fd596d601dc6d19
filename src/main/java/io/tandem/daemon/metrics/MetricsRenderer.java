package io.tandem.daemon.metrics;

import io.tandem.daemon.status.ClusterStatus;
import io.tandem.membership.PeerCounters;
import io.tandem.wire.RejectReason;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link MetricsSnapshot} as Prometheus' text format (docs/observability.md lists every
 * family). Ages and the uptime are taken against {@code now}, the daemon clock at rendering, so they
 * keep rising while a snapshot is not replaced (a stuck event loop shows as a growing
 * {@code tandem_metrics_snapshot_age_seconds}). Pure: no I/O, no clock.
 */
public final class MetricsRenderer {
    private MetricsRenderer() {
    }

    public static String render(MetricsSnapshot s, long now) {
        ExpositionWriter w = new ExpositionWriter();
        ClusterStatus st = s.status();
        String local = st.localNode();
        w.family("tandem_daemon_info", "gauge", "This daemon: its node name and version (always 1).")
                .sample("tandem_daemon_info", 1, "node", local, "version", st.version());
        w.family("tandem_daemon_uptime_seconds", "gauge", "Seconds since this daemon started.")
                .sample("tandem_daemon_uptime_seconds", seconds(now - st.startedAtMillis()));
        w.family("tandem_daemon_generation", "gauge", "This daemon's heartbeat generation (hb_generation), one more at each start.")
                .sample("tandem_daemon_generation", st.generation());
        w.family("tandem_metrics_snapshot_age_seconds", "gauge",
                        "Age of the snapshot these metrics come from (published by the event loop every second).")
                .sample("tandem_metrics_snapshot_age_seconds", seconds(now - s.takenAt()));
        nodes(w, s, now);
        w.family("tandem_rejected_packets_total", "counter", "Packets and messages from the network refused since the start, by reason.");
        Map<String, Long> rejected = new java.util.HashMap<>();
        st.rejected().forEach(r -> rejected.put(r.reason(), r.count()));
        for (RejectReason r : RejectReason.values()) {
            String key = r.name().toLowerCase(Locale.ROOT);
            w.sample("tandem_rejected_packets_total", rejected.getOrDefault(key, 0L), "reason", key);
        }
        groups(w, st);
        tallies(w, s.tallies());
        w.family("tandem_event_history_entries", "gauge", "Entries of the event history kept in memory (tandem events).")
                .sample("tandem_event_history_entries", s.historyEntries());
        w.family("tandem_notify_hooks_total", "counter", "Notify hooks run, by how they ended (ok, failed, timeout, error).");
        for (String result : List.of("ok", "failed", "timeout", "error")) {
            w.sample("tandem_notify_hooks_total", s.hookRuns().getOrDefault(result, 0L), "result", result);
        }
        w.family("tandem_notify_hooks_dropped_total", "counter", "Notify hooks not run because their queue was full.")
                .sample("tandem_notify_hooks_dropped_total", s.hooksDropped());
        return w.text();
    }

    private static void nodes(ExpositionWriter w, MetricsSnapshot s, long now) {
        List<ClusterStatus.NodeState> nodes = s.status().nodes();
        String local = s.status().localNode();
        w.family("tandem_node_up", "gauge", "1 while the node (or ping node) is not dead as this node sees it.");
        for (ClusterStatus.NodeState n : nodes) {
            w.sample("tandem_node_up", n.status().equals("dead") ? 0 : 1, "node", n.name(), "type", n.type());
        }
        w.family("tandem_node_status", "gauge", "The node's status word as this node sees it (init, up, active, dead, ...), always 1.");
        for (ClusterStatus.NodeState n : nodes) {
            w.sample("tandem_node_status", 1, "node", n.name(), "status", n.status());
        }
        w.family("tandem_link_up", "gauge", "1 while packets arrive from the node on the link (for this node: its own broadcasts come back).");
        for (ClusterStatus.NodeState n : nodes) {
            for (ClusterStatus.LinkState l : n.links()) {
                w.sample("tandem_link_up", l.up() ? 1 : 0, "node", n.name(), "link", l.name());
            }
        }
        w.family("tandem_link_heartbeat_age_seconds", "gauge", "Seconds since the last packet from the node arrived on the link (links heard since the start).");
        for (ClusterStatus.NodeState n : nodes) {
            Map<String, Long> heard = s.counters(n.name()).linkLastHeard();
            for (ClusterStatus.LinkState l : n.links()) {
                Long at = heard.get(l.name());
                if (at != null) {
                    w.sample("tandem_link_heartbeat_age_seconds", seconds(Math.max(0, now - at)), "node", n.name(), "link", l.name());
                }
            }
        }
        peerCounter(w, nodes, local, s, "tandem_heartbeats_late_total", "Status messages from the node that came later than warntime.",
                PeerCounters::lateHeartbeats);
        peerCounter(w, nodes, local, s, "tandem_heartbeats_lost_total", "Messages of the node never received (gaps in its sequence numbers).",
                PeerCounters::lostPackets);
        peerCounter(w, nodes, local, s, "tandem_retransmit_requests_sent_total", "Retransmissions this node asked of the node.",
                PeerCounters::retransmitRequests);
        peerCounter(w, nodes, local, s, "tandem_retransmits_served_total", "Messages this node sent again at the node's request.",
                PeerCounters::retransmitsServed);
    }

    private static void peerCounter(ExpositionWriter w, List<ClusterStatus.NodeState> nodes, String local, MetricsSnapshot s, String name,
                                    String help, java.util.function.ToLongFunction<PeerCounters> value) {
        w.family(name, "counter", help);
        for (ClusterStatus.NodeState n : nodes) {
            if (!n.ping() && !n.name().equalsIgnoreCase(local)) {
                w.sample(name, value.applyAsLong(s.counters(n.name())), "node", n.name());
            }
        }
    }

    private static void groups(ExpositionWriter w, ClusterStatus st) {
        w.family("tandem_group_state", "gauge", "The group's state on this node (running, stopped, starting, stopping, start failed, ...), always 1.");
        for (ClusterStatus.GroupState g : st.groups()) {
            w.sample("tandem_group_state", 1, "group", g.key(), "state", baseState(g.state()));
        }
        w.family("tandem_group_held", "gauge", "1 while this node runs the group (or starts or stops it), else 0.");
        for (ClusterStatus.GroupState g : st.groups()) {
            w.sample("tandem_group_held", g.owner().equalsIgnoreCase(st.localNode()) ? 1 : 0, "group", g.key());
        }
        w.family("tandem_group_owner", "gauge", "The node that runs the group as this node sees it (always 1; no sample while none does).");
        for (ClusterStatus.GroupState g : st.groups()) {
            if (!g.owner().isEmpty()) {
                w.sample("tandem_group_owner", 1, "group", g.key(), "node", g.owner());
            }
        }
        w.family("tandem_resource_health", "gauge", "Monitoring of the resource on this node (ok, failed, pending, not watched), always 1.");
        for (ClusterStatus.GroupState g : st.groups()) {
            for (ClusterStatus.ResourceState r : g.health()) {
                w.sample("tandem_resource_health", 1, "group", g.key(), "resource", r.resource(), "health", r.health());
            }
        }
        w.family("tandem_resource_failures", "gauge", "Failures of the resource counted by monitoring here (cleared by tandem cleanup or the failure timeout).");
        for (ClusterStatus.GroupState g : st.groups()) {
            for (ClusterStatus.ResourceState r : g.health()) {
                w.sample("tandem_resource_failures", r.failCount(), "group", g.key(), "resource", r.resource());
            }
        }
    }

    private static void tallies(ExpositionWriter w, Tallies t) {
        String h = "tandem_resource_operation_duration_seconds";
        w.family(h, "histogram", "Resource operations (start, stop, status) that ended on this node, by agent, action and result, and how long the script ran.");
        t.operations().forEach((k, d) -> {
            for (int i = 0; i <= Durations.BOUNDS.length; i++) {
                String le = i < Durations.BOUNDS.length ? ExpositionWriter.number(Durations.BOUNDS[i]) : "+Inf";
                w.sample(h + "_bucket", d.cumulative(i), "agent", k.get(0), "action", k.get(1), "result", k.get(2), "le", le);
            }
            w.sample(h + "_sum", d.sumSeconds(), "agent", k.get(0), "action", k.get(1), "result", k.get(2));
            w.sample(h + "_count", d.count(), "agent", k.get(0), "action", k.get(1), "result", k.get(2));
        });
        w.family("tandem_failovers_total", "counter", "Decisions on this node to take a group over, give it up or restart it, by what caused them"
                + " (node_dead, peer_standby, operator_standby, monitor, start, ...).");
        t.decisions().forEach((k, n) -> w.sample("tandem_failovers_total", n, "decision", k.get(0), "cause", k.get(1)));
        w.family("tandem_monitor_failures_total", "counter", "Status checks that found a running resource stopped or failed.");
        t.monitorFailures().forEach((k, n) -> w.sample("tandem_monitor_failures_total", n, "group", k.get(0), "resource", k.get(1)));
        w.family("tandem_events_recorded_total", "counter", "Entries added to the event history since the start, by kind.");
        t.entries().forEach((k, n) -> w.sample("tandem_events_recorded_total", n, "kind", k));
    }

    /** {@code address in use by 52:54:...} is the state {@code address in use}. */
    private static String baseState(String state) {
        int by = state.indexOf(" by ");
        return by < 0 ? state : state.substring(0, by);
    }

    private static double seconds(long ms) {
        return ms / 1000.0;
    }
}
