package io.tandem.membership;

import io.tandem.config.Severity;
import io.tandem.wire.Message;
import io.tandem.wire.RejectReason;
import java.util.Objects;

/** What the membership engine asks the daemon to do or tells it, in order. */
public sealed interface MembershipEffect {

    /** Sign and send on every medium. Complete but for {@code auth}; status messages also feed the ping media. */
    record Broadcast(Message message) implements MembershipEffect {
        public Broadcast {
            Objects.requireNonNull(message, "message");
        }
    }

    /** A peer's cluster message for the upper layer: in sequence, once, addressed to us or to all. */
    record Deliver(Message message) implements MembershipEffect {
        public Deliver {
            Objects.requireNonNull(message, "message");
        }
    }

    /** A node's status changed: {@code init}, {@code up}, {@code active}, {@code dead}; ping nodes {@code ping}/{@code dead}. */
    record NodeStatus(String node, String status) implements MembershipEffect {
    }

    /** Heartbeat link {@code node:link} came up or went dead. */
    record LinkStatus(String node, String link, boolean up) implements MembershipEffect {
    }

    /** Communications are up: the local node is now {@code active} (start resource management). */
    record CommUp() implements MembershipEffect {
    }

    /** A peer came back with a higher generation: it restarted. */
    record PeerRestarted(String node) implements MembershipEffect {
    }

    /** A log line in heartbeat's words. */
    record Log(Severity level, String text) implements MembershipEffect {
    }

    /**
     * A message that was not used (replay, implausible numbers, unknown node, malformed field).
     * The daemon counts it and logs at most one line per reason and interval, never one per packet.
     */
    record Rejected(RejectReason reason, String text) implements MembershipEffect {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(text, "text");
        }
    }

    /** What to remember of a peer's life across our own restart (see {@link PeerLife}). */
    record PeerLifeChanged(PeerLife life) implements MembershipEffect {
        public PeerLifeChanged {
            Objects.requireNonNull(life, "life");
        }
    }
}
