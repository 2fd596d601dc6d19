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
    /** What we knew of the peer when we started (from our previous run), or null. */
    PeerLife past;
    /** The peer said {@code shutdone} in {@link #generation}: that life is over. */
    boolean ended;
    /** The message being handled filled a gap (older than {@link #lastSeq}). */
    boolean recovered;
    /** When the last sequenced message was accepted (for the plausibility of sequence jumps). */
    long lastAcceptedAt;
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
    /** Counted for the metrics ({@link PeerCounters}). */
    long late;
    long lost;
    long rexmitAsked;
    long rexmitServed;

    Peer(String name, boolean ping, long now, long deadtimeMs) {
        this.name = name;
        this.ping = ping;
        this.lastStatusAt = now;
        this.deadtimeMs = deadtimeMs;
    }

    boolean alive() {
        return !dead && heard;
    }

    PeerLife life() {
        return new PeerLife(name, Math.max(generation, 0), lastSeq, ended);
    }

    void resetSequence() {
        lastSeq = 0;
        missing.clear();
    }
}
