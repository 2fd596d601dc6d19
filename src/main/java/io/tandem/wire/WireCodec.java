package io.tandem.wire;

import io.tandem.config.AuthKey;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Datagrams to messages and back (PROTOCOL.md 1–2): the framing is recognised by the first four
 * bytes, as every heartbeat does. {@link #decode} never throws anything but {@link WireException}.
 */
public final class WireCodec {
    /** Heartbeat's MAXMSG: the largest serialized message. */
    public static final int MAX_MESSAGE = 262_144;

    private WireCodec() {
    }

    public static Packet decode(byte[] packet) {
        if (packet.length > MAX_MESSAGE) {
            throw new WireException("packet of " + packet.length + " bytes exceeds MAXMSG (" + MAX_MESSAGE + ")");
        }
        if (NetstringText.starts(packet)) {
            return NetstringText.decode(packet);
        }
        if (ClassicText.starts(packet)) {
            Message m = ClassicText.decode(packet);
            return new Packet(m, WireFormat.CLASSIC, Optional.empty(), packet, 0);
        }
        throw new WireException("neither netstring (###) nor classic (>>>) framing");
    }

    /** The datagram heartbeat would send for {@code message} (without {@code auth}) signed with {@code key}. */
    public static byte[] encodeSigned(Message message, AuthKey key, WireFormat format) {
        Message m = message.without(Message.AUTH);
        switch (format) {
            case CLASSIC:
                return checked(ClassicText.encode(m.append(Message.AUTH, Authenticator.classicAuth(m, key))));
            case NETSTRING_WITH_AUTH_FIELD:
                m = m.append(Message.AUTH, Authenticator.classicAuth(m, key));
                return checked(trailed(m, key));
            default:
                return checked(trailed(m, key));
        }
    }

    /** Netstring framing of exactly these fields with a given trailer (for tests that re-encode captures). */
    public static byte[] encodeNetstring(Message message, String trailer) {
        return NetstringText.withTrailer(NetstringText.body(message), trailer);
    }

    /** Classic framing of exactly these fields (the {@code auth} field, if any, as it is). */
    public static byte[] encodeClassic(Message message) {
        return ClassicText.encode(message);
    }

    private static byte[] trailed(Message m, AuthKey key) {
        byte[] body = NetstringText.body(m);
        return NetstringText.withTrailer(body, Authenticator.authString(key, body, body.length));
    }

    private static byte[] checked(byte[] packet) {
        if (packet.length > MAX_MESSAGE) {
            throw new WireException("message of " + packet.length + " bytes exceeds MAXMSG (" + MAX_MESSAGE + ")");
        }
        return packet;
    }

    static String latin1(byte[] b, int from, int len) {
        return new String(b, from, len, StandardCharsets.ISO_8859_1);
    }
}
