package io.tandem.daemon.media;

import java.io.IOException;
import java.net.InetAddress;

/**
 * What a medium reports besides packets, so the daemon can log it heartbeat's way (write errors
 * are counted and suppressed after ten in a row, see docs/protocol.md §3). Called from the sending
 * thread (write failures), the opening thread ({@code started}, {@code warning}) or the medium's
 * receive thread (read failures, foreign packets).
 */
public interface MediumListener {
    /** The medium is open; {@code text} is heartbeat's start-up log line for it. */
    void started(Medium medium, String text);

    /**
     * The medium works, but less safely than it should; {@code text} says what and why (e.g. its
     * sockets could not be bound to the device). Reported once, when the medium opens, right after
     * {@link #started}; log it at warning level.
     */
    void warning(Medium medium, String text);

    /** A packet could not be sent on the medium; {@code detail} names destination and cause. */
    void writeFailed(Medium medium, IOException detail);

    /** Receiving failed (the receive thread carries on unless the medium was closed). */
    void readFailed(Medium medium, IOException detail);

    /**
     * A ucast medium dropped a packet, unread, because its source is not one of the medium's
     * configured peers. Called from the receive thread for every such packet, so possibly at a
     * flooding sender's rate: count, don't log each.
     */
    void foreignPacket(Medium medium, InetAddress from);
}
