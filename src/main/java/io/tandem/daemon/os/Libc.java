package io.tandem.daemon.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.ptr.IntByReference;

/**
 * The few libc calls the JDK lacks, bound through JNA. Every call that can fail throws
 * {@link LastErrorException} carrying errno; callers turn it into an {@link java.io.IOException}
 * with {@link #describe(LastErrorException)}.
 */
interface Libc extends Library {
    Libc C = Native.load("c", Libc.class);

    int AF_INET = 2;
    int SOCK_RAW = 3;
    int IPPROTO_ICMP = 1;
    int SOL_SOCKET = 1;
    int SO_RCVTIMEO = 20;
    int EPERM = 1;
    int EINTR = 4;
    int EAGAIN = 11;
    int EACCES = 13;
    int ENOTCONN = 107;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int setsockopt(int fd, int level, int name, byte[] value, int length) throws LastErrorException;

    int bind(int fd, byte[] address, int length) throws LastErrorException;

    int shutdown(int fd, int how) throws LastErrorException;

    NativeLong sendto(int fd, byte[] buffer, NativeLong length, int flags, byte[] address, int addressLength) throws LastErrorException;

    NativeLong recvfrom(int fd, byte[] buffer, NativeLong length, int flags, byte[] address, IntByReference addressLength)
            throws LastErrorException;

    int close(int fd) throws LastErrorException;

    String strerror(int errno);

    /** if_indextoname(3): {@code name} (16 bytes) gets the device's name; null when there is no such device. */
    com.sun.jna.Pointer if_indextoname(int index, byte[] name) throws LastErrorException;

    /** The system's text for the error, e.g. {@code Operation not permitted}. */
    static String describe(LastErrorException e) {
        return C.strerror(e.getErrorCode());
    }

    /** The size of a {@code struct sockaddr_in}. */
    int SOCKADDR_IN_SIZE = 16;

    /**
     * One {@code recvfrom} into {@code buffer}, the sender's {@code sockaddr_in} into {@code from}
     * (16 bytes): the datagram's length, or -1 when the receive timeout passed or a signal
     * interrupted the call (EAGAIN, EINTR).
     */
    static long receiveFrom(int fd, byte[] buffer, byte[] from) throws java.io.IOException {
        try {
            return C.recvfrom(fd, buffer, new NativeLong(buffer.length), 0, from, new IntByReference(from.length)).longValue();
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EAGAIN || e.getErrorCode() == EINTR) {
                return -1;
            }
            throw new java.io.IOException(describe(e), e);
        }
    }

    /** The IPv4 address of a {@code sockaddr_in}. */
    static java.net.Inet4Address address(byte[] sockaddr) {
        try {
            return (java.net.Inet4Address) java.net.InetAddress.getByAddress(new byte[] {sockaddr[4], sockaddr[5], sockaddr[6], sockaddr[7]});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }

    /** close(2); its failure leaves nothing to undo (the descriptor is released either way). */
    static void closeQuietly(int fd) {
        try {
            C.close(fd);
        } catch (LastErrorException e) {
            // nothing to undo
        }
    }
}
