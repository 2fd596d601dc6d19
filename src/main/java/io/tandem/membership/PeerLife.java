package io.tandem.membership;

import java.util.Objects;

/**
 * The last we knew of a peer's incarnation: its generation, the highest sequence number we
 * accepted in it, and whether it ended (it said {@code shutdone}). The daemon keeps these across
 * its own restarts, so that a node that has just started does not take recorded packets of the
 * peer's past for a live peer: a packet of an older generation, of an ended one, or of the same
 * generation with a sequence number we had already seen is a replay.
 */
public record PeerLife(String node, long generation, long seq, boolean ended) {
    public PeerLife {
        Objects.requireNonNull(node, "node");
        if (generation < 0 || seq < 0) {
            throw new IllegalArgumentException("generation and seq must not be negative");
        }
    }

    // written out, as ResourceOp's: the generated equals bootstraps java.lang.runtime.ObjectMethods (~50
    // method-handle classes) at the first heartbeat of a peer (docs/benchmarks.md, "Fewer classes, part 2")
    @Override
    public boolean equals(Object o) {
        return o instanceof PeerLife p && node.equals(p.node) && generation == p.generation && seq == p.seq && ended == p.ended;
    }

    @Override
    public int hashCode() {
        return Objects.hash(node, generation, seq, ended);
    }
}
