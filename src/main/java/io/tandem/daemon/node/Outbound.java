package io.tandem.daemon.node;

import io.tandem.config.AuthKeys;
import io.tandem.daemon.media.Media;
import io.tandem.daemon.media.PingMedium;
import io.tandem.wire.Message;
import io.tandem.wire.WireCodec;
import io.tandem.wire.WireFormat;

/**
 * Signs, frames and sends what the membership engine broadcasts: the same bytes on every link, and
 * for each status message a signed {@code NS_st} echo payload to every ping node (docs/protocol.md 8.1).
 */
final class Outbound {
    private final Media media;
    private AuthKeys keys;
    private final WireFormat format;
    private final DaemonLog log;
    private int failuresInARow;

    Outbound(Media media, AuthKeys keys, WireFormat format, DaemonLog log) {
        this.media = media;
        this.keys = keys;
        this.format = format;
        this.log = log;
    }

    /** New keys after a reload: used from the next packet on. */
    void keys(AuthKeys keys) {
        this.keys = keys;
    }

    void send(Message message) {
        byte[] packet = WireCodec.encodeSigned(message, keys.active(), format);
        if (media.sendOnLinks(packet) == 0 && !media.links().isEmpty()) {
            if (failuresInARow++ % 10 == 0) {
                log.error("No working comm channels to write to.");
            }
        } else {
            failuresInARow = 0;
        }
        if ("status".equals(message.type())) {
            for (PingMedium ping : media.pings()) {
                ping.send(pingPayload(ping.name(), message.getOr(Message.TS, "0")));
            }
        }
    }

    private byte[] pingPayload(String pingNode, String ts) {
        Message m = Message.ofStrings(Message.TYPE, "NS_st", Message.STATUS, "ping", Message.INFO, "ping",
                Message.SRC, pingNode, Message.TS, ts);
        return WireCodec.encodeSigned(m, keys.active(), format);
    }
}
