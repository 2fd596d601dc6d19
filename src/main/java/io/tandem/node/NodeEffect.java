package io.tandem.node;

import io.tandem.config.Severity;
import io.tandem.membership.PeerLife;
import io.tandem.resources.ResourceOp;
import io.tandem.wire.Message;
import io.tandem.wire.RejectReason;

/** What {@link NodeCore} asks its shell to do, in order. The core builds them from the engines' checked values. */
public sealed interface NodeEffect {

    /** Sign and send on every medium (complete but for the signature). */
    record Transmit(Message message) implements NodeEffect {
    }

    /** Run one resource script operation; answer with {@link NodeEvent.OpFinished}. One at a time. */
    record Run(ResourceOp op) implements NodeEffect {
    }

    /**
     * A log line. {@code source} is the program heartbeat would have written it from ({@code heartbeat}
     * for the daemon's own lines, {@code ResourceManager}, {@code mach_down}, ... for its helpers').
     */
    record Log(Severity priority, String source, String text) implements NodeEffect {
        public static final String HEARTBEAT = "heartbeat";
    }

    /** Input that was refused (replay, implausible numbers, ...): to be counted, never logged per packet. */
    record Rejected(RejectReason reason, String text) implements NodeEffect {
    }

    /** What to remember of a peer's life across our own restart (the tandem-peers file). */
    record PeerLifeChanged(PeerLife life) implements NodeEffect {
    }

    /**
     * A peer's cluster message was delivered (for the rc.d hooks); {@code localStatus} is ours at that
     * moment ({@code HA_OSTATUS}).
     */
    record Delivered(Message message, String localStatus) implements NodeEffect {
    }

    /** The node is done: exit with this code (0 after a graceful stop, 2 to reboot). */
    record Exit(int code) implements NodeEffect {
    }

    /**
     * Fence (STONITH) the dead peer {@code node} with the configured device; answer with
     * {@link NodeEvent.FenceFinished}. Its groups wait for the answer.
     */
    record Fence(String node) implements NodeEffect {
    }

    /** Announce the address of {@code resource} (a haresources word) with gratuitous ARP on its interface. */
    record Announce(String resource) implements NodeEffect {
    }

    /** Ask the fence device for its status ({@code stonith -S}); answer with {@link NodeEvent.DeviceChecked}. */
    record CheckDevice(String device) implements NodeEffect {
    }

    /** An entry for the event history (docs/observability.md): the shell keeps it, bounded, and shows it. */
    record Recorded(ClusterEvent event) implements NodeEffect {
    }

    /**
     * Probe the address of {@code resource} for another holder now, before the silent peer holding its group is
     * declared dead (docs/split-brain.md, "Probe before death"), or at the node's start ({@code atStart}, "Probe at
     * start-up"); answer with {@link NodeEvent.AddressProbed} and {@code id}. Keep the probe: a start marked
     * {@link ResourceOp#preProbed()} takes it instead of its own.
     */
    record ProbeAddress(long id, String resource, boolean atStart) implements NodeEffect {
        /** A probe before a peer's death. */
        public ProbeAddress(long id, String resource) {
            this(id, resource, false);
        }
    }
}
