package io.tandem.daemon.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A raw IPv4 ICMP socket ({@code socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)}), which needs root or
 * CAP_NET_RAW. {@link #send} takes a complete ICMP message; {@link #receive} returns whole IPv4
 * datagrams (header included), as the kernel hands them to raw sockets. Receiving waits at most the
 * timeout given at open, so a reader thread can notice {@link #close()}.
 *
 * <p>Not thread-safe for closing: close only after the reader thread has left {@link #receive}.
 */
public final class RawIcmpSocket implements AutoCloseable {

    private final int fd;
    private boolean closed;

    private RawIcmpSocket(int fd) {
        this.fd = fd;
    }

    /** Opens the socket; {@code receiveTimeoutMillis} bounds each {@link #receive} call. */
    public static RawIcmpSocket open(int receiveTimeoutMillis) throws IOException {
        int fd;
        try {
            fd = Libc.C.socket(Libc.AF_INET, Libc.SOCK_RAW, Libc.IPPROTO_ICMP);
        } catch (LastErrorException e) {
            throw new IOException("Can't open RAW socket: " + Libc.describe(e) + " (ping needs root or CAP_NET_RAW)", e);
        } catch (UnsatisfiedLinkError e) {
            throw new IOException("Can't open RAW socket: native libc not available: " + e.getMessage(), e);
        }
        RawIcmpSocket socket = new RawIcmpSocket(fd);
        try {
            byte[] timeval = timeval(receiveTimeoutMillis);
            Libc.C.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeval, timeval.length);
        } catch (LastErrorException e) {
            socket.close();
            throw new IOException("Can't set SO_RCVTIMEO on RAW socket: " + Libc.describe(e), e);
        }
        return socket;
    }

    /** Sends one ICMP message to {@code to}; throws with the system's error text on failure. */
    public void send(byte[] icmp, Inet4Address to) throws IOException {
        byte[] address = sockaddrIn(to);
        try {
            Libc.C.sendto(fd, icmp, new NativeLong(icmp.length), 0, address, address.length);
        } catch (LastErrorException e) {
            throw new IOException(Libc.describe(e), e);
        }
    }

    /** A received IPv4 datagram: {@code length} bytes of the buffer, from {@code source}. */
    public record Datagram(int length, InetAddress source) {
    }

    /**
     * Receives one datagram into {@code buffer}; returns null when the timeout passed (or a signal
     * interrupted the call) without a datagram.
     */
    public Datagram receive(byte[] buffer) throws IOException {
        byte[] address = new byte[Libc.SOCKADDR_IN_SIZE];
        long n = Libc.receiveFrom(fd, buffer, address);
        return n < 0 ? null : new Datagram((int) n, Libc.address(address));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.closeQuietly(fd);
        }
    }

    /** {@code struct sockaddr_in}: family in host order, port and address in network order. */
    static byte[] sockaddrIn(Inet4Address to) {
        return UdpSocket.sockaddrIn(to, 0);
    }

    /** {@code struct timeval} of two C longs in host order. */
    static byte[] timeval(int millis) {
        ByteBuffer b = ByteBuffer.allocate(2 * Native.LONG_SIZE).order(ByteOrder.nativeOrder());
        long seconds = millis / 1000, micros = (millis % 1000) * 1000L;
        if (Native.LONG_SIZE == 8) {
            b.putLong(seconds).putLong(micros);
        } else {
            b.putInt((int) seconds).putInt((int) micros);
        }
        return b.array();
    }
}
