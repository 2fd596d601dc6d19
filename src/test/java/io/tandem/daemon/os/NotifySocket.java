package io.tandem.daemon.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What systemd listens on for a Type=notify service: a bound AF_UNIX datagram socket (a path, or
 * {@code @name} in the abstract namespace). The tests hand its name to the daemon as NOTIFY_SOCKET
 * and read the notifications, one datagram each.
 */
public final class NotifySocket implements AutoCloseable {
    private final int fd;
    private final String name;

    private NotifySocket(int fd, String name) {
        this.fd = fd;
        this.name = name;
    }

    public static NotifySocket bind(String name) throws IOException {
        int fd = Libc.C.socket(1, 2 | 0x80000, 0);
        try {
            byte[] address = UnixDatagramSocket.address(name);
            Libc.C.bind(fd, address, address.length);
            // 100 ms receive timeout: receive() polls
            byte[] tv = new byte[16];
            tv[8] = (byte) 0xa0;
            tv[9] = (byte) 0x86;
            tv[10] = 0x01; // 100000 us, little-endian
            Libc.C.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, tv, tv.length);
            return new NotifySocket(fd, name);
        } catch (LastErrorException e) {
            Libc.closeQuietly(fd);
            throw new IOException(name + ": " + Libc.describe(e), e);
        }
    }

    public String name() {
        return name;
    }

    /** The next notification within ~100 ms, if one came. */
    public Optional<String> receive() throws IOException {
        byte[] buffer = new byte[4096];
        try {
            long n = Libc.C.recvfrom(fd, buffer, new NativeLong(buffer.length), 0, null, null).longValue();
            return Optional.of(new String(buffer, 0, (int) n, StandardCharsets.UTF_8));
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Libc.EAGAIN || e.getErrorCode() == Libc.EINTR) {
                return Optional.empty();
            }
            throw new IOException(Libc.describe(e), e);
        }
    }

    /** Every notification that arrives within {@code millis}. */
    public List<String> drain(long millis) throws IOException {
        List<String> all = new ArrayList<>();
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            receive().ifPresent(all::add);
        }
        return all;
    }

    @Override
    public void close() {
        Libc.closeQuietly(fd);
    }
}
