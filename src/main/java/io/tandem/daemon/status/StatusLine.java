package io.tandem.daemon.status;

import java.util.ArrayList;
import java.util.List;

/**
 * The one-line summary systemd shows in {@code systemctl status tandem} (sd_notify {@code STATUS=}):
 * this node's state, the set it holds and each peer's state, e.g.
 * {@code active, holds [all], peer node2 dead}. Ping nodes are left out (they are in {@code tandem status}).
 */
public final class StatusLine {
    /** systemd shows a STATUS= line as it is; longer ones are cut here so one notification stays small. */
    static final int MAX = 200;

    private StatusLine() {
    }

    public static String of(ClusterStatus s) {
        List<String> parts = new ArrayList<>();
        parts.add(s.localStatus());
        parts.add("holds [" + s.rscStatus() + "]");
        for (ClusterStatus.NodeState n : s.nodes()) {
            if (!n.ping() && !n.name().equalsIgnoreCase(s.localNode())) {
                parts.add("peer " + n.name() + " " + n.status());
            }
        }
        String line = String.join(", ", parts).replace('\n', ' ');
        return line.length() <= MAX ? line : line.substring(0, MAX - 3) + "...";
    }
}
