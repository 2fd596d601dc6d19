package io.tandem.daemon.media;

/**
 * One heartbeat medium (one ha.cf media line, or one device of a {@code bcast} line): sends the
 * serialized packet on its link and hands whatever it receives to the {@link PacketSink} it was
 * opened with, from its own receive thread.
 *
 * <p>{@link #send} never blocks: a medium whose link is down or whose send buffer is full reports
 * the failure to its {@link MediumListener} and returns false, and the other media are unaffected.
 */
public interface Medium extends AutoCloseable {
    /** The ha.cf directive: {@code bcast}, {@code mcast}, {@code ucast}, {@code ping} or {@code ping_group}. */
    String type();

    /** The medium's name as used in link names and logs: the device, the ping host or the ping group name. */
    String name();

    /** True for {@code ping} and {@code ping_group}: those carry only the ping payload of status messages. */
    default boolean isPing() {
        return false;
    }

    /**
     * Sends one packet (for ping media: the echo payload). Returns true if the packet was handed to
     * the kernel for every destination of this medium.
     */
    boolean send(byte[] packet);

    /** Stops the receive thread and releases the sockets. Idempotent. */
    @Override
    void close();
}
