package io.tandem.daemon.status;

import io.tandem.daemon.Json;
import io.tandem.daemon.status.ClusterStatus.GroupState;
import io.tandem.daemon.status.ClusterStatus.LinkState;
import io.tandem.daemon.status.ClusterStatus.NodeState;
import java.util.List;
import java.util.stream.Collectors;

/** {@code tandem status}: the snapshot for people (aligned text) and for scripts ({@code --json}). */
public final class StatusText {
    private StatusText() {
    }

    public static String human(ClusterStatus s) {
        StringBuilder b = new StringBuilder();
        b.append("Tandem on ").append(s.localNode()).append(": ").append(s.localStatus())
                .append(", generation ").append(s.generation())
                .append(", up ").append(duration(s.nowMillis() - s.startedAtMillis()))
                .append(", holding ").append(s.rscStatus()).append(" resources\n");
        b.append("\nNodes:\n");
        for (NodeState n : s.nodes()) {
            b.append(String.format("  %-24s %-7s %s%n", n.name(), n.status(), n.ping() ? "(ping node)" : ""));
            for (LinkState l : n.links()) {
                b.append(String.format("      link %-18s %s%n", l.name(), l.status()));
            }
        }
        if (s.tiebreak().active()) {
            ClusterStatus.Tiebreak t = s.tiebreak();
            b.append(String.format("%nPing-node tiebreak: %d of %d ping nodes reachable here, peer: %s%n", t.reachable(), t.pingNodes(),
                    t.peerReachable() < 0 ? "unknown" : Integer.toString(t.peerReachable())));
            if (t.holdingBack() != null) {
                b.append("  ").append(t.holdingBack()).append('\n');
            }
        }
        b.append("\nGroups:\n");
        if (s.groups().isEmpty()) {
            b.append("  (none configured)\n");
        }
        for (GroupState g : s.groups()) {
            b.append(String.format("  %-30s owner %-20s %s%n", g.key(), g.owner().isEmpty() ? "-" : g.owner(), g.state()));
            b.append("      preferred ").append(g.preferredNode()).append(": ").append(String.join(" ", g.resources())).append('\n');
            for (ClusterStatus.ResourceState r : g.health()) {
                b.append(String.format("      %-32s %s%n", r.resource(), health(r)));
            }
        }
        fencing(b, s.fencing());
        if (!s.rejected().isEmpty()) {
            b.append("\nRejected input since the start:\n");
            for (ClusterStatus.Rejected r : s.rejected()) {
                b.append(String.format("  %10d %s%n", r.count(), r.label()));
            }
        }
        return b.toString();
    }

    public static String json(ClusterStatus s) {
        return "{\"node\":" + Json.quote(s.localNode())
                + ",\"status\":" + Json.quote(s.localStatus())
                + ",\"generation\":" + s.generation()
                + ",\"uptime_ms\":" + (s.nowMillis() - s.startedAtMillis())
                + ",\"version\":" + Json.quote(s.version())
                + ",\"resources\":" + Json.quote(s.rscStatus())
                + ",\"nodes\":" + array(s.nodes().stream().map(StatusText::node).collect(Collectors.toList()))
                + ",\"groups\":" + array(s.groups().stream().map(StatusText::group).collect(Collectors.toList()))
                + ",\"rejected\":{" + s.rejected().stream().map(r -> Json.quote(r.reason()) + ":" + r.count()).collect(Collectors.joining(","))
                + "},\"fencing\":" + fencing(s.fencing()) + ",\"tiebreak\":" + tiebreak(s.tiebreak()) + "}\n";
    }

    /** {@code Fencing: external/ipmi} and a line per dead peer being fenced. */
    private static void fencing(StringBuilder b, ClusterStatus.Fencing f) {
        b.append("\nFencing: ").append(f.device().isEmpty() ? "none (no stonith or stonith_host line for this node)" : f.device())
                .append(f.failureTakeover() ? " (stonith_failure_takeover: takes over even when fencing fails)" : "").append('\n');
        if (f.check() != null) {
            b.append("  ").append(f.check().text()).append(" (checked every ").append(duration(f.check().intervalMs()))
                    .append(f.check().lastCheckAgoMs() < 0 ? ")" : ", last " + duration(f.check().lastCheckAgoMs()) + " ago)").append('\n');
        }
        for (ClusterStatus.Fence x : f.pending()) {
            b.append("  ").append(x.text());
            if (x.running()) {
                b.append(x.failures() == 0 ? " (running)" : " (attempt " + (x.failures() + 1) + " running)");
            } else {
                b.append(" (").append(x.failures()).append(x.failures() == 1 ? " failure" : " failures").append(", next try in ")
                        .append(duration(x.nextTryInMs())).append(')');
            }
            b.append('\n');
        }
    }

    private static String fencing(ClusterStatus.Fencing f) {
        return "{\"device\":" + (f.device().isEmpty() ? "null" : Json.quote(f.device()))
                + ",\"failure_takeover\":" + f.failureTakeover()
                + ",\"pending\":" + array(f.pending().stream().map(x -> "{\"node\":" + Json.quote(x.node())
                        + ",\"failures\":" + x.failures() + ",\"last_failure\":" + Json.quote(x.lastFailure())
                        + ",\"running\":" + x.running() + ",\"next_try_in_ms\":" + x.nextTryInMs()
                        + ",\"text\":" + Json.quote(x.text()) + "}").collect(Collectors.toList()))
                + (f.check() == null ? "" : ",\"check\":{\"health\":" + Json.quote(f.check().health())
                        + ",\"reason\":" + Json.quote(f.check().reason()) + ",\"last_check_ago_ms\":" + f.check().lastCheckAgoMs()
                        + ",\"interval_ms\":" + f.check().intervalMs() + ",\"text\":" + Json.quote(f.check().text()) + "}")
                + "}";
    }

    private static String tiebreak(ClusterStatus.Tiebreak t) {
        return "{\"active\":" + t.active() + ",\"reachable\":" + t.reachable() + ",\"ping_nodes\":" + t.pingNodes()
                + ",\"peer_reachable\":" + (t.peerReachable() < 0 ? "null" : t.peerReachable())
                + ",\"holding_back\":" + (t.holdingBack() == null ? "null" : Json.quote(t.holdingBack())) + "}";
    }

    private static String node(NodeState n) {
        return "{\"name\":" + Json.quote(n.name()) + ",\"type\":" + Json.quote(n.type()) + ",\"status\":" + Json.quote(n.status())
                + ",\"links\":" + array(n.links().stream()
                        .map(l -> "{\"name\":" + Json.quote(l.name()) + ",\"status\":" + Json.quote(l.status())
                                + ",\"heartbeat_age_ms\":" + (l.heartbeatAgeMs() < 0 ? "null" : l.heartbeatAgeMs()) + "}")
                        .collect(Collectors.toList())) + "}";
    }

    private static String group(GroupState g) {
        return "{\"key\":" + Json.quote(g.key()) + ",\"preferred\":" + Json.quote(g.preferredNode())
                + ",\"owner\":" + (g.owner().isEmpty() ? "null" : Json.quote(g.owner())) + ",\"state\":" + Json.quote(g.state())
                + ",\"resources\":" + array(g.resources().stream().map(Json::quote).collect(Collectors.toList()))
                + ",\"health\":" + array(g.health().stream().map(StatusText::resource).collect(Collectors.toList())) + "}";
    }

    /** {@code ok, checked 3s ago, fail count 0/3} and the like. */
    static String health(ClusterStatus.ResourceState r) {
        StringBuilder b = new StringBuilder(r.health());
        if (r.intervalMs() == 0) {
            b.append(" (monitoring off)");
        } else if (r.lastCheckAgoMs() >= 0) {
            b.append(", checked ").append(duration(r.lastCheckAgoMs())).append(" ago");
        }
        b.append(", fail count ").append(r.failCount()).append('/').append(r.threshold());
        if (r.lastFailure() != null) {
            b.append(", last failure: ").append(r.lastFailure()).append(' ').append(duration(r.lastFailureAgoMs())).append(" ago");
        }
        if (r.bannedForMs() > 0) {
            b.append(", kept off this node for ").append(duration(r.bannedForMs()));
        }
        return b.toString();
    }

    private static String resource(ClusterStatus.ResourceState r) {
        return "{\"resource\":" + Json.quote(r.resource()) + ",\"health\":" + Json.quote(r.health())
                + ",\"interval_ms\":" + r.intervalMs() + ",\"last_check_ms_ago\":" + (r.lastCheckAgoMs() < 0 ? "null" : r.lastCheckAgoMs())
                + ",\"fail_count\":" + r.failCount() + ",\"threshold\":" + r.threshold()
                + ",\"failure_timeout_ms\":" + r.failureTimeoutMs()
                + ",\"last_failure\":" + (r.lastFailure() == null ? "null" : Json.quote(r.lastFailure()))
                + ",\"last_failure_ms_ago\":" + (r.lastFailureAgoMs() < 0 ? "null" : r.lastFailureAgoMs())
                + ",\"banned_for_ms\":" + r.bannedForMs() + "}";
    }

    private static String array(List<String> items) {
        return "[" + String.join(",", items) + "]";
    }

    static String duration(long millis) {
        long s = Math.max(0, millis) / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + (s % 60) + "s";
        }
        if (s < 86400) {
            return (s / 3600) + "h" + ((s % 3600) / 60) + "m";
        }
        return (s / 86400) + "d" + ((s % 86400) / 3600) + "h";
    }
}
