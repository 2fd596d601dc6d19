package io.tandem.node;

import io.tandem.resources.MonitorPolicy;
import io.tandem.resources.OpResult;
import io.tandem.resources.ResourceOp;
import io.tandem.wire.Message;

/** What happens to a node, as {@link NodeCore} takes it; the time comes with {@link NodeCore#on}. */
public sealed interface NodeEvent {

    /** The node joins the cluster: first status messages, the engines' timers. */
    record Start() implements NodeEvent {
    }

    /** A packet from a peer, decoded and its signature verified, received on {@code link}. */
    record Received(Message message, String link) implements NodeEvent {
    }

    /** A ping node answered (on its own medium, named like the node). */
    record PingReply(String pingNode) implements NodeEvent {
    }

    /** The deadline the core asked for (or any later time) has come. */
    record Timer() implements NodeEvent {
    }

    /** A resource operation asked for with {@link NodeEffect.Run} finished. */
    record OpFinished(ResourceOp op, OpResult result) implements NodeEvent {
    }

    /** {@code hb_standby all|local|foreign|failback}. */
    record Standby(String which) implements NodeEvent {
    }

    /** {@code hb_takeover all|local|foreign|failback}. */
    record Takeover(String which) implements NodeEvent {
    }

    /** {@code tandem cleanup <group or resource>}; an unknown name is an {@link IllegalArgumentException}. */
    record Cleanup(String which) implements NodeEvent {
    }

    /** Graceful stop (SIGTERM, {@code tandem stop}): give every group up, say goodbye, exit. */
    record Shutdown() implements NodeEvent {
    }

    /** Reload of the monitoring settings. */
    record Monitoring(MonitorPolicy policy) implements NodeEvent {
    }

    /** Reload of the membership timers (ms). */
    record Retime(long keepaliveMs, long deadtimeMs, long warntimeMs, long deadpingMs) implements NodeEvent {
    }

    /**
     * A fence asked for with {@link NodeEffect.Fence} finished: {@code ok} when the node was reset, else
     * {@code detail} says why not (the stonith command's exit status and last output line).
     */
    record FenceFinished(String node, boolean ok, String detail) implements NodeEvent {
    }

    /**
     * The start {@code op} of an address resource was not run: another host ({@code mac}) answered the
     * probe of its address. The operation ends with {@link OpResult#ADDRESS_IN_USE}.
     */
    record AddressInUse(ResourceOp op, String mac) implements NodeEvent {
    }

    /** Another host ({@code mac}) claims {@code address}, the address of {@code resource}, which this node holds. */
    record AddressConflict(String resource, String address, String mac) implements NodeEvent {
    }

    /**
     * A status check of the fence device asked for with {@link NodeEffect.CheckDevice} finished: {@code ok}
     * when {@code stonith -S} said the device works, else {@code detail} says why not.
     */
    record DeviceChecked(String device, boolean ok, String detail) implements NodeEvent {
    }

    /** Reload of tandem.cf: fencing (the same device) and the ping-node tiebreak (the same ping nodes). */
    record SplitBrainSettings(io.tandem.resources.FencingPolicy fencing, io.tandem.resources.PingTiebreak tiebreak)
            implements NodeEvent {
    }

    /**
     * The probe asked for with {@link NodeEffect.ProbeAddress} {@code id} ended: {@code mac} answered for the
     * address of {@code resource} ("" when nobody did), or the probe could not run ({@code ran} false: no such
     * interface, no CAP_NET_RAW).
     */
    record AddressProbed(long id, String resource, String mac, boolean ran) implements NodeEvent {
    }

    /**
     * The daemon's fast address step of the stop {@code op} of an address resource (still running: its
     * script's rest follows) removed the address and stopped every announcement of it from this node
     * ({@code send_arp}, arping), and found the address on no interface: the address is gone from here
     * though the script has not finished. Distinct from {@link OpFinished}, which still follows.
     */
    record AddressReleased(ResourceOp op) implements NodeEvent {
    }
}
