package io.tandem.daemon.node;

import io.tandem.config.AuthKeys;
import io.tandem.wire.AuthVerdict;
import io.tandem.wire.Authenticator;
import io.tandem.wire.Message;
import io.tandem.wire.Packet;
import io.tandem.wire.WireCodec;
import io.tandem.wire.WireException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns a datagram into an authenticated message for the node, or into one log line saying which
 * peer sent what that could not be used. Bad packets never reach the engines; the same complaint
 * about the same sender is logged at most once a minute so a noisy peer cannot flood the log.
 */
final class Inbound {
    private static final long COMPLAINT_INTERVAL_MS = 60_000;

    private AuthKeys keys;
    private final Set<String> pingMedia;
    private final DaemonLog log;
    private final Map<String, Long> lastComplaint = new HashMap<>();

    Inbound(AuthKeys keys, Set<String> pingMedia, DaemonLog log) {
        this.keys = keys;
        this.pingMedia = pingMedia;
        this.log = log;
    }

    /** New keys after a reload: used from the next packet on. */
    void keys(AuthKeys keys) {
        this.keys = keys;
    }

    void packet(long now, ClusterNode node, byte[] packet, String medium, InetAddress from) {
        Packet decoded;
        try {
            decoded = WireCodec.decode(packet);
        } catch (WireException e) {
            complain(now, from, medium, "cannot parse packet from " + from.getHostAddress() + " on " + medium + ": " + e.getMessage());
            return;
        }
        Message message = decoded.message();
        AuthVerdict verdict = Authenticator.verify(decoded, keys);
        if (!verdict.ok()) {
            complain(now, from, medium, "Invalid authentication of packet from " + from.getHostAddress() + " on " + medium
                    + " (src " + message.getOr(Message.SRC, "?") + "): " + verdict.reason());
            return;
        }
        if (pingMedia.contains(medium)) {
            if ("ping".equals(message.getOr(Message.INFO, ""))) {
                node.pingReply(now, medium);
            }
            return;
        }
        try {
            node.received(now, message, medium);
        } catch (RuntimeException e) {
            // A message the engines choke on must not take the node (and its running groups) down.
            complain(now, from, medium, "dropped message from " + from.getHostAddress() + " on " + medium + " (src "
                    + message.getOr(Message.SRC, "?") + ", t=" + message.getOr(Message.TYPE, "?") + "): " + e);
        }
    }

    private void complain(long now, InetAddress from, String medium, String text) {
        String key = from.getHostAddress() + "/" + medium;
        Long last = lastComplaint.get(key);
        if (last == null || now - last >= COMPLAINT_INTERVAL_MS) {
            lastComplaint.put(key, now);
            log.error(text);
        }
    }
}
