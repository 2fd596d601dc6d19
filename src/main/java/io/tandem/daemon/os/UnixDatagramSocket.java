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

    /** Sends one datagram to the socket at {@code path}; throws with the system's error text. */
    public void send(String path, byte[] datagram) throws IOException {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        if (p.length > SUN_PATH_MAX) {
            throw new IOException("socket path too long: " + path);
        }
        byte[] address = new byte[2 + p.length + 1];
        address[0] = (byte) AF_UNIX; // sa_family_t, little-endian on the platforms Tandem runs on
        System.arraycopy(p, 0, address, 2, p.length);
        try {
            Libc.C.sendto(fd, datagram, new NativeLong(datagram.length), 0, address, address.length);
        } catch (LastErrorException e) {
            throw new IOException(path + ": " + Libc.describe(e), e);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.closeQuietly(fd);
        }
    }
}
