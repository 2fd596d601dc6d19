package io.tandem.sim;

import io.tandem.config.AuthKey;
import io.tandem.config.AuthKeys;
import io.tandem.config.AuthMethod;
import io.tandem.wire.Authenticator;
import io.tandem.wire.Message;
import io.tandem.wire.Packet;
import io.tandem.wire.RejectReason;
import io.tandem.wire.WireCodec;
import io.tandem.wire.WireException;
import io.tandem.wire.WireFormat;
import java.util.Map;

/** The simulated cluster's packets: signed with the cluster key and checked on receipt by the real codec, as the daemon's Outbound and Inbound do. */
final class Wire {
    static final AuthKeys KEYS = AuthKeys.single(new AuthKey(1, AuthMethod.SHA1, "sim-key"));

    private Wire() {
    }

    /** A message signed with the cluster key, as the daemon's Outbound sends it. */
    static byte[] seal(Message message) {
        return WireCodec.encodeSigned(message, KEYS.active(), WireFormat.NETSTRING_WITH_AUTH_FIELD);
    }

    /** What the daemon's Inbound does with a packet: decode, verify; a refusal is counted in {@code rejected} and gives null. */
    static Message open(byte[] packet, Map<RejectReason, Integer> rejected) {
        Packet p;
        try {
            p = WireCodec.decode(packet);
        } catch (WireException e) {
            rejected.merge(RejectReason.UNPARSEABLE, 1, Integer::sum);
            return null;
        }
        if (!Authenticator.verify(p, KEYS).ok()) {
            rejected.merge(RejectReason.BAD_AUTH, 1, Integer::sum);
            return null;
        }
        return p.message();
    }
}
