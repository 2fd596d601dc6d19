package io.tandem.daemon.media;

import io.tandem.config.MediumConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All media of a node, opened together from the ha.cf media lines: the UDP links (bcast, mcast,
 * ucast) and the ping media. Heartbeat serializes a message once and writes the same bytes on every
 * link ({@link #sendOnLinks}); status messages additionally go to each ping medium as an echo
 * payload built for that ping node ({@link #pings()}).
 *
 * <p>{@code ucast} specs of the same device become one medium (same link name; see
 * {@link UdpMedium#ucast}). If opening any medium fails, the ones already open are closed again.
 */
public final class Media implements AutoCloseable {
    private final List<Medium> links;
    private final List<PingMedium> pings;

    private Media(List<Medium> links, List<PingMedium> pings) {
        this.links = List.copyOf(links);
        this.pings = List.copyOf(pings);
    }

    /** Opens every medium; {@code udpport} is the port of bcast and ucast (mcast brings its own). */
    public static Media open(List<MediumConfig> specs, int udpport, PacketSink sink, MediumListener listener) throws IOException {
        return open(specs, udpport, null, sink, listener);
    }

    /** As above; {@code bind} (may be null) is the one local address ucast media use (see {@link UdpMedium#ucast}). */
    public static Media open(List<MediumConfig> specs, int udpport, java.net.Inet4Address bind, PacketSink sink, MediumListener listener)
            throws IOException {
        Map<String, List<String>> ucastPeers = new LinkedHashMap<>();
        for (MediumConfig spec : specs) {
            if (spec instanceof MediumConfig.Ucast u) {
                ucastPeers.computeIfAbsent(u.device(), d -> new ArrayList<>()).add(u.peer());
            }
        }
        List<Medium> links = new ArrayList<>();
        List<PingMedium> pings = new ArrayList<>();
        try {
            for (MediumConfig spec : specs) {
                if (spec instanceof MediumConfig.Bcast b) {
                    links.add(UdpMedium.bcast(b.device(), udpport, sink, listener));
                } else if (spec instanceof MediumConfig.Mcast m) {
                    links.add(UdpMedium.mcast(m.device(), m.group(), m.port(), m.ttl(), m.loop(), sink, listener));
                } else if (spec instanceof MediumConfig.Ucast u) {
                    List<String> peers = ucastPeers.remove(u.device());
                    if (peers != null) {
                        links.add(UdpMedium.ucast(u.device(), peers, udpport, bind, sink, listener));
                    }
                } else if (spec instanceof MediumConfig.Ping p) {
                    pings.add(PingMedium.ping(p.host(), sink, listener));
                } else if (spec instanceof MediumConfig.PingGroup g) {
                    pings.add(PingMedium.pingGroup(g.name(), g.hosts(), sink, listener));
                }
            }
        } catch (IOException | RuntimeException e) {
            links.forEach(Medium::close);
            pings.forEach(Medium::close);
            throw e;
        }
        return new Media(links, pings);
    }

    /** The UDP media, in ha.cf order. */
    public List<Medium> links() {
        return links;
    }

    /** The ping and ping_group media, in ha.cf order. */
    public List<PingMedium> pings() {
        return pings;
    }

    /**
     * Sends the packet on every link; returns how many links accepted it (0 means heartbeat's
     * {@code No working comm channels to write to.}).
     */
    public int sendOnLinks(byte[] packet) {
        int accepted = 0;
        for (Medium m : links) {
            if (m.send(packet)) {
                accepted++;
            }
        }
        return accepted;
    }

    @Override
    public void close() {
        links.forEach(Medium::close);
        pings.forEach(Medium::close);
    }
}
