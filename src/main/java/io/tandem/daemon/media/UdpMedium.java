package io.tandem.daemon.media;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The UDP media {@code bcast}, {@code mcast} and {@code ucast}, scoped to their device without
 * native code (the JDK has no SO_BINDTODEVICE):
 * <ul>
 * <li>bcast: receive socket bound to the device's subnet broadcast address and the port (it gets
 * only broadcasts of that subnet); send socket bound to the device's address with SO_BROADCAST,
 * sending to the subnet broadcast address.</li>
 * <li>mcast: receive socket bound to group:port and joined on the device; send socket bound to the
 * device's address with IP_MULTICAST_IF/TTL/LOOP. The JDK opens datagram sockets with
 * IP_MULTICAST_ALL off on Linux, so the socket hears the group only on the device it joined on,
 * even when another medium joined the same group and port on another device (tested in
 * MediaLabTest).</li>
 * <li>ucast: one receive socket per IPv4 address of the device, bound to address:port (never
 * 0.0.0.0, which would also get every broadcast); send socket bound to the device's address,
 * IP_TOS low delay, sending to each peer:port.</li>
 * </ul>
 * Senders use an ephemeral source port, as heartbeat does; receivers accept any source port.
 * Our own packets that come back (a broadcast reaches our own receive socket too, as does
 * multicast with loop on, or a ucast to our own address) are passed up like any other: the
 * membership engine drops them as duplicates, as heartbeat does.
 */
public final class UdpMedium implements Medium {
    private static final int MAX_DATAGRAM = 65_536;
    private static final int IPTOS_LOWDELAY = 0x10;

    private final String type;
    private final String name;
    private final DatagramChannel sender;
    private final List<InetSocketAddress> destinations;
    private final List<DatagramChannel> receivers;
    private final PacketSink sink;
    private final MediumListener listener;
    private final List<Thread> threads = new ArrayList<>();

    private UdpMedium(String type, String name, DatagramChannel sender, List<InetSocketAddress> destinations,
            List<DatagramChannel> receivers, PacketSink sink, MediumListener listener) {
        this.type = type;
        this.name = name;
        this.sender = sender;
        this.destinations = List.copyOf(destinations);
        this.receivers = List.copyOf(receivers);
        this.sink = sink;
        this.listener = listener;
    }

    /** {@code bcast DEVICE} on {@code port}. */
    public static UdpMedium bcast(String device, int port, PacketSink sink, MediumListener listener) throws IOException {
        LinkAddress link = LinkAddress.of("bcast", device);
        List<DatagramChannel> opened = new ArrayList<>();
        try {
            DatagramChannel rx = open(opened);
            rx.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            rx.bind(new InetSocketAddress(link.broadcast(), port));
            DatagramChannel tx = open(opened);
            tx.setOption(StandardSocketOptions.SO_BROADCAST, true);
            tx.bind(new InetSocketAddress(link.address(), 0));
            tx.configureBlocking(false);
            UdpMedium m = new UdpMedium("bcast", device, tx, List.of(new InetSocketAddress(link.broadcast(), port)),
                    List.of(rx), sink, listener);
            return m.start(String.format("UDP Broadcast heartbeat started on port %d (%d) interface %s", port, port, device));
        } catch (IOException e) {
            closeAll(opened);
            throw new IOException("bcast " + device + ": cannot open port " + port + ": " + e.getMessage(), e);
        }
    }

    /** {@code mcast DEVICE GROUP PORT TTL LOOP}. */
    public static UdpMedium mcast(String device, String group, int port, int ttl, boolean loop, PacketSink sink,
            MediumListener listener) throws IOException {
        InetAddress groupAddress = resolve("mcast", device, group);
        if (!groupAddress.isMulticastAddress()) {
            throw new IOException("mcast " + device + ": bad addr " + group + " (not a multicast address)");
        }
        LinkAddress link = LinkAddress.of("mcast", device);
        List<DatagramChannel> opened = new ArrayList<>();
        try {
            DatagramChannel rx = open(opened);
            rx.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            rx.bind(new InetSocketAddress(groupAddress, port));
            rx.join(groupAddress, link.nif());
            DatagramChannel tx = open(opened);
            tx.bind(new InetSocketAddress(link.address(), 0));
            tx.setOption(StandardSocketOptions.IP_MULTICAST_IF, link.nif());
            tx.setOption(StandardSocketOptions.IP_MULTICAST_TTL, ttl);
            tx.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, loop);
            tx.configureBlocking(false);
            UdpMedium m = new UdpMedium("mcast", device, tx, List.of(new InetSocketAddress(groupAddress, port)),
                    List.of(rx), sink, listener);
            return m.start(String.format("UDP multicast heartbeat started for group %s port %d interface %s (ttl=%d loop=%d)",
                    group, port, device, ttl, loop ? 1 : 0));
        } catch (IOException e) {
            closeAll(opened);
            throw new IOException("mcast " + device + ": cannot open group " + group + " port " + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code ucast DEVICE PEER...}: all ucast lines of one device in one medium (their link names
     * are the same, and the kernel would hand a unicast datagram to only one of several sockets
     * bound to the same address anyway).
     */
    public static UdpMedium ucast(String device, List<String> peers, int port, PacketSink sink, MediumListener listener)
            throws IOException {
        return ucast(device, peers, port, null, sink, listener);
    }

    /**
     * As above; with a {@code bind} address (Tandem's {@code --bind}, e.g. for several nodes on one
     * machine's loopback) the medium sends from and listens on that address only.
     */
    public static UdpMedium ucast(String device, List<String> peers, int port, Inet4Address bind, PacketSink sink,
                                  MediumListener listener) throws IOException {
        List<InetSocketAddress> destinations = new ArrayList<>();
        for (String peer : peers) {
            InetAddress a = resolve("ucast", device, peer);
            if (!(a instanceof Inet4Address)) {
                throw new IOException("ucast " + device + ": peer " + peer + " is not an IPv4 address");
            }
            destinations.add(new InetSocketAddress(a, port));
        }
        LinkAddress link = LinkAddress.of("ucast", device);
        List<DatagramChannel> opened = new ArrayList<>();
        try {
            List<DatagramChannel> rxs = new ArrayList<>();
            for (Inet4Address local : bind != null ? List.of(bind) : link.all()) {
                DatagramChannel rx = open(opened);
                rx.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                rx.bind(new InetSocketAddress(local, port));
                rxs.add(rx);
            }
            DatagramChannel tx = open(opened);
            tx.setOption(StandardSocketOptions.IP_TOS, IPTOS_LOWDELAY);
            tx.bind(new InetSocketAddress(bind != null ? bind : link.address(), 0));
            tx.configureBlocking(false);
            UdpMedium m = new UdpMedium("ucast", device, tx, destinations, rxs, sink, listener);
            return m.start(String.format("ucast: started on port %d interface %s to %s", port, device, String.join(" ", peers)));
        } catch (IOException e) {
            closeAll(opened);
            throw new IOException("ucast " + device + ": cannot open port " + port + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String name() {
        return name;
    }

    /** Where {@link #send} sends to (broadcast address, group or peers, with the port). */
    public List<InetSocketAddress> destinations() {
        return destinations;
    }

    @Override
    public boolean send(byte[] packet) {
        boolean all = true;
        for (InetSocketAddress to : destinations) {
            try {
                if (sender.send(ByteBuffer.wrap(packet), to) == 0) {
                    all = false;
                    listener.writeFailed(this, new IOException(String.format("Write timeout on %s %s: send buffer full, %d bytes to %s:%d dropped",
                            type, name, packet.length, to.getAddress().getHostAddress(), to.getPort())));
                }
            } catch (IOException e) {
                all = false;
                listener.writeFailed(this, new IOException(String.format("Unable to send HBcomm packet %s %s:%d len=%d: %s", name,
                        to.getAddress().getHostAddress(), to.getPort(), packet.length, describe(e)), e));
            }
        }
        return all;
    }

    @Override
    public void close() {
        closeAll(receivers);
        closeAll(List.of(sender));
        for (Thread t : threads) {
            if (t != Thread.currentThread()) {
                try {
                    t.join(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public String toString() {
        return type + " " + name;
    }

    private UdpMedium start(String startText) {
        for (DatagramChannel rx : receivers) {
            Thread t = new Thread(() -> receiveLoop(rx), "medium-" + type + "-" + name);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        listener.started(this, startText);
        return this;
    }

    private void receiveLoop(DatagramChannel rx) {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
        while (rx.isOpen()) {
            buffer.clear();
            InetSocketAddress from;
            try {
                from = (InetSocketAddress) rx.receive(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!rx.isOpen()) {
                    return;
                }
                listener.readFailed(this, new IOException("Error receiving from socket on " + this + ": " + describe(e), e));
                continue;
            }
            buffer.flip();
            byte[] packet = new byte[buffer.remaining()];
            buffer.get(packet);
            try {
                sink.packet(packet, name, from.getAddress());
            } catch (RuntimeException e) {
                listener.readFailed(this, new IOException("packet handler failed on " + this + ": " + e, e));
            }
        }
    }

    private static DatagramChannel open(List<DatagramChannel> opened) throws IOException {
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        opened.add(ch);
        return ch;
    }

    private static void closeAll(List<DatagramChannel> channels) {
        for (DatagramChannel ch : channels) {
            try {
                ch.close();
            } catch (IOException e) {
                // closing a datagram socket cannot lose data; nothing to report
            }
        }
    }

    private static InetAddress resolve(String type, String device, String host) throws IOException {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IOException(type + " " + device + ": unknown host " + host, e);
        }
    }

    static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
