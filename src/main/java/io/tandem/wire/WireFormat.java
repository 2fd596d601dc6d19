package io.tandem.wire;

/**
 * How a message is framed and signed on the wire (docs/protocol.md 1.2–1.4, 2.3).
 * Every receiver, heartbeat 2.1 and 3.0 alike, accepts all three.
 */
public enum WireFormat {
    /** Heartbeat 3.0.6 with cluster-glue ≥ 1.0.10 and {@code msgfmt classic} (the default): netstring
     *  framing, the classic {@code auth} field as the last field inside, and the netstring trailer. */
    NETSTRING_WITH_AUTH_FIELD,
    /** {@code msgfmt netstring}: netstring framing and trailer, no inner {@code auth} field. */
    NETSTRING,
    /** Heartbeat 2.1's text framing ({@code >>>}…{@code <<<}, NUL-terminated), {@code auth} field last. */
    CLASSIC
}
