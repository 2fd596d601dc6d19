package io.tandem.resources;

import io.tandem.config.Severity;
import io.tandem.wire.Message;
import java.util.Objects;

/** What the ownership engine asks its caller to do. The caller performs effects in list order. */
public sealed interface Effect {

    /**
     * Broadcast (or, with a {@code dest} field, address) a cluster message. It holds only the caller
     * fields in heartbeat's order; the membership layer appends src, srcuuid, seq, hg, ts, ld, ttl and
     * the signature. The engine has already processed its own copy (see {@link OwnershipEngine}).
     */
    record Send(Message message) implements Effect {
        public Send {
            Objects.requireNonNull(message, "message");
        }
    }

    /** Run one resource script operation; answer with {@link OwnershipEngine#opDone}. One at a time. */
    record Run(ResourceOp op) implements Effect {
        public Run {
            Objects.requireNonNull(op, "op");
        }
    }

    /**
     * A log line. {@code source} is the program heartbeat would have written it from:
     * {@code heartbeat}, {@code ResourceManager}, {@code mach_down}, {@code hb_standby},
     * {@code ip-request-resp}; the text is heartbeat's, without the level word.
     */
    record Log(Severity level, String source, String text) implements Effect {
        public Log {
            Objects.requireNonNull(level, "level");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(text, "text");
        }
    }

    /** Every group is released and {@code shutdone} was sent: the daemon may exit (or restart). */
    record ShutdownComplete(boolean restart) implements Effect {
    }

    /**
     * The shutdown (or restart) could not release everything: a resource would not stop. The node keeps
     * running, holds its groups again and stays in the cluster.
     */
    record ShutdownAborted(String reason) implements Effect {
        public ShutdownAborted {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * {@link StopFailurePolicy#REBOOT}: a resource would not stop; reboot the machine now, without
     * stopping anything else (heartbeat's {@code reboot -nf}). The engine does nothing more.
     */
    record Reboot(String reason) implements Effect {
        public Reboot {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Fence (STONITH) this dead peer with the configured device; answer with {@link OwnershipEngine#fenceDone}.
     * Its groups are not taken over until the answer says it was reset.
     */
    record Fence(String node) implements Effect {
        public Fence {
            Objects.requireNonNull(node, "node");
        }
    }

    /**
     * Announce the address of this address resource (which runs here) with gratuitous ARP, so other
     * hosts' caches point to this node: the home node defending it, or the keeper after a split brain.
     */
    record Announce(String resource) implements Effect {
        public Announce {
            Objects.requireNonNull(resource, "resource");
        }
    }

    /**
     * Ask the fence device for its status (cluster-glue's {@code stonith -t TYPE ... -S}); answer with
     * {@link OwnershipEngine#deviceChecked}. Nothing waits for the answer.
     */
    record CheckDevice(String device) implements Effect {
        public CheckDevice {
            Objects.requireNonNull(device, "device");
        }
    }

    /**
     * Probe the address of this address resource for another holder now, ahead of the start that may follow
     * ({@link AddressPreProbe}): before the peer that holds its group is declared dead, or at the node's start
     * ({@code atStart}) for a group it prefers; answer with {@link AddressPreProbe#probed} and {@code id}.
     * Nothing waits for the answer; a later start may take it ({@link ResourceOp#preProbed()}).
     */
    record ProbeAddress(long id, String resource, boolean atStart) implements Effect {
        public ProbeAddress {
            Objects.requireNonNull(resource, "resource");
        }

        /** A probe before a peer's death. */
        public ProbeAddress(long id, String resource) {
            this(id, resource, false);
        }
    }
}
