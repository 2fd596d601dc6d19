package io.tandem.daemon.media;

import io.tandem.daemon.os.RawIcmpSocket;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code ping} and {@code ping_group} media: {@link #send} sends the given payload (the
 * caller's signed {@code t=NS_st} message) as an ICMP echo request to every host of the medium;
 * echo replies that carry our identifier and come from one of those hosts are handed to the sink
 * with their payload. Identifier = pid &amp; 0xffff in host byte order, sequence = a counter in
 * network order, as heartbeat's ping plugins do (docs/protocol.md §8.1). Uses a raw socket: needs root.
 *
 * <p>Every raw ICMP socket sees every echo reply of the machine, and all ping media of a process
 * share the identifier; so the sequence counter is shared by the process's ping media, and a
 * medium accepts a reply only for a sequence number it sent (each once), from a host it pinged.
 */
public final class PingMedium implements Medium {
    private static final int RECEIVE_TIMEOUT_MS = 200;
    private static final int MAX_DATAGRAM = 65_536;
    private static final int REMEMBERED_REQUESTS = 256;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final String type;
    private final String name;
    private final List<Inet4Address> hosts;
    private final RawIcmpSocket socket;
    private final PacketSink sink;
    private final MediumListener listener;
    private final int identifier;
    private final Thread thread;
    private final Set<Integer> outstanding = new LinkedHashSet<>();
    private volatile boolean closed;

    private PingMedium(String type, String name, List<Inet4Address> hosts, RawIcmpSocket socket, PacketSink sink,
            MediumListener listener) {
        this.type = type;
        this.name = name;
        this.hosts = List.copyOf(hosts);
        this.socket = socket;
        this.sink = sink;
        this.listener = listener;
        this.identifier = (int) (ProcessHandle.current().pid() & 0xffff);
        this.thread = new Thread(this::receiveLoop, "medium-" + type + "-" + name);
        this.thread.setDaemon(true);
    }

    /** {@code ping HOST}: the medium and the ping node are both named HOST. */
    public static PingMedium ping(String host, PacketSink sink, MediumListener listener) throws IOException {
        return open("ping", host, List.of(host), sink, listener, "ping heartbeat started.");
    }

    /** {@code ping_group NAME HOST...}: any host's reply keeps the ping node NAME alive. */
    public static PingMedium pingGroup(String name, List<String> hosts, PacketSink sink, MediumListener listener)
            throws IOException {
        return open("ping_group", name, hosts, sink, listener, "ping group heartbeat started.");
    }

    private static PingMedium open(String type, String name, List<String> hostNames, PacketSink sink,
            MediumListener listener, String startText) throws IOException {
        List<Inet4Address> hosts = new ArrayList<>();
        for (String h : hostNames) {
            InetAddress a;
            try {
                a = InetAddress.getByName(h);
            } catch (UnknownHostException e) {
                throw new IOException(type + " " + name + ": unknown host: " + h, e);
            }
            if (!(a instanceof Inet4Address v4)) {
                throw new IOException(type + " " + name + ": " + h + " is not an IPv4 host");
            }
            hosts.add(v4);
        }
        RawIcmpSocket socket;
        try {
            socket = RawIcmpSocket.open(RECEIVE_TIMEOUT_MS);
        } catch (IOException e) {
            throw new IOException(type + " " + name + ": " + e.getMessage(), e);
        }
        PingMedium m = new PingMedium(type, name, hosts, socket, sink, listener);
        m.thread.start();
        listener.started(m, startText);
        return m;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isPing() {
        return true;
    }

    /** The ICMP identifier this medium sends and accepts (pid &amp; 0xffff). */
    public int identifier() {
        return identifier;
    }

    @Override
    public boolean send(byte[] payload) {
        boolean all = true;
        for (Inet4Address host : hosts) {
            try {
                synchronized (this) {
                    if (closed) {
                        throw new IOException("medium closed");
                    }
                    int sequence = SEQUENCE.incrementAndGet() & 0xffff;
                    remember(sequence);
                    socket.send(IcmpEcho.request(identifier, sequence, payload).encode(ByteOrder.nativeOrder()), host);
                }
            } catch (IOException e) {
                all = false;
                listener.writeFailed(this, new IOException("Error sending packet to " + host.getHostAddress() + ": " + e.getMessage(), e));
            }
        }
        return all;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (thread != Thread.currentThread()) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            socket.close();
        }
    }

    @Override
    public String toString() {
        return type + " " + name;
    }

    private void remember(int sequence) {
        synchronized (outstanding) {
            outstanding.remove(sequence);
            outstanding.add(sequence);
            if (outstanding.size() > REMEMBERED_REQUESTS) {
                outstanding.remove(outstanding.iterator().next());
            }
        }
    }

    private boolean answered(int sequence) {
        synchronized (outstanding) {
            return outstanding.remove(sequence);
        }
    }

    private void receiveLoop() {
        byte[] buffer = new byte[MAX_DATAGRAM];
        while (!closed) {
            RawIcmpSocket.Datagram d;
            try {
                d = socket.receive(buffer);
            } catch (IOException e) {
                if (!closed) {
                    listener.readFailed(this, new IOException("Error receiving from socket on " + this + ": " + e.getMessage(), e));
                }
                continue;
            }
            if (d == null || !hosts.contains(d.source())) {
                continue;
            }
            Optional<IcmpEcho> echo = IcmpEcho.fromIpv4(buffer, d.length(), ByteOrder.nativeOrder());
            if (echo.isPresent() && echo.get().type() == IcmpEcho.ECHO_REPLY && echo.get().identifier() == identifier
                    && answered(echo.get().sequence())) {
                try {
                    sink.packet(echo.get().payload(), name, d.source());
                } catch (RuntimeException e) {
                    listener.readFailed(this, new IOException("packet handler failed on " + this + ": " + e, e));
                }
            }
        }
    }
}
