package io.tandem.wire;

/**
 * A packet that is not a heartbeat message, or a message that cannot be put on the wire. The
 * message says what is wrong and where (field name or byte offset), for a log line naming the peer.
 */
public final class WireException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WireException(String reason) {
        super(reason);
    }

    public String reason() {
        return getMessage();
    }
}
