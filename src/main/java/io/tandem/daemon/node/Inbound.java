package io.tandem.daemon.node;

import io.tandem.config.AuthKeys;
import io.tandem.wire.AuthVerdict;
import io.tandem.wire.Authenticator;
import io.tandem.wire.Message;
import io.tandem.wire.Packet;
import io.tandem.wire.RejectReason;
import io.tandem.wire.WireCodec;
import io.tandem.wire.WireException;
import java.net.InetAddress;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * The way in from the media: on the medium's own receive thread a datagram is decoded (bounded,
 * linear-time) and its signature checked; only an authenticated message is posted to the event
 * loop. So forged or garbage packets cost the loop nothing, however many arrive, and at most
 * {@value #MAX_PENDING} authenticated packets wait for the loop at any time: beyond that they are
 * dropped and counted (a replay flood cannot grow the queue, and with it the heap, without bound).
 * Every rejection goes to the {@link RejectLog}: counted, and logged once per reason and interval.
 */
final class Inbound {
    static final int MAX_PENDING = 1024;

    /** Where authenticated messages go, on the loop thread. */
    interface Target {
        void received(long now, Message message, String medium);

        void pingReply(long now, String medium);
    }

    /** Runs a task on the loop thread with the current time. */
    interface Loop {
        void post(LongConsumer task);
    }

    private volatile AuthKeys keys;
    private final Set<String> pingMedia;
    private final RejectLog rejects;
    private final Loop loop;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Target target;

    Inbound(AuthKeys keys, Set<String> pingMedia, RejectLog rejects, Loop loop) {
        this.keys = keys;
        this.pingMedia = pingMedia;
        this.rejects = rejects;
        this.loop = loop;
    }

    /** New keys after a reload: used from the next packet on. */
    void keys(AuthKeys keys) {
        this.keys = keys;
    }

    /** The node, once it exists; packets before that are dropped (the node has not started). */
    void target(Target target) {
        this.target = target;
    }

    /** A datagram from {@code from} on {@code medium}; runs on the medium's receive thread. */
    void packet(byte[] packet, String medium, InetAddress from) {
        Packet decoded;
        try {
            decoded = WireCodec.decode(packet);
        } catch (WireException e) {
            rejects.reject(RejectReason.UNPARSEABLE, () -> "cannot parse packet from " + from.getHostAddress() + " on " + medium + ": "
                    + e.getMessage());
            return;
        }
        Message message = decoded.message();
        AuthVerdict verdict = Authenticator.verify(decoded, keys);
        if (!verdict.ok()) {
            rejects.reject(RejectReason.BAD_AUTH, () -> "Invalid authentication of packet from " + from.getHostAddress() + " on " + medium
                    + " (src " + message.getOr(Message.SRC, "?") + "): " + verdict.reason());
            return;
        }
        boolean ping = pingMedia.contains(medium);
        if (ping && !"ping".equals(message.getOr(Message.INFO, ""))) {
            return;
        }
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            rejects.reject(RejectReason.OVERLOAD, () -> "Event loop busy: dropped an authenticated packet from " + from.getHostAddress()
                    + " on " + medium + " (" + MAX_PENDING + " waiting)");
            return;
        }
        loop.post(now -> {
            pending.decrementAndGet();
            deliver(now, message, medium, ping, from);
        });
    }

    private void deliver(long now, Message message, String medium, boolean ping, InetAddress from) {
        Target t = target;
        if (t == null) {
            return;
        }
        if (ping) {
            t.pingReply(now, medium);
            return;
        }
        try {
            t.received(now, message, medium);
        } catch (RuntimeException e) {
            // A message the engines choke on must not take the node (and its running groups) down.
            rejects.reject(RejectReason.HANDLER_FAILED, () -> "dropped message from " + from.getHostAddress() + " on " + medium + " (src "
                    + message.getOr(Message.SRC, "?") + ", t=" + message.getOr(Message.TYPE, "?") + "): " + e);
        }
    }
}
