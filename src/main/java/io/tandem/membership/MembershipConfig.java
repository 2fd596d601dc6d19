package io.tandem.membership;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the membership engine needs to know (docs/protocol.md 4.1, 5.1): who we are, the cluster nodes
 * (the local node included) and ping nodes, the timers in ms, and this start's generation and uuid.
 */
public record MembershipConfig(String localNode, List<String> nodes, List<String> pingNodes, long keepaliveMs, long deadtimeMs,
                               long warntimeMs, long initdeadMs, long deadpingMs, long generation, byte[] uuid) {
    /** Heartbeat's default {@code max_rexmit_delay}. */
    public static final long MAX_REXMIT_DELAY_MS = 250;
    /** Heartbeat's {@code hopfudge} default, the first term of {@code ttl}. */
    public static final int HOPFUDGE = 1;

    public MembershipConfig {
        Objects.requireNonNull(localNode, "localNode");
        localNode = localNode.toLowerCase(Locale.ROOT);
        List<String> lower = new ArrayList<>(nodes.size());
        for (String n : nodes) {
            lower.add(n.toLowerCase(Locale.ROOT));
        }
        nodes = List.copyOf(lower);
        pingNodes = List.copyOf(pingNodes);
        Objects.requireNonNull(uuid, "uuid");
        if (uuid.length != 16) {
            throw new IllegalArgumentException("uuid must be 16 bytes");
        }
        uuid = uuid.clone();
        if (keepaliveMs <= 0 || deadtimeMs <= 0 || initdeadMs <= 0 || deadpingMs <= 0 || warntimeMs <= 0) {
            throw new IllegalArgumentException("timers must be positive");
        }
    }

    @Override
    public byte[] uuid() {
        return uuid.clone();
    }

    /** The {@code ttl} field: hopfudge + every configured node, ping nodes included. */
    int ttl() {
        return HOPFUDGE + nodes.size() + pingNodes.size();
    }
}
