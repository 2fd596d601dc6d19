package io.tandem.daemon.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * An IPv4 UDP socket ({@code socket(AF_INET, SOCK_DGRAM)}) opened through libc, for the one thing
 * the JDK's datagram sockets cannot do: SO_BINDTODEVICE. Heartbeat binds every media socket to its
 * interface, so that a packet for the heartbeat LAN's addresses that arrives on another interface
 * (routed there from the public LAN) reaches none of them; the JDK has no such option.
 *
 * <p>Options are set one call each, in the order the caller needs (device binding before
 * {@link #bind}). {@link #send} never blocks ({@code MSG_DONTWAIT}). {@link #receive} blocks until
 * a datagram, the receive timeout or {@link #shutdown}; a reader thread calls it in a loop, another
 * thread calls {@link #shutdown} to wake it, waits for it to leave and then calls {@link #close}.
 * Sending and closing may happen on different threads (they are serialized here).
 */
public final class UdpSocket implements AutoCloseable {
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int IPPROTO_IP = 0;
    private static final int SO_REUSEADDR = 2;
    private static final int SO_BROADCAST = 6;
    private static final int SO_BINDTODEVICE = 25;
    private static final int SO_RCVBUF = 8;
    private static final int SO_RCVBUFFORCE = 33;
    private static final int IP_TOS = 1;
    private static final int IP_MULTICAST_IF = 32;
    private static final int IP_MULTICAST_TTL = 33;
    private static final int IP_MULTICAST_LOOP = 34;
    private static final int IP_ADD_MEMBERSHIP = 35;
    private static final int IP_MULTICAST_ALL = 49;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int SHUT_RDWR = 2;
    private static final int IFNAMSIZ = 16;

    private final int fd;
    private volatile boolean shut;
    private boolean closed;

    private UdpSocket(int fd) {
        this.fd = fd;
    }

    /** Opens an unbound socket (close-on-exec, so scripts the daemon starts do not inherit it). */
    public static UdpSocket open() throws IOException {
        try {
            return new UdpSocket(Libc.C.socket(Libc.AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        } catch (LastErrorException e) {
            throw new IOException("cannot open a UDP socket: " + Libc.describe(e), e);
        } catch (UnsatisfiedLinkError e) {
            throw new IOException("cannot open a UDP socket: native libc not available: " + e.getMessage(), e);
        }
    }

    /**
     * SO_BINDTODEVICE: the socket receives only what arrives on {@code device} and sends only
     * through it. Returns empty when bound, or the system's reason when it is not permitted
     * (EPERM/EACCES: kernels before 5.7 require CAP_NET_RAW for it), so the caller can carry on
     * unbound and say so; any other failure (e.g. no such device) throws.
     */
    public Optional<String> bindToDevice(String device) throws IOException {
        byte[] name = device.getBytes(StandardCharsets.US_ASCII);
        if (name.length >= IFNAMSIZ) {
            throw new IOException("SO_BINDTODEVICE " + device + ": interface name too long");
        }
        byte[] value = new byte[name.length + 1];
        System.arraycopy(name, 0, value, 0, name.length);
        try {
            Libc.C.setsockopt(fd, Libc.SOL_SOCKET, SO_BINDTODEVICE, value, value.length);
            return Optional.empty();
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Libc.EPERM || e.getErrorCode() == Libc.EACCES) {
                return Optional.of(Libc.describe(e));
            }
            throw new IOException("SO_BINDTODEVICE " + device + ": " + Libc.describe(e), e);
        }
    }

    public void reuseAddress() throws IOException {
        setInt(Libc.SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
    }

    public void broadcast() throws IOException {
        setInt(Libc.SOL_SOCKET, SO_BROADCAST, 1, "SO_BROADCAST");
    }

    /** IP_TOS, e.g. 0x10 (IPTOS_LOWDELAY). */
    public void typeOfService(int tos) throws IOException {
        setInt(IPPROTO_IP, IP_TOS, tos, "IP_TOS");
    }

    /** IP_MULTICAST_IF: multicast goes out on the interface with this index (and source address). */
    public void multicastInterface(int interfaceIndex, Inet4Address address) throws IOException {
        set(IPPROTO_IP, IP_MULTICAST_IF, ipMreqn(null, address, interfaceIndex), "IP_MULTICAST_IF");
    }

    public void multicastTtl(int ttl) throws IOException {
        setInt(IPPROTO_IP, IP_MULTICAST_TTL, ttl, "IP_MULTICAST_TTL");
    }

    public void multicastLoop(boolean loop) throws IOException {
        setInt(IPPROTO_IP, IP_MULTICAST_LOOP, loop ? 1 : 0, "IP_MULTICAST_LOOP");
    }

    /**
     * IP_MULTICAST_ALL. Linux turns it on by default: a socket bound to a group's address then hears
     * that group on every interface where any socket of the machine joined it. Off, it hears only
     * the groups it joined itself, on the interfaces it joined them on (the JDK turns it off too).
     */
    public void multicastAll(boolean all) throws IOException {
        setInt(IPPROTO_IP, IP_MULTICAST_ALL, all ? 1 : 0, "IP_MULTICAST_ALL");
    }

    /** IP_ADD_MEMBERSHIP: joins {@code group} on the interface with this index. */
    public void join(Inet4Address group, int interfaceIndex) throws IOException {
        set(IPPROTO_IP, IP_ADD_MEMBERSHIP, ipMreqn(group, null, interfaceIndex), "IP_ADD_MEMBERSHIP " + group.getHostAddress());
    }

    /**
     * A receive buffer of {@code bytes}: SO_RCVBUFFORCE (root, beyond net.core.rmem_max), else
     * SO_RCVBUF (capped by the kernel at rmem_max). Never fails: the kernel's default stays otherwise.
     */
    public void receiveBuffer(int bytes) {
        try {
            setInt(Libc.SOL_SOCKET, SO_RCVBUFFORCE, bytes, "SO_RCVBUFFORCE");
        } catch (IOException notRoot) {
            try {
                setInt(Libc.SOL_SOCKET, SO_RCVBUF, bytes, "SO_RCVBUF");
            } catch (IOException e) {
                // the default buffer stays; a smaller buffer only means earlier drops under a flood
            }
        }
    }

    /** SO_RCVTIMEO: {@link #receive} returns null after waiting this long without a datagram. */
    public void receiveTimeout(int millis) throws IOException {
        set(Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, RawIcmpSocket.timeval(millis), "SO_RCVTIMEO");
    }

    /** Binds to address:port (port 0: an ephemeral port). */
    public void bind(Inet4Address address, int port) throws IOException {
        byte[] sa = sockaddrIn(address, port);
        try {
            Libc.C.bind(fd, sa, sa.length);
        } catch (LastErrorException e) {
            throw new IOException("bind " + address.getHostAddress() + ":" + port + ": " + Libc.describe(e), e);
        }
    }

    /**
     * Sends one datagram without blocking. Returns false if the send buffer is full (EAGAIN);
     * throws with the system's error text (e.g. {@code Network is unreachable}) on failure.
     */
    public synchronized boolean send(byte[] packet, Inet4Address to, int port) throws IOException {
        if (closed) {
            throw new IOException("Socket closed");
        }
        byte[] sa = sockaddrIn(to, port);
        try {
            Libc.C.sendto(fd, packet, new NativeLong(packet.length), MSG_DONTWAIT, sa, sa.length);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Libc.EAGAIN) {
                return false;
            }
            throw new IOException(Libc.describe(e), e);
        }
    }

    /** A received datagram: {@code length} bytes of the buffer, from {@code source}:{@code port}. */
    public record Datagram(int length, Inet4Address source, int port) {
    }

    /**
     * Receives one datagram into {@code buffer} (a longer one is truncated to the buffer). Returns
     * null when the receive timeout passed, a signal interrupted the call, or the socket was shut
     * down.
     */
    public Datagram receive(byte[] buffer) throws IOException {
        byte[] sa = new byte[Libc.SOCKADDR_IN_SIZE];
        long n;
        try {
            n = Libc.receiveFrom(fd, buffer, sa);
        } catch (IOException e) {
            if (shut) {
                return null;
            }
            throw e;
        }
        if (n < 0 || shut) {
            return null; // a shut-down socket returns 0 at once; an empty datagram just before it does not matter any more
        }
        return new Datagram((int) Math.min(n, buffer.length), Libc.address(sa), (sa[2] & 0xff) << 8 | (sa[3] & 0xff));
    }

    /**
     * Wakes a thread blocked in {@link #receive} (on Linux, shutdown wakes a blocked recvfrom even
     * on an unconnected UDP socket, although it reports ENOTCONN); receive returns null from now on.
     */
    public void shutdown() {
        shut = true;
        synchronized (this) {
            if (closed) {
                return;
            }
            try {
                Libc.C.shutdown(fd, SHUT_RDWR);
            } catch (LastErrorException e) {
                // ENOTCONN for an unconnected socket, which is woken all the same
            }
        }
    }

    /** Releases the descriptor; call after the reader thread has left {@link #receive}. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            shut = true;
            Libc.closeQuietly(fd);
        }
    }

    private void setInt(int level, int name, int value, String what) throws IOException {
        set(level, name, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array(), what);
    }

    private void set(int level, int name, byte[] value, String what) throws IOException {
        try {
            Libc.C.setsockopt(fd, level, name, value, value.length);
        } catch (LastErrorException e) {
            throw new IOException(what + ": " + Libc.describe(e), e);
        }
    }

    /** {@code struct ip_mreqn}: group and local address in network order (null: INADDR_ANY), interface index in host order. */
    static byte[] ipMreqn(Inet4Address group, Inet4Address address, int interfaceIndex) {
        ByteBuffer b = ByteBuffer.allocate(12);
        b.put(group != null ? group.getAddress() : new byte[4]);
        b.put(address != null ? address.getAddress() : new byte[4]);
        b.order(ByteOrder.nativeOrder()).putInt(interfaceIndex);
        return b.array();
    }

    /** {@code struct sockaddr_in}: family in host order, port and address in network order. */
    static byte[] sockaddrIn(Inet4Address address, int port) {
        ByteBuffer b = ByteBuffer.allocate(Libc.SOCKADDR_IN_SIZE).order(ByteOrder.nativeOrder());
        b.putShort((short) Libc.AF_INET);
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) port);
        b.put(address.getAddress());
        return b.array();
    }
}
