package io.tandem.daemon.media;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;

/**
 * An ICMP echo request or reply (RFC 792), pure encoding and decoding. Heartbeat's ping plugins put
 * the identifier (pid &amp; 0xffff) into the packet in <em>host</em> byte order, so on x86 it appears
 * byte-swapped on the wire; the sequence number is in network order. {@code idOrder} says which
 * order the identifier is written and read in ({@link ByteOrder#nativeOrder()} to match heartbeat).
 */
public record IcmpEcho(int type, int code, int identifier, int sequence, byte[] payload) {
    public static final int ECHO_REPLY = 0;
    public static final int ECHO_REQUEST = 8;
    private static final int HEADER = 8;
    private static final int IPPROTO_ICMP = 1;

    public IcmpEcho {
        payload = payload.clone();
    }

    /** An echo request carrying {@code payload}. */
    public static IcmpEcho request(int identifier, int sequence, byte[] payload) {
        return new IcmpEcho(ECHO_REQUEST, 0, identifier & 0xffff, sequence & 0xffff, payload);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The ICMP message: type, code, checksum, identifier, sequence, payload. */
    public byte[] encode(ByteOrder idOrder) {
        byte[] b = new byte[HEADER + payload.length];
        b[0] = (byte) type;
        b[1] = (byte) code;
        putShort(b, 4, identifier, idOrder);
        putShort(b, 6, sequence, ByteOrder.BIG_ENDIAN);
        System.arraycopy(payload, 0, b, HEADER, payload.length);
        putShort(b, 2, checksum(b, 0, b.length), ByteOrder.BIG_ENDIAN);
        return b;
    }

    /**
     * Decodes an ICMP echo request or reply; empty if the bytes are too short, of another ICMP type,
     * or fail the checksum.
     */
    public static Optional<IcmpEcho> decode(byte[] b, int offset, int length, ByteOrder idOrder) {
        if (length < HEADER || offset < 0 || offset + length > b.length) {
            return Optional.empty();
        }
        int type = b[offset] & 0xff;
        if (type != ECHO_REPLY && type != ECHO_REQUEST) {
            return Optional.empty();
        }
        if (checksum(b, offset, length) != 0) {
            return Optional.empty();
        }
        return Optional.of(new IcmpEcho(type, b[offset + 1] & 0xff, getShort(b, offset + 4, idOrder),
                getShort(b, offset + 6, ByteOrder.BIG_ENDIAN), Arrays.copyOfRange(b, offset + HEADER, offset + length)));
    }

    /**
     * Decodes the ICMP echo inside an IPv4 datagram as a raw socket receives it (IP header first,
     * its length taken from IHL); empty if it is not IPv4/ICMP or not a valid echo.
     */
    public static Optional<IcmpEcho> fromIpv4(byte[] datagram, int length, ByteOrder idOrder) {
        if (length < 20 || length > datagram.length || (datagram[0] & 0xf0) != 0x40 || (datagram[9] & 0xff) != IPPROTO_ICMP) {
            return Optional.empty();
        }
        int headerLength = (datagram[0] & 0x0f) * 4;
        if (headerLength < 20 || headerLength > length) {
            return Optional.empty();
        }
        return decode(datagram, headerLength, length - headerLength, idOrder);
    }

    /**
     * The Internet checksum (RFC 1071): one's complement of the one's complement sum of 16-bit
     * big-endian words, an odd last byte padded with zero. Over a message that contains its own
     * correct checksum it yields 0.
     */
    public static int checksum(byte[] b, int offset, int length) {
        long sum = 0;
        int i = offset, end = offset + length;
        for (; i + 1 < end; i += 2) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (b[i] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IcmpEcho e && e.type == type && e.code == code && e.identifier == identifier
                && e.sequence == sequence && Arrays.equals(e.payload, payload);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * type + identifier) + sequence) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "IcmpEcho[type=" + type + ", code=" + code + ", id=" + identifier + ", seq=" + sequence + ", "
                + payload.length + " bytes]";
    }

    private static void putShort(byte[] b, int at, int v, ByteOrder order) {
        if (order == ByteOrder.BIG_ENDIAN) {
            b[at] = (byte) (v >>> 8);
            b[at + 1] = (byte) v;
        } else {
            b[at] = (byte) v;
            b[at + 1] = (byte) (v >>> 8);
        }
    }

    private static int getShort(byte[] b, int at, ByteOrder order) {
        int hi = order == ByteOrder.BIG_ENDIAN ? b[at] : b[at + 1];
        int lo = order == ByteOrder.BIG_ENDIAN ? b[at + 1] : b[at];
        return (hi & 0xff) << 8 | (lo & 0xff);
    }
}
