package io.tandem.bench;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tandem.daemon.metrics.MetricsRenderer;
import io.tandem.daemon.metrics.MetricsSnapshot;
import io.tandem.daemon.metrics.Tallies;
import io.tandem.daemon.status.ClusterStatus;
import io.tandem.membership.PeerCounters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What Prometheus' own Java client would cost the daemon (docs/observability.md, "Prometheus' client
 * or our own writer"): one JVM per run with the daemon's flags (bench/metrics-client), the same
 * metric set (two nodes, two links, three groups, eight operation histograms, every reject reason)
 * rendered 1000 times by Tandem's {@link MetricsRenderer} ({@code tandem}) or by the client's
 * registry and text writer ({@code client}); {@code none} renders nothing (the JVM and the snapshot
 * alone). Prints one line: the mode, ms from the JVM's start to the first text, RSS (VmRSS) and
 * loaded classes after the first rendering and after 1000, and the text's size.
 */
public final class MetricsClientCost {
    private static final long T0 = 1_800_000_000_000L;

    private MetricsClientCost() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "tandem";
        MetricsSnapshot s = snapshot();
        Runnable render = switch (mode) {
            case "tandem" -> () -> sink = MetricsRenderer.render(s, T0 + 5000).getBytes(StandardCharsets.UTF_8).length;
            case "client" -> client(s);
            case "none" -> () -> sink = s.status().nodes().size();
            default -> throw new IllegalArgumentException("mode: tandem, client or none");
        };
        render.run();
        long first = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        long rss1 = rssKb();
        int classes1 = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
        for (int i = 0; i < 1000; i++) {
            render.run();
        }
        long rss2 = rssKb();
        int classes2 = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
        System.out.printf("%s firstTextMs=%d rssKb=%d rss1000Kb=%d classes=%d classes1000=%d bytes=%d%n", mode, first, rss1, rss2, classes1,
                classes2, sink);
    }

    private static long sink;

    /** The client's registry with the same families and samples, scraped and written each time. */
    private static Runnable client(MetricsSnapshot s) {
        PrometheusRegistry registry = new PrometheusRegistry();
        ClusterStatus st = s.status();
        Gauge.builder().name("tandem_daemon_uptime_seconds").help("uptime").register(registry).set(5);
        Gauge.builder().name("tandem_daemon_generation").help("generation").register(registry).set(st.generation());
        Gauge up = Gauge.builder().name("tandem_node_up").help("node up").labelNames("node", "type").register(registry);
        Gauge status = Gauge.builder().name("tandem_node_status").help("status").labelNames("node", "status").register(registry);
        Gauge link = Gauge.builder().name("tandem_link_up").help("link up").labelNames("node", "link").register(registry);
        Gauge age = Gauge.builder().name("tandem_link_heartbeat_age_seconds").help("age").labelNames("node", "link").register(registry);
        Counter late = Counter.builder().name("tandem_heartbeats_late_total").help("late").labelNames("node").register(registry);
        Counter lost = Counter.builder().name("tandem_heartbeats_lost_total").help("lost").labelNames("node").register(registry);
        for (ClusterStatus.NodeState n : st.nodes()) {
            up.labelValues(n.name(), n.type()).set(n.status().equals("dead") ? 0 : 1);
            status.labelValues(n.name(), n.status()).set(1);
            for (ClusterStatus.LinkState l : n.links()) {
                link.labelValues(n.name(), l.name()).set(l.up() ? 1 : 0);
                age.labelValues(n.name(), l.name()).set(0.1);
            }
            late.labelValues(n.name()).inc(s.counters(n.name()).lateHeartbeats());
            lost.labelValues(n.name()).inc(s.counters(n.name()).lostPackets());
        }
        Counter rejected = Counter.builder().name("tandem_rejected_packets_total").help("rejected").labelNames("reason").register(registry);
        for (io.tandem.wire.RejectReason r : io.tandem.wire.RejectReason.values()) {
            rejected.labelValues(r.name().toLowerCase(java.util.Locale.ROOT)).inc(0);
        }
        Gauge gstate = Gauge.builder().name("tandem_group_state").help("state").labelNames("group", "state").register(registry);
        Gauge held = Gauge.builder().name("tandem_group_held").help("held").labelNames("group").register(registry);
        Gauge owner = Gauge.builder().name("tandem_group_owner").help("owner").labelNames("group", "node").register(registry);
        Gauge health = Gauge.builder().name("tandem_resource_health").help("health").labelNames("group", "resource", "health").register(registry);
        for (ClusterStatus.GroupState g : st.groups()) {
            gstate.labelValues(g.key(), g.state()).set(1);
            held.labelValues(g.key()).set(1);
            owner.labelValues(g.key(), g.owner()).set(1);
            for (String r : g.resources()) {
                health.labelValues(g.key(), r, "ok").set(1);
            }
        }
        Histogram ops = Histogram.builder().name("tandem_resource_operation_duration_seconds").help("ops").labelNames("agent", "action", "result")
                .classicUpperBounds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300).register(registry);
        for (String agent : List.of("IPaddr", "apache2", "Filesystem", "drbddisk")) {
            for (String action : List.of("start", "status")) {
                ops.labelValues(agent, action, "ok").observe(0.2);
            }
        }
        Counter failovers = Counter.builder().name("tandem_failovers_total").help("failovers").labelNames("decision", "cause").register(registry);
        failovers.labelValues("takeover", "node_dead").inc();
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return () -> {
            out.reset();
            try {
                writer.write(out, registry.scrape());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sink = out.size();
        };
    }

    private static MetricsSnapshot snapshot() {
        List<ClusterStatus.LinkState> links = List.of(new ClusterStatus.LinkState("eth0", true), new ClusterStatus.LinkState("eth1", true));
        List<ClusterStatus.NodeState> nodes = List.of(new ClusterStatus.NodeState("node1", false, "active", links),
                new ClusterStatus.NodeState("node2", false, "active", links));
        List<ClusterStatus.GroupState> groups = List.of(
                new ClusterStatus.GroupState("IPaddr::192.0.2.1/24/eth0", "node1", "node1", "running", List.of("IPaddr::192.0.2.1/24/eth0", "apache2")),
                new ClusterStatus.GroupState("IPaddr::192.0.2.2/24/eth0", "node2", "node2", "stopped", List.of("IPaddr::192.0.2.2/24/eth0",
                        "Filesystem::/dev/drbd0::/srv::ext4")),
                new ClusterStatus.GroupState("drbddisk::r0", "node1", "node1", "running", List.of("drbddisk::r0")));
        ClusterStatus st = new ClusterStatus("node1", "active", 17, T0, T0, "tandem bench", "local", nodes, groups, Map.of(), List.of());
        Tallies t = new Tallies();
        for (String agent : List.of("IPaddr::x", "apache2", "Filesystem::x", "drbddisk::x")) {
            for (String action : List.of("start", "status")) {
                t.operation(agent, action, "ok", 200);
            }
        }
        Map<String, PeerCounters> counters = Map.of("node2", new PeerCounters(1, 2, 3, 4, Map.of("eth0", T0, "eth1", T0)));
        return new MetricsSnapshot(st, counters, t.copy(), 100, Map.of(), 0, T0);
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
