package io.tandem.membership;

import static io.tandem.membership.MembershipEngine.MAX_GAP;
import static io.tandem.membership.MembershipEngine.MAX_GENERATION;
import static io.tandem.membership.MembershipEngine.MAX_MESSAGES_PER_SECOND;
import static io.tandem.membership.MembershipEngine.MAX_MISSING;
import static io.tandem.membership.MembershipEngine.MAX_SEQUENCE;

import io.tandem.config.Severity;
import io.tandem.wire.Message;
import io.tandem.wire.RejectReason;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Generations and sequence numbers of a peer's messages (docs/protocol.md 5.1, 5.2): which message is
 * new, which is a duplicate, a replay or implausible; a restart seen in a status of a higher generation;
 * gaps counted and remembered for retransmission; the peer's uuid. A message it takes also marks the
 * link it came on as seen and may be acknowledged.
 */
final class Sequencing {
    private final Effects out;
    private final Links links;
    private final Retransmission retransmission;

    Sequencing(Effects out, Links links, Retransmission retransmission) {
        this.out = out;
        this.links = links;
        this.retransmission = retransmission;
    }

    /** Sequence processing (docs/protocol.md 5.2): true when the message is new and in a known generation. */
    boolean accept(long now, Peer p, Message m, String link) {
        p.recovered = false;
        OptionalLong seq = Hex.parse(m.getOr(Message.SEQ, ""));
        if (seq.isEmpty() || seq.getAsLong() <= 0) {
            out.reject(RejectReason.BAD_SEQUENCE, "should_drop_message: bad sequence number from " + p.name);
            return false;
        }
        long s = seq.getAsLong();
        long gen = Hex.parse(m.getOr(Message.GEN, "0")).orElse(0);
        if (Long.compareUnsigned(gen, MAX_GENERATION) > 0 || Long.compareUnsigned(s, MAX_SEQUENCE) > 0) {
            out.reject(RejectReason.ABSURD_NUMBER, "should_drop_message: implausible generation " + Long.toUnsignedString(gen) + " / seq "
                    + Long.toUnsignedString(s) + " from " + p.name + " (at most " + MAX_GENERATION + " / " + MAX_SEQUENCE + ")");
            return false;
        }
        if (gen < p.generation) {
            out.reject(RejectReason.REPLAY, "should_drop_message: attempted replay attack [" + p.name + "]? [gen = " + gen + ", curgen = "
                    + p.generation + "]");
            return false;
        }
        if (gen == p.generation && p.ended) {
            out.reject(RejectReason.REPLAY, "should_drop_message: message of " + p.name + " from generation " + gen
                    + ", which ended with shutdone (replay?)");
            return false;
        }
        if (p.generation < 0 && p.past != null && fromBeforeOurStart(p.past, gen, s)) {
            out.reject(RejectReason.REPLAY, "should_drop_message: message of " + p.name + " [gen = " + gen + ", seq = " + s
                    + "] is from before our start (we had seen gen " + p.past.generation() + " up to seq " + p.past.seq()
                    + (p.past.ended() ? ", ended" : "") + "): replay?");
            return false;
        }
        if (gen > p.generation) {
            if (p.generation >= 0 && !"status".equals(m.type())) {
                return false; // only a status message moves a peer's generation forward
            }
            if (p.generation >= 0) {
                out.log(Severity.INFO, "Heartbeat restart on node " + p.name);
                out.add(new MembershipEffect.PeerRestarted(p.name));
                p.heard = false; // a new incarnation: neither late nor returning after a partition
            }
            p.generation = gen;
            p.ended = false;
            p.resetSequence();
            out.add(new MembershipEffect.PeerLifeChanged(new PeerLife(p.name, gen, 0, false)));
        } else if (p.lastSeq > 0 && s > p.lastSeq + 1 + MAX_GAP
                && s - p.lastSeq > MAX_GAP + Math.max(0, now - p.lastAcceptedAt) * MAX_MESSAGES_PER_SECOND / 1000) {
            out.reject(RejectReason.ABSURD_NUMBER, "should_drop_message: implausible sequence jump of " + p.name + " from " + p.lastSeq
                    + " to " + s + " in " + Math.max(0, now - p.lastAcceptedAt) + " ms");
            return false;
        }
        uuid(p, m);
        links.seen(now, p, link);
        if (p.lastSeq == 0 || s == p.lastSeq + 1) {
            p.lastSeq = s;
            p.lastAcceptedAt = now;
            retransmission.maybeAck(now, p, s);
            return true;
        }
        if (s == p.lastSeq) {
            return false;
        }
        if (s > p.lastSeq + 1) {
            long lost = s - p.lastSeq - 1;
            p.lost += lost;
            out.log(Severity.WARN, lost + " lost packet(s) for [" + p.name + "] [" + p.lastSeq + ":" + s + "]");
            if (lost > MAX_GAP) {
                out.log(Severity.ERROR, "lost a lot of packets!");
                p.missing.clear();
            } else {
                for (long k = Math.max(p.lastSeq + 1, s - MAX_MISSING); k < s; k++) {
                    p.missing.put(k, now + retransmission.delay());
                }
                while (p.missing.size() > MAX_MISSING) {
                    p.missing.pollFirstEntry(); // given up, as heartbeat does when its table is full
                }
            }
            p.lastSeq = s;
            p.lastAcceptedAt = now;
            return true;
        }
        if (p.missing.remove(s) != null) {
            if (p.missing.isEmpty()) {
                out.log(Severity.INFO, "No pkts missing from " + p.name + "!");
            }
            p.recovered = true; // delivered, but older than what we have: says nothing about the peer's liveness now
            return true;
        }
        return false;
    }

    /** A first message since our start that belongs to a life of the peer we had already seen. */
    private static boolean fromBeforeOurStart(PeerLife past, long gen, long seq) {
        return gen < past.generation() || (gen == past.generation() && (past.ended() || seq <= past.seq()));
    }

    private void uuid(Peer p, Message m) {
        m.field(Message.SRCUUID).ifPresent(f -> {
            byte[] u = f.value();
            if (p.uuid != null && !Arrays.equals(p.uuid, u)) {
                out.log(Severity.INFO, "node " + p.name + " changed its uuid");
            }
            p.uuid = u;
        });
    }
}
