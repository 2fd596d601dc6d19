package io.tandem.membership;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything the membership engine knows, shared by its parts ({@link MembershipEngine} wires them):
 * the configuration, our own timers (changed by a reload), the peers and ping nodes, our own links,
 * our status and the comm-up progress. Mutable, one caller at a time.
 */
final class MembershipState {
    final MembershipConfig cfg;
    final Environment env;
    final Sender sender;
    final Map<String, Peer> peers = new LinkedHashMap<>();
    /** Our own links whose broadcast came back → when it last did. */
    final Map<String, Long> ownLinks = new LinkedHashMap<>();
    /** What we knew of the peers when this node last ran (see {@link MembershipEngine#remember}). */
    final Map<String, PeerLife> past = new LinkedHashMap<>();
    String localStatus = "init";
    long startedAt = -1;
    long nextStatusAt = Long.MAX_VALUE;
    boolean commUp;
    boolean awaitingRepnodes;
    long nextReqnodesAt = Long.MAX_VALUE;
    boolean stopped;
    long keepaliveMs;
    long deadtimeMs;
    long warntimeMs;
    long deadpingMs;

    MembershipState(MembershipConfig cfg, Environment env) {
        this.cfg = cfg;
        this.keepaliveMs = cfg.keepaliveMs();
        this.deadtimeMs = cfg.deadtimeMs();
        this.warntimeMs = cfg.warntimeMs();
        this.deadpingMs = cfg.deadpingMs();
        this.env = env;
        this.sender = new Sender(cfg, env);
    }
}
