package io.tandem.membership;

import io.tandem.wire.Field;
import io.tandem.wire.Message;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Our side of the wire: adds the control fields heartbeat adds to every message (docs/protocol.md 1.6,
 * in its order: destuuid, src, srcuuid, seq, hg, ts, ld, ttl), numbers sequenced messages and
 * keeps the last {@value #HISTORY} of them for retransmission, byte for byte.
 */
final class Sender {
    static final int HISTORY = 500;

    private final MembershipConfig cfg;
    private final Environment env;
    private final Deque<Message> history = new ArrayDeque<>();
    private final Map<Long, Long> lastResent = new HashMap<>();
    private long seq;

    Sender(MembershipConfig cfg, Environment env) {
        this.cfg = cfg;
        this.env = env;
    }

    /** The complete message (without auth) for the caller's fields; sequenced ones go to the history. */
    Message stamp(long now, Message fields, Map<String, Peer> peers) {
        boolean ns = fields.type().startsWith("NS_");
        Message m = fields;
        Optional<String> dest = m.get(Message.DEST);
        if (dest.isPresent()) {
            Peer p = peers.get(dest.get().toLowerCase(java.util.Locale.ROOT));
            if (p != null && p.uuid != null) {
                m = m.set(Field.binary(Message.DESTUUID, p.uuid));
            }
        }
        m = setDefault(m, ns, Message.SRC, cfg.localNode());
        m = ns && m.has(Message.SRCUUID) ? m : m.set(Field.binary(Message.SRCUUID, cfg.uuid()));
        if (!ns) {
            seq++;
            m = m.set(Message.SEQ, Hex.of(seq));
        }
        m = setDefault(m, ns, Message.GEN, Hex.of(cfg.generation()));
        m = setDefault(m, ns, Message.TS, Hex.of(now / 1000));
        if (!ns) {
            m = m.set(Message.LOAD, env.loadAverage());
        }
        m = setDefault(m, ns, Message.TTL, Integer.toString(cfg.ttl()));
        if (!ns) {
            history.addLast(m);
            while (history.size() > HISTORY) {
                history.removeFirst();
            }
        }
        return m;
    }

    private static Message setDefault(Message m, boolean ns, String name, String value) {
        return ns && m.has(name) ? m : m.set(name, value);
    }

    long lastSeq() {
        return seq;
    }

    long lowestKept() {
        return history.isEmpty() ? seq + 1 : Hex.parse(history.peekFirst().getOr(Message.SEQ, "0")).orElse(0);
    }

    /** The sent message with this seq, unless it was resent less than {@code minGapMs} ago. */
    Optional<Message> forResend(long seqNo, long now, long minGapMs) {
        Long last = lastResent.get(seqNo);
        if (last != null && now - last < minGapMs) {
            return Optional.empty();
        }
        for (Message m : history) {
            if (Hex.parse(m.getOr(Message.SEQ, "")).orElse(-1) == seqNo) {
                lastResent.put(seqNo, now);
                if (lastResent.size() > HISTORY) {
                    lastResent.clear();
                }
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    boolean inHistory(long seqNo) {
        return seqNo >= lowestKept() && seqNo <= seq;
    }
}
