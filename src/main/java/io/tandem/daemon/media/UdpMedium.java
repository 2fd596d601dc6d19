package io.tandem.daemon.media;

import io.tandem.daemon.os.UdpSocket;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The UDP media {@code bcast}, {@code mcast} and {@code ucast}. As in heartbeat, every socket of a
 * medium, receiving and sending, is bound to the medium's device (SO_BINDTODEVICE, through
 * {@link UdpSocket}): a packet addressed to the heartbeat LAN that arrives on another interface,
 * e.g. routed there from the public LAN through the node itself, reaches none of them. On top of
 * that each socket is bound to the address it serves:
 * <ul>
 * <li>bcast: receive socket bound to the device's subnet broadcast address and the port (it gets
 * only broadcasts of that subnet); send socket bound to the device's address with SO_BROADCAST,
 * sending to the subnet broadcast address.</li>
 * <li>mcast: receive socket bound to group:port, IP_MULTICAST_ALL off, joined on the device: it
 * hears the group only on that device, even when another medium joined the same group and port on
 * another device (tested in MediaLabTest); send socket bound to the device's address with
 * IP_MULTICAST_IF/TTL/LOOP.</li>
 * <li>ucast: one receive socket per IPv4 address of the device, bound to address:port (never
 * 0.0.0.0, which would also get every broadcast); send socket bound to the device's address,
 * IP_TOS low delay, sending to each peer:port. Only packets from the configured peers are passed
 * up; any other source is dropped unread, counted ({@link #droppedForeign()}) and reported to
 * {@link MediumListener#foreignPacket}.</li>
 * </ul>
 * Where the kernel refuses SO_BINDTODEVICE (EPERM: before Linux 5.7 it needs CAP_NET_RAW; the
 * loopback demo runs without root) the medium works unbound, as it did before, and says so once
 * through {@link MediumListener#warning}.
 *
 * <p>Senders use an ephemeral source port, as heartbeat does; receivers accept any source port.
 * Our own packets that come back (a broadcast reaches our own receive socket too, as does
 * multicast with loop on, or a ucast to our own address listed as a peer) are passed up like any other: the
 * membership engine drops them as duplicates, as heartbeat does.
 */
public final class UdpMedium implements Medium {
    private static final int MAX_DATAGRAM = 65_536;
    private static final int IPTOS_LOWDELAY = 0x10;
    /** Shutting a socket down wakes its receive thread at once; the timeout is only a backstop. */
    private static final int RECEIVE_TIMEOUT_MS = 1_000;
    /**
     * Receive buffer of each medium: a burst of 64 KB packets or tens of thousands of small forged
     * ones waits here instead of pushing real heartbeats out (the kernel default holds ~200 KB).
     */
    private static final int RECEIVE_BUFFER_BYTES = 4 << 20;

    /** How a socket is bound to its device: empty when bound, else why the kernel refused. */
    @FunctionalInterface
    interface DeviceBinding {
        Optional<String> bind(UdpSocket socket, String device) throws IOException;
    }

    static final DeviceBinding SO_BINDTODEVICE = UdpSocket::bindToDevice;

    private final String type;
    private final String name;
    private final UdpSocket sender;
    private final List<InetSocketAddress> destinations;
    private final List<UdpSocket> receivers;
    private final Set<InetAddress> peers;
    private final PacketSink sink;
    private final MediumListener listener;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong droppedForeign = new AtomicLong();
    private volatile boolean closed;

    private UdpMedium(String type, String name, UdpSocket sender, List<InetSocketAddress> destinations,
            List<UdpSocket> receivers, Set<InetAddress> peers, PacketSink sink, MediumListener listener) {
        this.type = type;
        this.name = name;
        this.sender = sender;
        this.destinations = List.copyOf(destinations);
        this.receivers = List.copyOf(receivers);
        this.peers = Set.copyOf(peers);
        this.sink = sink;
        this.listener = listener;
    }

    /** {@code bcast DEVICE} on {@code port}. */
    public static UdpMedium bcast(String device, int port, PacketSink sink, MediumListener listener) throws IOException {
        return bcast(device, port, sink, listener, SO_BINDTODEVICE);
    }

    static UdpMedium bcast(String device, int port, PacketSink sink, MediumListener listener, DeviceBinding binding)
            throws IOException {
        LinkAddress link = LinkAddress.of("bcast", device);
        Sockets sockets = new Sockets(device, binding);
        try {
            UdpSocket rx = sockets.receiver();
            rx.reuseAddress();
            rx.bind(link.broadcast(), port);
            UdpSocket tx = sockets.open();
            tx.broadcast();
            tx.bind(link.address(), 0);
            UdpMedium m = new UdpMedium("bcast", device, tx, List.of(new InetSocketAddress(link.broadcast(), port)),
                    List.of(rx), Set.of(), sink, listener);
            return m.start("UDP Broadcast heartbeat started on port " + port + " (" + port + ") interface " + device,
                    sockets.refused);
        } catch (IOException e) {
            sockets.abandon();
            throw new IOException("bcast " + device + ": cannot open port " + port + ": " + e.getMessage(), e);
        }
    }

    /** {@code mcast DEVICE GROUP PORT TTL LOOP}. */
    public static UdpMedium mcast(String device, String group, int port, int ttl, boolean loop, PacketSink sink,
            MediumListener listener) throws IOException {
        return mcast(device, group, port, ttl, loop, sink, listener, SO_BINDTODEVICE);
    }

    static UdpMedium mcast(String device, String group, int port, int ttl, boolean loop, PacketSink sink,
            MediumListener listener, DeviceBinding binding) throws IOException {
        InetAddress resolved = resolve("mcast", device, group);
        if (!resolved.isMulticastAddress()) {
            throw new IOException("mcast " + device + ": bad addr " + group + " (not a multicast address)");
        }
        if (!(resolved instanceof Inet4Address groupAddress)) {
            throw new IOException("mcast " + device + ": bad addr " + group + " (not an IPv4 address)");
        }
        LinkAddress link = LinkAddress.of("mcast", device);
        int index = link.nif().getIndex();
        Sockets sockets = new Sockets(device, binding);
        try {
            UdpSocket rx = sockets.receiver();
            rx.reuseAddress();
            rx.multicastAll(false);
            rx.bind(groupAddress, port);
            rx.join(groupAddress, index);
            UdpSocket tx = sockets.open();
            tx.bind(link.address(), 0);
            tx.multicastInterface(index, link.address());
            tx.multicastTtl(ttl);
            tx.multicastLoop(loop);
            UdpMedium m = new UdpMedium("mcast", device, tx, List.of(new InetSocketAddress(groupAddress, port)),
                    List.of(rx), Set.of(), sink, listener);
            return m.start("UDP multicast heartbeat started for group " + group + " port " + port + " interface " + device
                    + " (ttl=" + ttl + " loop=" + (loop ? 1 : 0) + ")", sockets.refused);
        } catch (IOException e) {
            sockets.abandon();
            throw new IOException("mcast " + device + ": cannot open group " + group + " port " + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code ucast DEVICE PEER...}: all ucast lines of one device in one medium (their link names
     * are the same, and the kernel would hand a unicast datagram to only one of several sockets
     * bound to the same address anyway). The peers are also the only sources it accepts; a node's
     * own address may be among them (one ha.cf listing every node).
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
        return ucast(device, peers, port, bind, sink, listener, SO_BINDTODEVICE);
    }

    static UdpMedium ucast(String device, List<String> peers, int port, Inet4Address bind, PacketSink sink,
                           MediumListener listener, DeviceBinding binding) throws IOException {
        List<InetSocketAddress> destinations = new ArrayList<>();
        Set<InetAddress> sources = new LinkedHashSet<>();
        for (String peer : peers) {
            InetAddress a = resolve("ucast", device, peer);
            if (!(a instanceof Inet4Address)) {
                throw new IOException("ucast " + device + ": peer " + peer + " is not an IPv4 address");
            }
            destinations.add(new InetSocketAddress(a, port));
            sources.add(a);
        }
        LinkAddress link = LinkAddress.of("ucast", device);
        Sockets sockets = new Sockets(device, binding);
        try {
            List<UdpSocket> rxs = new ArrayList<>();
            for (Inet4Address local : bind != null ? List.of(bind) : link.all()) {
                UdpSocket rx = sockets.receiver();
                rx.reuseAddress();
                rx.bind(local, port);
                rxs.add(rx);
            }
            UdpSocket tx = sockets.open();
            tx.typeOfService(IPTOS_LOWDELAY);
            tx.bind(bind != null ? bind : link.address(), 0);
            UdpMedium m = new UdpMedium("ucast", device, tx, destinations, rxs, sources, sink, listener);
            return m.start("ucast: started on port " + port + " interface " + device + " to " + String.join(" ", peers),
                    sockets.refused);
        } catch (IOException e) {
            sockets.abandon();
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

    /** How many packets this medium dropped because they did not come from a configured peer (ucast only). */
    public long droppedForeign() {
        return droppedForeign.get();
    }

    @Override
    public boolean send(byte[] packet) {
        boolean all = true;
        for (InetSocketAddress to : destinations) {
            try {
                if (!sender.send(packet, (Inet4Address) to.getAddress(), to.getPort())) {
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
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        receivers.forEach(UdpSocket::shutdown);
        boolean interrupted = false;
        for (int i = 0; i < threads.size(); i++) {
            Thread t = threads.get(i);
            if (t != Thread.currentThread()) {
                try {
                    t.join(2_000);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            // a thread still inside receive keeps its descriptor: closing it could hand the thread a reused one
            if (t == Thread.currentThread() || !t.isAlive()) {
                receivers.get(i).close();
            }
        }
        sender.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return type + " " + name;
    }

    private UdpMedium start(String startText, String bindingRefused) {
        for (UdpSocket rx : receivers) {
            Thread t = new Thread(() -> receiveLoop(rx), "medium-" + type + "-" + name);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        listener.started(this, startText);
        if (bindingRefused != null) {
            listener.warning(this, String.format("%s %s: sockets not bound to device %s (SO_BINDTODEVICE: %s); "
                    + "packets for its addresses that arrive on other interfaces are accepted too", type, name, name, bindingRefused));
        }
        return this;
    }

    private void receiveLoop(UdpSocket rx) {
        byte[] buffer = new byte[MAX_DATAGRAM];
        while (!closed) {
            UdpSocket.Datagram d;
            try {
                d = rx.receive(buffer);
            } catch (IOException e) {
                if (!closed) {
                    listener.readFailed(this, new IOException("Error receiving from socket on " + this + ": " + describe(e), e));
                }
                continue;
            }
            if (d == null || closed) {
                continue;
            }
            try {
                if (!peers.isEmpty() && !peers.contains(d.source())) {
                    droppedForeign.incrementAndGet();
                    listener.foreignPacket(this, d.source());
                } else {
                    sink.packet(Arrays.copyOf(buffer, d.length()), name, d.source());
                }
            } catch (RuntimeException e) {
                listener.readFailed(this, new IOException("packet handler failed on " + this + ": " + e, e));
            }
        }
    }

    /** The sockets of a medium being opened: each bound to the device as it is opened, all closed again on failure. */
    private static final class Sockets {
        private final String device;
        private final DeviceBinding binding;
        private final List<UdpSocket> opened = new ArrayList<>();
        /** Why the kernel refused SO_BINDTODEVICE (the first refusal), or null. */
        private String refused;

        Sockets(String device, DeviceBinding binding) {
            this.device = device;
            this.binding = binding;
        }

        UdpSocket open() throws IOException {
            UdpSocket s = UdpSocket.open();
            opened.add(s);
            Optional<String> refusal = binding.bind(s, device);
            if (refusal.isPresent() && refused == null) {
                refused = refusal.get();
            }
            return s;
        }

        UdpSocket receiver() throws IOException {
            UdpSocket s = open();
            s.receiveTimeout(RECEIVE_TIMEOUT_MS);
            s.receiveBuffer(RECEIVE_BUFFER_BYTES);
            return s;
        }

        void abandon() {
            opened.forEach(UdpSocket::close);
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
