package io.tandem.daemon.address;

import io.tandem.daemon.os.ArpSocket;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Watches the addresses this node holds (RFC 5227 2.4): one reader thread per interface that carries
 * one, which reports another host's ARP with a held address as sender (a reply or a gratuitous ARP
 * from another MAC). Reports are limited to one per address per {@link #REPORT_INTERVAL_MS}; probes of
 * other hosts are not conflicts (the kernel answers them). At most one thread per interface.
 */
final class AddressWatch implements AutoCloseable {
    /** A conflict seen on the link. */
    record Conflict(AddressTarget target, long mac) {
    }

    static final long REPORT_INTERVAL_MS = 1_000;
    private static final int RECEIVE_TIMEOUT_MS = 200;

    private final Consumer<Conflict> report;
    private final Consumer<String> problem;
    private final Map<String, Reader> readers = new HashMap<>();

    /**
     * @param report  called on a reader thread for each conflict
     * @param problem called on a reader thread when an interface cannot be watched
     */
    AddressWatch(Consumer<Conflict> report, Consumer<String> problem) {
        this.report = report;
        this.problem = problem;
    }

    /** Starts watching an address (now held here). */
    synchronized void hold(AddressTarget t) {
        readers.computeIfAbsent(t.iface(), i -> {
            Reader r = new Reader(i);
            r.thread.start();
            return r;
        }).held.put(t.ipValue(), t);
    }

    /** Stops watching the address of {@code resource}; the interface's reader ends with its last address. */
    synchronized void release(String resource) {
        readers.values().removeIf(r -> {
            r.held.values().removeIf(t -> t.resource().equals(resource));
            if (r.held.isEmpty()) {
                r.running = false;
                return true;
            }
            return false;
        });
    }

    /** The watched address of {@code resource}, if any. */
    synchronized AddressTarget held(String resource) {
        for (Reader r : readers.values()) {
            for (AddressTarget t : r.held.values()) {
                if (t.resource().equals(resource)) {
                    return t;
                }
            }
        }
        return null;
    }

    @Override
    public synchronized void close() {
        readers.values().forEach(r -> r.running = false);
        readers.clear();
    }

    private final class Reader implements Runnable {
        final String iface;
        final Map<Integer, AddressTarget> held = new ConcurrentHashMap<>();
        final Map<Integer, Long> lastReport = new HashMap<>();
        final Thread thread;
        volatile boolean running = true;

        Reader(String iface) {
            this.iface = iface;
            this.thread = new Thread(this, "arp-watch-" + iface);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            try (ArpSocket socket = ArpSocket.open(iface, RECEIVE_TIMEOUT_MS)) {
                while (running) {
                    ArpSocket.Frame f = socket.receive();
                    if (f == null || f.probe() || f.senderMac() == socket.mac()) {
                        continue;
                    }
                    AddressTarget t = held.get(f.senderIp());
                    if (t == null) {
                        continue;
                    }
                    long now = System.nanoTime() / 1_000_000;
                    Long last = lastReport.get(f.senderIp());
                    if (last == null || now - last >= REPORT_INTERVAL_MS) {
                        lastReport.put(f.senderIp(), now);
                        report.accept(new Conflict(t, f.senderMac()));
                    }
                }
            } catch (IOException e) {
                problem.accept("cannot watch the addresses on " + iface + ": " + e.getMessage());
            }
        }
    }
}
