package io.tandem.daemon.address;

import io.tandem.daemon.os.ArpSocket;
import java.io.IOException;
import java.util.OptionalLong;

/**
 * Probes one address before it is added (RFC 5227 2.1.1, with the short timing of {@link ProbeSettings}):
 * the address is in use when another host sends ARP with the address as sender (a reply, or its own
 * request or announcement), or probes for the same address at the same time (a simultaneous probe).
 * Blocking; run it off the event loop.
 */
final class AddressProbe {
    /**
     * The longest wait for a frame: a probe is sent, and the window's end noticed, at most this late (it was 50 ms,
     * up to 50 ms added to every probe's listening, and so to a takeover that waits for it).
     */
    static final int WAKE_MS = 10;

    private AddressProbe() {
    }

    /**
     * The hardware address of the host that answered for the address, empty when none did.
     *
     * @throws IOException when the ARP socket cannot be opened or used
     */
    static OptionalLong probe(AddressTarget target, ProbeSettings settings) throws IOException {
        int ip = target.ipValue();
        try (ArpSocket socket = ArpSocket.open(target.iface(), (int) Math.max(1, Math.min(settings.intervalMs(), WAKE_MS)))) {
            long start = System.nanoTime();
            int sent = 0;
            while (true) {
                long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                if (sent < settings.probes() && elapsedMs >= sent * settings.intervalMs()) {
                    socket.probe(ip);
                    sent++;
                }
                if (sent >= settings.probes() && elapsedMs >= settings.windowMs()) {
                    return OptionalLong.empty();
                }
                ArpSocket.Frame f = socket.receive();
                if (f != null && f.senderMac() != socket.mac() && answers(f, ip)) {
                    return OptionalLong.of(f.senderMac());
                }
            }
        }
    }

    /** A frame that says another host has, or wants, the address. */
    static boolean answers(ArpSocket.Frame f, int ip) {
        return f.senderIp() == ip || (f.probe() && f.targetIp() == ip);
    }
}
