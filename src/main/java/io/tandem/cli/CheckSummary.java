package io.tandem.cli;

import io.tandem.config.AuthKey;
import io.tandem.config.ClusterConfig;
import io.tandem.config.GroupConfig;
import io.tandem.config.HaCf;
import io.tandem.config.MediumConfig;
import io.tandem.config.ResourceRef;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The short, readable summary {@code tandem check} prints. */
final class CheckSummary {
    private CheckSummary() {
    }

    static String text(ClusterConfig config, String localNode) {
        HaCf cf = config.haCf();
        StringBuilder b = new StringBuilder();
        List<String> nodes = new ArrayList<>();
        for (String n : cf.nodes()) {
            nodes.add(n.equalsIgnoreCase(localNode) ? n + " (local)" : n);
        }
        row(b, "nodes", String.join(", ", nodes));
        if (!cf.pingNodes().isEmpty()) {
            row(b, "ping nodes", String.join(", ", cf.pingNodes()));
            row(b, "tiebreak", config.tandem().pingTiebreak() ? "on: no takeover without a reachable ping node (docs/split-brain.md)"
                    : "off (tandem.cf: ping_tiebreak off)");
        }
        row(b, "media", cf.media().stream().map(m -> medium(m, cf)).collect(Collectors.joining(", ")));
        row(b, "timers", "keepalive " + ms(cf.keepaliveMs()) + ", deadtime " + ms(cf.deadtimeMs()) + ", warntime "
                + ms(cf.warntimeMs()) + ", initdead " + ms(cf.initdeadMs()) + ", deadping " + ms(cf.deadpingMs()));
        row(b, "failback", "auto_failback " + cf.autoFailback().word() + ", msgfmt " + cf.msgfmt().word());
        AuthKey key = config.authKeys().active();
        row(b, "auth", "key " + key.index() + " " + key.method().fileName()
                + (config.authKeys().keys().size() > 1 ? " (" + config.authKeys().keys().size() + " keys)" : ""));
        row(b, "fencing", fencing(cf, config.tandem(), localNode));
        if (config.haResources().groups().isEmpty()) {
            row(b, "groups", "none");
        }
        for (GroupConfig g : config.haResources().groups()) {
            String resources = g.resources().stream().map(ResourceRef::text).collect(Collectors.joining(" "));
            row(b, "group", g.node() + (g.preferredBy(localNode) ? " (local)" : "") + ": " + resources);
        }
        java.util.Set<String> warm = io.tandem.config.ResourceModes.warmResources(config.tandem(), config.haResources());
        if (!warm.isEmpty()) {
            row(b, "warm", String.join(" ", warm) + " (tandem.cf: run on both nodes, kept running on the standby node)");
        }
        java.util.Set<String> twice = io.tandem.config.ResourceModes.mayRunTwiceResources(config.tandem(), config.haResources());
        if (!twice.isEmpty()) {
            row(b, "may-run-twice", String.join(" ", twice) + " (tandem.cf: started on the taker before a planned move, stopped on the giver after)");
        }
        return b.toString();
    }

    /** The device this node fences with, as the daemon will run it. */
    private static String fencing(HaCf cf, io.tandem.config.TandemCf t, String localNode) {
        return cf.fencing().deviceFor(localNode).map(d -> "stonith -t " + d.type()
                + (d.fromFile() ? " -F " + d.configFile() : " -F PRIVATE-FILE (the line's " + words(d.params()) + " parameters, not shown)") + " -T reset NODE (ha.cf line " + d.line()
                + (t.stonithFailureTakeover() ? "; stonith_failure_takeover yes: takes over even when fencing fails" : "")
                + "; fence_delay " + ms(t.fenceDelayMs()) + "; device status "
                + (t.stonithCheckMs() == 0 ? "not checked" : "checked every " + ms(t.stonithCheckMs()))
                + ")").orElse("none: dead nodes are not fenced before their groups are taken");
    }

    private static int words(String params) {
        return params.isBlank() ? 0 : params.strip().split("\\s+").length;
    }

    private static String medium(MediumConfig m, HaCf cf) {
        if (m instanceof MediumConfig.Bcast bc) {
            return "bcast " + bc.device() + " port " + cf.udpport();
        }
        if (m instanceof MediumConfig.Ucast u) {
            return "ucast " + u.device() + " to " + u.peer() + " port " + cf.udpport();
        }
        return m.line();
    }

    private static String ms(long ms) {
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private static void row(StringBuilder b, String label, String value) {
        b.append(String.format("%-12s%s%n", label + ":", value));
    }
}
