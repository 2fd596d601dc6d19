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

    /** The system's text for the error, e.g. {@code Operation not permitted}. */
    static String describe(LastErrorException e) {
        return C.strerror(e.getErrorCode());
    }
}
