package io.tandem.membership;

import java.util.Map;

/**
 * What membership counted of one other node since the start, for the metrics: status messages
 * that came later than warntime ({@code lateHeartbeats}), sequence numbers skipped by the peer
 * ({@code lostPackets}, each gap as heartbeat's "N lost packet(s)" line counts it),
 * retransmissions asked of the peer ({@code retransmitRequests}) and messages resent at its request
 * ({@code retransmitsServed}); and the time of the last packet accepted on each link (ms, the
 * core's clock). For the local node: its own links only (the last time a broadcast came back).
 */
public record PeerCounters(long lateHeartbeats, long lostPackets, long retransmitRequests, long retransmitsServed,
                           Map<String, Long> linkLastHeard) {
    public static final PeerCounters NONE = new PeerCounters(0, 0, 0, 0, Map.of());

    public PeerCounters {
        linkLastHeard = Map.copyOf(linkLastHeard);
    }
}
