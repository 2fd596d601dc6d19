package io.tandem.daemon.media;

import java.net.InetAddress;

/**
 * Receives the raw datagrams of all media. Called from the media's receive threads, possibly
 * concurrently: implementations hand the packet on (e.g. to a queue) and return quickly.
 */
@FunctionalInterface
public interface PacketSink {
    /**
     * @param packet the datagram's bytes (for ping media: the echo reply's payload)
     * @param medium the receiving medium's {@link Medium#name()}
     * @param from the sender's address (for ping media: the replying host)
     */
    void packet(byte[] packet, String medium, InetAddress from);
}
