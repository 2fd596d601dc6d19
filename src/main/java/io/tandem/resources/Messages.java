package io.tandem.resources;

import io.tandem.wire.Message;

/**
 * Builders for the resource-protocol messages, with exactly the caller fields and field order of
 * heartbeat 3.0.6 (docs/protocol.md Appendix B). The membership layer appends the default fields.
 */
public final class Messages {
    public static final String STARTING = "starting", RESOURCE = "resource", ASK_RESOURCES = "ask_resources",
            HB_TAKEOVER = "hb_takeover", IP_REQUEST = "ip-request", IP_REQUEST_RESP = "ip-request-resp",
            SHUTDONE = "shutdone", STONITH = "stonith";
    public static final String RSC_HOLD = "rsc_hold", RTYPE = "rtype", ISSTABLE = "isstable", IPADDR = "ipaddr",
            WEOWN = "weown", OK = "ok", NODE = "node", RESULT = "result";

    private Messages() {
    }

    /** {@code t=starting}: nice_failback start-up, "tell me what you hold". */
    public static Message starting() {
        return Message.ofStrings(Message.TYPE, STARTING);
    }

    /** {@code t=resource rsc_hold=X rtype=full isstable=0|1 [info=...]}: a full holdings report. */
    public static Message resourceFull(ResourceSet held, boolean stable, String info) {
        Message m = Message.ofStrings(Message.TYPE, RESOURCE, RSC_HOLD, held.wire(), RTYPE, "full", ISSTABLE, stable ? "1" : "0");
        return info == null ? m : m.append(Message.INFO, info);
    }

    /** {@code t=resource rsc_hold=foreign info=mach_down}: the additive report mach_down sends. */
    public static Message resourceMachDown() {
        return Message.ofStrings(Message.TYPE, RESOURCE, RSC_HOLD, ResourceSet.FOREIGN.wire(), Message.INFO, "mach_down");
    }

    /** {@code t=ask_resources rsc_hold=S info=me|other|done}: the standby handshake. */
    public static Message askResources(ResourceSet set, String info) {
        return Message.ofStrings(Message.TYPE, ASK_RESOURCES, RSC_HOLD, set.wire(), Message.INFO, info);
    }

    /** {@code t=hb_takeover rsc_hold=S} (S may also be {@code failback}). */
    public static Message hbTakeover(String set) {
        return Message.ofStrings(Message.TYPE, HB_TAKEOVER, RSC_HOLD, set);
    }

    /** {@code t=ip-request ipaddr=KEY}: legacy "please give my group up". */
    public static Message ipRequest(String key) {
        return Message.ofStrings(Message.TYPE, IP_REQUEST, IPADDR, key);
    }

    /** {@code t=ip-request-resp dest=N ipaddr=KEY weown=yes|no ok=OK}. */
    public static Message ipRequestResp(String dest, String key, boolean weOwn, String ok) {
        return Message.ofStrings(Message.TYPE, IP_REQUEST_RESP, Message.DEST, dest, IPADDR, key, WEOWN, weOwn ? "yes" : "no", OK, ok);
    }

    /** {@code t=shutdone st=dead}: everything released, leaving. */
    public static Message shutdone() {
        return Message.ofStrings(Message.TYPE, SHUTDONE, Message.STATUS, "dead");
    }

    /** {@code t=stonith node=N result=n_stnth|unneeded|OK|...}. */
    public static Message stonith(String node, String result) {
        return Message.ofStrings(Message.TYPE, STONITH, NODE, node, RESULT, result);
    }
}
