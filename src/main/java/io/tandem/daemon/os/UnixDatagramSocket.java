package io.tandem.daemon.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * An unbound AF_UNIX datagram socket for sending to a socket path, e.g. syslog's {@code /dev/log};
 * the JDK's Unix-domain channels are stream-only. Use from one thread.
 */
public final class UnixDatagramSocket implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SUN_PATH_MAX = 107;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_NOSIGNAL = 0x4000;

    private final int fd;
    private boolean closed;

    private UnixDatagramSocket(int fd) {
        this.fd = fd;
    }

    public static UnixDatagramSocket open() throws IOException {
        try {
            return new UnixDatagramSocket(Libc.C.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        } catch (LastErrorException e) {
            throw new IOException("cannot open a unix datagram socket: " + Libc.describe(e), e);
        } catch (UnsatisfiedLinkError e) {
            throw new IOException("cannot open a unix datagram socket: native libc not available: " + e.getMessage(), e);
        }
    }

    /**
     * Sends one datagram to the socket at {@code path}; throws with the system's error text. A path
     * starting with {@code @} is an address in the abstract namespace (systemd's NOTIFY_SOCKET may be
     * one): the {@code @} becomes the leading NUL byte and the address has no terminating NUL.
     */
    public void send(String path, byte[] datagram) throws IOException {
        send(path, datagram, 0);
    }

    /**
     * As {@link #send(String, byte[])}, but never waits: a receiver whose queue is full (EAGAIN) or a
     * closed one is an IOException at once (MSG_DONTWAIT | MSG_NOSIGNAL), so an event-loop thread
     * calling this cannot be held up by the receiver.
     */
    public void sendWithoutWaiting(String path, byte[] datagram) throws IOException {
        send(path, datagram, MSG_DONTWAIT | MSG_NOSIGNAL);
    }

    private void send(String path, byte[] datagram, int flags) throws IOException {
        byte[] address = address(path);
        try {
            Libc.C.sendto(fd, datagram, new NativeLong(datagram.length), flags, address, address.length);
        } catch (LastErrorException e) {
            throw new IOException(path + ": " + Libc.describe(e), e);
        }
    }

    /** The {@code struct sockaddr_un} for a path ({@code @name}: abstract), of the length to pass to the kernel. */
    static byte[] address(String path) throws IOException {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = p.length > 0 && p[0] == '@';
        if (p.length == 0 || p.length > SUN_PATH_MAX || (abstractName && p.length == 1)) {
            throw new IOException("not a usable unix socket address: '" + path + "'");
        }
        byte[] address = new byte[2 + p.length + (abstractName ? 0 : 1)];
        address[0] = (byte) AF_UNIX; // sa_family_t, little-endian on the platforms Tandem runs on
        System.arraycopy(p, 0, address, 2, p.length);
        if (abstractName) {
            address[2] = 0;
        }
        return address;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.closeQuietly(fd);
        }
    }
}
