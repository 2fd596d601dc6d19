package io.tandem.wire;

/**
 * Why a datagram or a message from the network was not used, for counting and for the one log
 * line per reason and interval that the daemon writes about rejected input (never one per packet:
 * a flood must not become a log flood). Every layer that refuses input names one of these.
 */
public enum RejectReason {
    /** Not a heartbeat message: bad framing, over a size or count limit (wire). */
    UNPARSEABLE("unparseable packets"),
    /** No, a malformed or a wrong signature (wire). */
    BAD_AUTH("packets with invalid authentication"),
    /** From an address that is not a configured peer of that medium (media). */
    FOREIGN_SOURCE("packets from addresses that are not configured peers"),
    /** The node's event loop was behind: the datagram was dropped unread (daemon). */
    OVERLOAD("packets dropped because the node could not keep up"),
    /** Signed, but from a node that is not in ha.cf (membership). */
    UNKNOWN_NODE("messages from unknown nodes"),
    /** An older generation, a finished life of the peer, or a packet seen before our start (membership). */
    REPLAY("replayed or stale messages"),
    /** No or a zero sequence number (membership). */
    BAD_SEQUENCE("messages with bad sequence numbers"),
    /** A generation, sequence jump or deadtime no real peer can have (membership). */
    ABSURD_NUMBER("messages with implausible numbers"),
    /** A field the node cannot use, e.g. a status that is not a status word (membership, resources). */
    BAD_FIELD("messages with malformed fields"),
    /** A message the node failed on (a bug, reported instead of taking the node down). */
    HANDLER_FAILED("messages the node could not process");

    private final String label;

    RejectReason(String label) {
        this.label = label;
    }

    /** What the summary line calls the rejected items, e.g. "unparseable packets". */
    public String label() {
        return label;
    }
}
