package io.tandem.daemon.os;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The IPv4 addresses of this network namespace, read from the kernel over rtnetlink ({@code RTM_GETADDR}
 * dump) in the daemon's own process: what {@code ip -o -4 addr show} lists, without starting a process.
 * The address step of a takeover asks twice (the status, then the start); each {@code ip} it no longer
 * starts is 10-30 ms of the clients' gap.
 *
 * <p>The kernel's answer is bounded before it is read ({@value #MAX_BYTES} bytes, {@value #MAX_ADDRESSES}
 * addresses) and parsed in one pass; every length is checked against what is left. Any doubt (a short
 * message, an error answer, a sequence number not ours) fails the call: the caller then starts {@code ip}.
 */
public final class NetlinkAddresses {
    /** One address: device (by its index), address, prefix length and label ({@code eth0:0} for an alias). */
    public record Entry(String iface, String ip, int prefix, String label) {
    }

    static final int AF_NETLINK = 16;
    static final int NETLINK_ROUTE = 0;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int RTM_NEWADDR = 20;
    static final int RTM_GETADDR = 22;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLM_F_REQUEST = 1;
    static final int NLM_F_DUMP = 0x300;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_LABEL = 3;
    static final int HEADER = 16;
    static final int IFADDRMSG = 8;
    static final int MAX_BYTES = 1 << 20;
    static final int MAX_ADDRESSES = 4096;
    private static final int RECEIVE_TIMEOUT_MS = 2_000;

    private NetlinkAddresses() {
    }

    /** The IPv4 addresses of the calling thread's network namespace. */
    public static List<Entry> list() throws IOException {
        int fd;
        try {
            fd = Libc.C.socket(AF_NETLINK, Libc.SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        } catch (LastErrorException e) {
            throw new IOException("Can't open a netlink socket: " + Libc.describe(e), e);
        } catch (UnsatisfiedLinkError e) {
            throw new IOException("Can't open a netlink socket: native libc not available: " + e.getMessage(), e);
        }
        try {
            byte[] timeval = RawIcmpSocket.timeval(RECEIVE_TIMEOUT_MS);
            Libc.C.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeval, timeval.length);
            int seq = (int) (System.nanoTime() & 0x7fffffff);
            byte[] request = request(seq);
            byte[] kernel = new byte[12]; // sockaddr_nl: family, pad, pid 0 (the kernel), groups 0
            ByteBuffer.wrap(kernel).order(ByteOrder.nativeOrder()).putShort((short) AF_NETLINK);
            Libc.C.sendto(fd, request, new com.sun.jna.NativeLong(request.length), 0, kernel, kernel.length);
            Map<Integer, String> names = new HashMap<>();
            List<Entry> out = new ArrayList<>();
            byte[] buffer = new byte[32 * 1024];
            byte[] from = new byte[12];
            long total = 0;
            while (true) {
                long n = Libc.C.recvfrom(fd, buffer, new com.sun.jna.NativeLong(buffer.length), 0, from,
                        new com.sun.jna.ptr.IntByReference(from.length)).longValue();
                total += n;
                if (n <= 0 || total > MAX_BYTES) {
                    throw new IOException("netlink address dump: " + (n <= 0 ? "no answer" : "more than " + MAX_BYTES + " bytes"));
                }
                if (parse(ByteBuffer.wrap(buffer, 0, (int) n).slice().order(ByteOrder.nativeOrder()), seq, out,
                        i -> names.computeIfAbsent(i, NetlinkAddresses::nameOf))) {
                    return out;
                }
            }
        } catch (LastErrorException e) {
            throw new IOException("netlink address dump: " + Libc.describe(e), e);
        } finally {
            Libc.closeQuietly(fd);
        }
    }

    /** The dump request: a netlink header and an {@code ifaddrmsg} asking for AF_INET. */
    static byte[] request(int seq) {
        ByteBuffer b = ByteBuffer.allocate(HEADER + IFADDRMSG).order(ByteOrder.nativeOrder());
        b.putInt(HEADER + IFADDRMSG).putShort((short) RTM_GETADDR).putShort((short) (NLM_F_REQUEST | NLM_F_DUMP)).putInt(seq).putInt(0);
        b.put((byte) Libc.AF_INET);
        return b.array();
    }

    /**
     * One datagram of the dump into {@code out}: true when it ended the dump ({@code NLMSG_DONE}). An error
     * message, another sequence number, a length that does not fit or too many addresses throw.
     */
    static boolean parse(ByteBuffer b, int seq, List<Entry> out, java.util.function.IntFunction<String> ifaceOf) throws IOException {
        while (b.remaining() >= HEADER) {
            int start = b.position();
            int len = b.getInt(start);
            int type = b.getShort(start + 4) & 0xffff;
            int msgSeq = b.getInt(start + 8);
            if (len < HEADER || len > b.remaining()) {
                throw new IOException("netlink address dump: a message of " + len + " bytes in " + b.remaining());
            }
            if (msgSeq != seq) {
                throw new IOException("netlink address dump: an answer to another request (sequence " + msgSeq + ")");
            }
            if (type == NLMSG_DONE) {
                return true;
            }
            if (type == NLMSG_ERROR) {
                int errno = len >= HEADER + 4 ? -b.getInt(start + HEADER) : 0;
                throw new IOException("netlink address dump: the kernel answered error " + errno);
            }
            if (type == RTM_NEWADDR && len >= HEADER + IFADDRMSG) {
                Entry e = address(b, start, len, ifaceOf);
                if (e != null) {
                    if (out.size() >= MAX_ADDRESSES) {
                        throw new IOException("netlink address dump: more than " + MAX_ADDRESSES + " addresses");
                    }
                    out.add(e);
                }
            }
            b.position(Math.min(b.limit(), start + align(len)));
        }
        return false;
    }

    /** One {@code RTM_NEWADDR}: null when it is not IPv4 or carries no address. */
    private static Entry address(ByteBuffer b, int start, int len, java.util.function.IntFunction<String> ifaceOf) {
        int family = b.get(start + HEADER) & 0xff;
        int prefix = b.get(start + HEADER + 1) & 0xff;
        int index = b.getInt(start + HEADER + 4);
        if (family != Libc.AF_INET || prefix > 32) {
            return null;
        }
        byte[] local = null;
        byte[] address = null;
        String label = null;
        int end = start + len;
        int at = start + HEADER + IFADDRMSG;
        while (at + 4 <= end) {
            int alen = b.getShort(at) & 0xffff;
            int atype = b.getShort(at + 2) & 0x3fff;
            if (alen < 4 || at + alen > end) {
                return null;
            }
            int vlen = alen - 4;
            if ((atype == IFA_LOCAL || atype == IFA_ADDRESS) && vlen == 4) {
                byte[] v = new byte[4];
                b.get(at + 4, v);
                if (atype == IFA_LOCAL) {
                    local = v;
                } else {
                    address = v;
                }
            } else if (atype == IFA_LABEL && vlen > 0 && vlen <= 64) {
                int n = 0;
                while (n < vlen && b.get(at + 4 + n) != 0) {
                    n++;
                }
                byte[] v = new byte[n];
                b.get(at + 4, v);
                label = new String(v, StandardCharsets.US_ASCII);
            }
            at += align(alen);
        }
        byte[] ip = local != null ? local : address;
        String iface = ifaceOf.apply(index);
        if (ip == null || iface == null) {
            return null;
        }
        String text = (ip[0] & 0xff) + "." + (ip[1] & 0xff) + "." + (ip[2] & 0xff) + "." + (ip[3] & 0xff);
        return new Entry(iface, text, prefix, label == null || label.isEmpty() ? iface : label);
    }

    private static int align(int len) {
        return (len + 3) & ~3;
    }

    /** if_indextoname(3); null when there is no such device (any more). */
    private static String nameOf(int index) {
        byte[] name = new byte[16];
        try {
            if (Libc.C.if_indextoname(index, name) == null) {
                return null;
            }
        } catch (LastErrorException e) {
            return null;
        }
        int n = 0;
        while (n < name.length && name[n] != 0) {
            n++;
        }
        return new String(name, 0, n, StandardCharsets.US_ASCII);
    }
}
