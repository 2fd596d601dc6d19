package io.tandem.membership;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** What the engine knows of one other node or ping node. Mutable, owned by the engine. */
final class Peer {
    final String name;
    final boolean ping;
    String status = "init";
    /** Arrival of the last accepted status message (or ping reply); start time until heard. */
    long lastStatusAt;
    boolean heard;
    boolean dead;
    /** The peer's own dead time from its {@code dt} field. */
    long deadtimeMs;
    long generation = -1;
    byte[] uuid;
    long lastSeq;
    /** Missing seq → when to ask for it (next). */
    final TreeMap<Long, Long> missing = new TreeMap<>();
    /** Highest seq of ours the peer acknowledged. */
    long ackedOurSeq;
    int ackTrigger;
    boolean speaksProtocol;
    /** link name → time of the last packet on it; links that are up. */
    final Map<String, Long> linkSeen = new LinkedHashMap<>();
    final Map<String, Boolean> linkUp = new LinkedHashMap<>();

    Peer(String name, boolean ping, long now, long deadtimeMs) {
        this.name = name;
        this.ping = ping;
        this.lastStatusAt = now;
        this.deadtimeMs = deadtimeMs;
    }

    boolean alive() {
        return !dead && heard;
    }

    void resetSequence() {
        lastSeq = 0;
        missing.clear();
    }
}
