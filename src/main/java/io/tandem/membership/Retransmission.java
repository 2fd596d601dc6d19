package io.tandem.membership;

import static io.tandem.membership.MembershipEngine.MAX_REXMIT_PER_REQUEST;

import io.tandem.config.Severity;
import io.tandem.membership.MembershipEffect.Broadcast;
import io.tandem.wire.Message;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Retransmission and acknowledgements (docs/protocol.md 5.3): asking a live peer again for the
 * sequence numbers it still owes us ({@code NS_rexmit}), serving its requests from our {@link Sender}'s
 * history or saying that a packet is gone ({@code NS_nak_rexmit}), and {@code NS_ackmsg} both ways.
 */
final class Retransmission {
    private final MembershipState state;
    private final Effects out;

    Retransmission(MembershipState state, Effects out) {
        this.state = state;
        this.out = out;
    }

    /** An {@code NS_} message of {@code p} (not sequence-numbered): an ACK, a request or a NAK addressed to us. */
    void onNsMessage(long now, Peer p, Message m) {
        String dest = m.getOr(Message.DEST, "").toLowerCase(Locale.ROOT);
        if (!dest.isEmpty() && !dest.equals(state.cfg.localNode())) {
            return;
        }
        switch (m.type()) {
            case "NS_ackmsg":
                Hex.parse(m.getOr("ackseq", "")).ifPresent(a -> p.ackedOurSeq = Math.max(p.ackedOurSeq, a));
                break;
            case "NS_rexmit":
                serve(now, p, m);
                break;
            case "NS_nak_rexmit":
                Hex.parse(m.getOr("firstseq", "")).ifPresent(s -> {
                    out.log(Severity.ERROR, "Irretrievably lost packet: node " + p.name + " seq " + s);
                    p.missing.remove(s);
                });
                break;
            default:
                break;
        }
    }

    /** How long after seeing a gap we first ask for it: random, 50 ms to {@link MembershipConfig#MAX_REXMIT_DELAY_MS}. */
    long delay() {
        long max = MembershipConfig.MAX_REXMIT_DELAY_MS;
        return max < 100 ? state.env.random(max + 1) : 50 + state.env.random(max - 50 + 1);
    }

    /** Asks {@code p} again for each missing sequence number whose time came; not a dead peer. */
    void request(long now, Peer p) {
        if (p.dead || p.missing.isEmpty()) {
            return;
        }
        for (Map.Entry<Long, Long> e : p.missing.entrySet()) {
            if (now >= e.getValue()) {
                Message req = Message.ofStrings(Message.TYPE, "NS_rexmit", Message.DEST, p.name, "firstseq", Long.toString(e.getKey()),
                        "lastseq", Long.toString(e.getKey()));
                out.add(new Broadcast(state.sender.stamp(now, req, state.peers)));
                p.rexmitAsked++;
                e.setValue(now + MembershipConfig.MAX_REXMIT_DELAY_MS);
            }
        }
    }

    private void serve(long now, Peer p, Message m) {
        OptionalLong first = Hex.parseDecimal(m.getOr("firstseq", ""));
        OptionalLong last = Hex.parseDecimal(m.getOr("lastseq", ""));
        if (first.isEmpty() || last.isEmpty()) {
            out.log(Severity.ERROR, "bad NS_rexmit from " + p.name + ": firstseq/lastseq");
            return;
        }
        int served = 0;
        for (long s = first.getAsLong(); s <= last.getAsLong() && served < MAX_REXMIT_PER_REQUEST; s++, served++) {
            if (s <= p.ackedOurSeq) {
                continue;
            }
            if (s > state.sender.lastSeq()) {
                out.log(Severity.WARN, "Rexmit of seq " + s + " requested. " + state.sender.lastSeq() + " is max.");
                return;
            }
            if (!state.sender.inHistory(s)) {
                nak(now, p, s, "seqno too low");
                continue;
            }
            state.sender.forResend(s, now, MembershipConfig.MAX_REXMIT_DELAY_MS - 10).ifPresent(msg -> {
                out.add(new Broadcast(msg));
                p.rexmitServed++;
            });
        }
    }

    private void nak(long now, Peer p, long s, String why) {
        out.log(Severity.ERROR, "Cannot rexmit pkt " + s + " for " + p.name + ": " + why);
        Message nak = Message.ofStrings(Message.TYPE, "NS_nak_rexmit", "firstseq", Hex.of(s), Message.DEST, p.name, Message.INFO, why);
        out.add(new Broadcast(state.sender.stamp(now, nak, state.peers)));
    }

    /** ACKs {@code s} of {@code p} when it speaks the protocol, nothing is missing and {@code s} hits its trigger. */
    void maybeAck(long now, Peer p, long s) {
        if (p.speaksProtocol && p.missing.isEmpty() && s % 10 == p.ackTrigger) {
            Message ack = Message.ofStrings(Message.TYPE, "NS_ackmsg", Message.DEST, p.name, "ackseq", Hex.of(s));
            out.add(new Broadcast(state.sender.stamp(now, ack, state.peers)));
        }
    }
}
