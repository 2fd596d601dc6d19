package io.tandem.daemon.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An ARP socket on one interface ({@code socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ARP))} bound to
 * the interface), which needs root or CAP_NET_RAW: it sends RFC 5227 ARP probes (sender address
 * 0.0.0.0) and announcements (gratuitous ARP: sender and target the address), and receives the ARP
 * packets of other hosts on the link with their sender hardware and protocol addresses. Our own
 * outgoing packets are skipped; packets that are not Ethernet/IPv4 ARP are counted and skipped.
 * Receiving waits at most the timeout given at open, so a reader thread can notice {@link #close()}.
 * One buffer per socket: a frame allocates only its small {@link Frame}.
 *
 * <p>Not thread-safe: one thread sends and receives; close only after it has left {@link #receive}.
 */
public final class ArpSocket implements AutoCloseable {
    static final int AF_PACKET = 17;
    static final int SOCK_DGRAM = 2;
    static final int ETH_P_ARP = 0x0806;
    static final int ETH_P_IP = 0x0800;
    static final int ARPHRD_ETHER = 1;
    static final int PACKET_OUTGOING = 4;
    /** {@code struct sockaddr_ll}. */
    static final int SOCKADDR_LL_SIZE = 20;
    /** An Ethernet/IPv4 ARP packet: 8 bytes of header, two hardware and two protocol addresses. */
    static final int ARP_SIZE = 28;
    public static final int REQUEST = 1;
    public static final int REPLY = 2;
    private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};

    /**
     * One received ARP packet.
     *
     * @param operation {@link #REQUEST} or {@link #REPLY} (others are passed on as they are)
     * @param senderMac the sender hardware address, 6 bytes in a long
     * @param senderIp  the sender protocol address (0 in a probe)
     * @param targetIp  the target protocol address
     */
    public record Frame(int operation, long senderMac, int senderIp, int targetIp) {
        /** A probe (RFC 5227 2.1.1): sender address 0.0.0.0. */
        public boolean probe() {
            return senderIp == 0;
        }
    }

    private final int fd;
    private final String iface;
    private final int ifindex;
    private final byte[] mac;
    private final byte[] buffer = new byte[256];
    private final byte[] from = new byte[SOCKADDR_LL_SIZE];
    private final IntByReference fromLength = new IntByReference();
    private long malformed;
    private boolean closed;

    private ArpSocket(int fd, String iface, int ifindex, byte[] mac) {
        this.fd = fd;
        this.iface = iface;
        this.ifindex = ifindex;
        this.mac = mac;
    }

    /** Opens an ARP socket on {@code iface}; {@code receiveTimeoutMillis} bounds each {@link #receive} call. */
    public static ArpSocket open(String iface, int receiveTimeoutMillis) throws IOException {
        NetworkInterface ni;
        try {
            ni = NetworkInterface.getByName(iface);
        } catch (SocketException e) {
            throw new IOException("Can't find interface " + iface + ": " + e.getMessage(), e);
        }
        if (ni == null) {
            throw new IOException("No interface " + iface);
        }
        byte[] mac;
        try {
            mac = ni.getHardwareAddress();
        } catch (SocketException e) {
            throw new IOException("Can't read the hardware address of " + iface + ": " + e.getMessage(), e);
        }
        if (mac == null || mac.length != 6) {
            throw new IOException("Interface " + iface + " has no Ethernet address");
        }
        int fd;
        try {
            fd = Libc.C.socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ARP));
        } catch (LastErrorException e) {
            throw new IOException("Can't open ARP socket: " + Libc.describe(e) + " (needs root or CAP_NET_RAW)", e);
        } catch (UnsatisfiedLinkError e) {
            throw new IOException("Can't open ARP socket: native libc not available: " + e.getMessage(), e);
        }
        ArpSocket s = new ArpSocket(fd, iface, ni.getIndex(), mac);
        try {
            byte[] bind = s.sockaddrLl(new byte[6]);
            Libc.C.bind(fd, bind, bind.length);
            byte[] timeval = RawIcmpSocket.timeval(receiveTimeoutMillis);
            Libc.C.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeval, timeval.length);
        } catch (LastErrorException e) {
            s.close();
            throw new IOException("Can't bind ARP socket to " + iface + ": " + Libc.describe(e), e);
        }
        return s;
    }

    /** This interface's hardware address, 6 bytes in a long. */
    public long mac() {
        return macOf(mac, 0);
    }

    public String iface() {
        return iface;
    }

    /** Packets received that were not Ethernet/IPv4 ARP, since the open. */
    public long malformed() {
        return malformed;
    }

    /** An ARP probe for {@code ip} (RFC 5227 2.1.1): who has it? Sender address 0.0.0.0. */
    public void probe(int ip) throws IOException {
        send(REQUEST, 0, ip);
    }

    /** An ARP announcement of {@code ip} (RFC 5227 2.3, gratuitous ARP): sender and target address are {@code ip}. */
    public void announce(int ip) throws IOException {
        send(REQUEST, ip, ip);
    }

    private void send(int operation, int senderIp, int targetIp) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(ARP_SIZE).order(ByteOrder.BIG_ENDIAN);
        b.putShort((short) ARPHRD_ETHER).putShort((short) ETH_P_IP).put((byte) 6).put((byte) 4).putShort((short) operation);
        b.put(mac).putInt(senderIp).put(new byte[6]).putInt(targetIp);
        byte[] to = sockaddrLl(BROADCAST);
        try {
            Libc.C.sendto(fd, b.array(), new NativeLong(ARP_SIZE), 0, to, to.length);
        } catch (LastErrorException e) {
            throw new IOException("Can't send ARP on " + iface + ": " + Libc.describe(e), e);
        }
    }

    /**
     * The next ARP packet of another host, or null when the timeout passed (or a signal interrupted the
     * call). Our own outgoing packets and malformed ones are skipped (within the same timeout).
     */
    public Frame receive() throws IOException {
        while (true) {
            fromLength.setValue(from.length);
            long n;
            try {
                n = Libc.C.recvfrom(fd, buffer, new NativeLong(buffer.length), 0, from, fromLength).longValue();
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Libc.EAGAIN || e.getErrorCode() == Libc.EINTR) {
                    return null;
                }
                throw new IOException("Can't receive ARP on " + iface + ": " + Libc.describe(e), e);
            }
            if ((from[10] & 0xff) == PACKET_OUTGOING) {
                continue;
            }
            Frame f = parse(buffer, (int) n);
            if (f == null) {
                malformed++;
                continue;
            }
            return f;
        }
    }

    /** An Ethernet/IPv4 ARP packet of {@code length} bytes, or null when it is not one. */
    static Frame parse(byte[] p, int length) {
        if (Math.min(length, p.length) < ARP_SIZE) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.BIG_ENDIAN);
        if (b.getShort(0) != ARPHRD_ETHER || b.getShort(2) != ETH_P_IP || p[4] != 6 || p[5] != 4) {
            return null;
        }
        return new Frame(b.getShort(6) & 0xffff, macOf(p, 8), b.getInt(14), b.getInt(24));
    }

    static long macOf(byte[] p, int at) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (p[at + i] & 0xff);
        }
        return v;
    }

    /** {@code aa:bb:cc:dd:ee:ff}. */
    public static String formatMac(long mac) {
        StringBuilder s = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            int octet = (int) (mac >>> (8 * i)) & 0xff;
            s.append(Character.forDigit(octet >> 4, 16)).append(Character.forDigit(octet & 15, 16));
            if (i > 0) {
                s.append(':');
            }
        }
        return s.toString();
    }

    /** {@code struct sockaddr_ll} for this interface (host-order family, network-order protocol). */
    private byte[] sockaddrLl(byte[] address) {
        ByteBuffer b = ByteBuffer.allocate(SOCKADDR_LL_SIZE).order(ByteOrder.nativeOrder());
        b.putShort((short) AF_PACKET);
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) ETH_P_ARP);
        b.order(ByteOrder.nativeOrder()).putInt(ifindex).putShort((short) ARPHRD_ETHER).put((byte) 0).put((byte) 6);
        b.put(address).put(new byte[2]);
        return b.array();
    }

    private static int htons(int v) {
        return ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? v : ((v & 0xff) << 8) | ((v >> 8) & 0xff);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.closeQuietly(fd);
        }
    }
}
