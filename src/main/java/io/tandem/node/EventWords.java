package io.tandem.node;

/** A {@link NodeEvent} in a few words, as the event history names a step's cause. */
final class EventWords {
    private EventWords() {
    }

    static String of(NodeEvent e) {
        if (e instanceof NodeEvent.Start) {
            return "start";
        } else if (e instanceof NodeEvent.Received r) {
            return "message " + r.message().type() + " from " + r.message().getOr(io.tandem.wire.Message.SRC, "?") + " on " + r.link();
        } else if (e instanceof NodeEvent.PingReply p) {
            return "ping reply from " + p.pingNode();
        } else if (e instanceof NodeEvent.Timer) {
            return "timer";
        } else if (e instanceof NodeEvent.OpFinished d) {
            return d.op().resource() + " " + d.op().action().word() + " " + d.result().name().toLowerCase(java.util.Locale.ROOT);
        } else if (e instanceof NodeEvent.Standby s) {
            return "hb_standby " + s.which();
        } else if (e instanceof NodeEvent.Takeover t) {
            return "hb_takeover " + t.which();
        } else if (e instanceof NodeEvent.Cleanup c) {
            return "cleanup " + c.which();
        } else if (e instanceof NodeEvent.Shutdown) {
            return "stop";
        } else if (e instanceof NodeEvent.Monitoring) {
            return "reload of monitoring";
        } else if (e instanceof NodeEvent.Retime r) {
            return "reload of timers (keepalive " + r.keepaliveMs() + " ms, deadtime " + r.deadtimeMs() + " ms)";
        } else if (e instanceof NodeEvent.SplitBrainSettings) {
            return "reload of fencing and tiebreak";
        } else if (e instanceof NodeEvent.FenceFinished f) {
            return "fence of " + f.node() + (f.ok() ? " done" : " failed");
        } else if (e instanceof NodeEvent.AddressInUse a) {
            return "address of " + a.op().resource() + " in use";
        } else if (e instanceof NodeEvent.AddressConflict c) {
            return "address " + c.address() + " claimed by " + c.mac();
        } else if (e instanceof NodeEvent.DeviceChecked d) {
            return "fence device check " + (d.ok() ? "ok" : "failed");
        } else if (e instanceof NodeEvent.AddressProbed a) {
            return "probe before death of " + a.resource() + (!a.ran() ? " not run" : a.mac().isEmpty() ? ": nobody answered" : ": answered by " + a.mac());
        } else if (e instanceof NodeEvent.AddressReleased a) {
            return "address of " + a.op().resource() + " released";
        }
        return e.getClass().getSimpleName();
    }
}
