package io.tandem.wire;

import io.tandem.config.AuthKey;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Datagrams to messages and back (docs/protocol.md 1–2): the framing is recognised by the first four
 * bytes, as every heartbeat does. {@link #decode} never throws anything but {@link WireException}.
 *
 * <p>Decoding runs on every datagram before its signature is checked, so anyone on the LAN can feed
 * it. It is linear in the packet length and checks its limits in this order: the datagram size
 * ({@link #MAX_DATAGRAM}), then while framing, the field count ({@link #MAX_FIELDS}) before each
 * field is read and the name length ({@link #MAX_NAME_LENGTH}) of each. Memory stays proportional
 * to the packet (values are copied, base64 decoded once). {@link Authenticator#verify} is linear too.
 */
public final class WireCodec {
    /** Heartbeat's MAXMSG: the largest serialized message. */
    public static final int MAX_MESSAGE = 262_144;
    /**
     * The largest datagram {@link #decode} reads: the largest UDP payload over IPv4 (65535 − 20 − 8).
     * Heartbeat's MAXMSG is larger, but nothing bigger than this can arrive on a UDP medium.
     */
    public static final int MAX_DATAGRAM = 65_507;
    /**
     * The most fields a received message may have. Heartbeat v1 messages have at most about 20
     * (a status message has 12); the bound is generous and keeps a packet of tiny fields cheap.
     */
    public static final int MAX_FIELDS = 256;
    /** The longest field name a received message may have, in bytes (cluster-glue's MAX_NAME_LEN). */
    public static final int MAX_NAME_LENGTH = 255;

    private WireCodec() {
    }

    public static Packet decode(byte[] packet) {
        if (packet.length > MAX_DATAGRAM) {
            throw new WireException("packet of " + packet.length + " bytes exceeds " + MAX_DATAGRAM + " (the largest UDP payload)");
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

    /** Called before each field is read: one more than {@link #MAX_FIELDS} is refused before it is parsed. */
    static void roomForField(int fieldsSoFar, int offset) {
        if (fieldsSoFar >= MAX_FIELDS) {
            throw new WireException("too many fields (more than " + MAX_FIELDS + ") at offset " + offset);
        }
    }

    static void checkName(int length, int offset) {
        if (length > MAX_NAME_LENGTH) {
            throw new WireException("field name of " + length + " bytes (more than " + MAX_NAME_LENGTH + ") at offset " + offset);
        }
    }

    static String latin1(byte[] b, int from, int len) {
        return new String(b, from, len, StandardCharsets.ISO_8859_1);
    }
}
