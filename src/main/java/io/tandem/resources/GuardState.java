package io.tandem.resources;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the split-brain guards of the ownership engine remember ({@link AddressGuard}, {@link Healing},
 * docs/split-brain.md). Every map is keyed by a group or resource of the configuration, so bounded.
 */
final class GuardState {
    /** After another host answered for an address: try the home node's group again this soon... */
    static final long RETRY_HOME_MS = 5_000;
    /** ...and another node's later, so two nodes that probed at the same moment do not collide again. */
    static final long RETRY_OTHER_MS = 7_500;
    /** The home node defends an address at most this often (RFC 5227 2.4 (b)/(c): DEFEND_INTERVAL). */
    static final long DEFEND_INTERVAL_MS = 10_000;

    /** A group not started because another host answered for {@code resource}'s address. */
    record AddressWait(String resource, String mac, long retryAt) {
    }

    /** Per group key. */
    final Map<String, AddressWait> waits = new LinkedHashMap<>();
    /** Per resource: the MAC the last probe of its address was answered from. */
    final Map<String, String> answeredBy = new HashMap<>();
    /** Per group key: when this node last defended one of its addresses. */
    final Map<String, Long> lastDefense = new HashMap<>();
    /** Per group key: when a conflict about it was last logged. */
    final Map<String, Long> lastConflictLog = new HashMap<>();
    /** Peers declared dead after they had been heard in their current life (a partition or a freeze, if they come back). */
    final Set<String> lostInLife = new HashSet<>();
    /** Our own report was sent for the both-claim seen now (once per episode, so two nodes never ping-pong). */
    boolean conflictReported;
    /** Groups the live peer claimed at the last look (a group it stops claiming is tried here at once). */
    final Set<String> peerClaims = new HashSet<>();
    /** The peer's last message was a full, stable resource report: its claim is settled. */
    boolean peerClaimSettled;
    /** A release of a both-claimed set is queued or running. */
    boolean releasing;
    /** This node keeps groups the peer also claimed: announce their addresses once it no longer claims them. */
    boolean reannounce;

    /** How long until a group whose address was in use is tried again on {@code node}. */
    static long retryDelay(GroupSpec g, String node) {
        return Precedence.keeps(g, node) ? RETRY_HOME_MS : RETRY_OTHER_MS;
    }
}
