package io.tandem.resources;

import io.tandem.config.Severity;
import static io.tandem.resources.Effects.HB;

import io.tandem.resources.OwnershipState.Peer;
import io.tandem.wire.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The messages of the ownership protocol: which of a peer's are taken ({@link #received}: its own
 * node, addressed to us, not a stale {@code resource} report, kept until comm-up), and which step
 * handles each message, the peer's and our own loopback alike ({@link #dispatch}).
 */
record Inbox(OwnershipState state, Effects out, Jobs jobs, Negotiation negotiation, Standby standby, Giveup giveup, Takeover takeover,
        Tiebreak tiebreak, Healing healing) {

    /** A message from a peer, as {@link OwnershipEngine#received} describes: taken, kept for comm-up, or ignored. */
    void received(Message message) {
        Optional<String> src = message.get(Message.SRC);
        if (src.isEmpty()) {
            out.log(Severity.ERROR, HB, "resource message without " + Message.SRC + " field ignored: " + message);
            return;
        }
        String from = src.get().toLowerCase(Locale.ROOT);
        Peer p = state.peers.get(from);
        if (p == null) {
            return;
        }
        Optional<String> dest = message.get(Message.DEST);
        if (dest.isPresent() && !dest.get().equalsIgnoreCase(state.local)) {
            return;
        }
        p.anyPacketsYet = true;
        if (staleReport(p, message, from)) {
            return;
        }
        if (startingOlderThanReport(p, message)) {
            // the link reordered them: the newer report already says how the peer stands; taken,
            // the old starting left the peer "in flux" for good (MonitorSimulationTest seed 172249)
            out.log(Severity.INFO, HB, "Peer " + from + "'s 'starting' came after its newer resource report " + p.reportSeq
                    + ": answered, its stability stays as that report says.");
            if (state.commUp) {
                negotiation.answerStarting();
            }
            return;
        }
        if (requestOlderThanReport(p, message)) {
            // a standby request from before the newest report taken from the peer: retransmitted after a
            // partition healed, it is not a request the peer still makes (it cancelled it when it declared us
            // dead); taken, it held this node in OTHER for the hour of the handshake timeout, "in flux", so
            // that a graceful stop waited for it (WarmSimulationTest, a cut link 0 ms into a hand-over)
            out.log(Severity.WARN, HB, "Ignoring standby request from " + from + ": it is older than its resource report "
                    + p.reportSeq + ".");
            return;
        }
        healing.peerMessage(message);
        if (!state.commUp && !message.type().equals(Messages.SHUTDONE)) {
            // heartbeat drops these (its handlers are registered at comm-up), losing e.g. an
            // ip-request; Tandem keeps them and handles them right after its own comm-up actions,
            // up to a bound (a real peer sends a handful; a flood of signed or replayed messages
            // while we wait must not grow the heap): beyond it they are dropped as heartbeat drops all.
            if (state.earlyMessages.size() < OwnershipState.MAX_EARLY_MESSAGES) {
                state.earlyMessages.add(message);
            } else if (state.earlyDropped++ == 0) {
                out.log(Severity.WARN, HB, "More than " + OwnershipState.MAX_EARLY_MESSAGES + " messages from peers before comm-up:"
                        + " dropping the rest until then.");
            }
            return;
        }
        dispatch(message, from);
    }

    /** At comm-up, after this node's own comm-up actions: the peers' messages that came before it. */
    void replayEarly() {
        List<Message> early = new ArrayList<>(state.earlyMessages);
        state.earlyMessages.clear();
        if (state.earlyDropped > 0) {
            out.log(Severity.WARN, HB, "Dropped " + state.earlyDropped + " messages from peers received before comm-up (more than "
                    + OwnershipState.MAX_EARLY_MESSAGES + ").");
            state.earlyDropped = 0;
        }
        for (Message m : early) {
            String from = m.getOr(Message.SRC, "").toLowerCase(Locale.ROOT);
            if (state.nice && m.type().equals(Messages.RESOURCE) && !from.equals(state.local)) {
                // sent before our starting, so no answer to it: it may describe the peer as it stood
                // towards our previous life, e.g. just before it took our groups on that life's
                // shutdone (FencingSimulationTest seed 138). The peer answers our starting with a
                // report of what it holds now.
                out.log(Severity.DEBUG, HB, "Ignoring resource report " + hex(m.getOr(Message.SEQ, "")) + " from " + from
                        + ": sent before our 'starting'; its answer says what it holds now.");
                continue;
            }
            dispatch(m, from);
        }
    }

    /** A message, from the peer or our own ({@code from} is this node): which step handles it. */
    void dispatch(Message m, String from) {
        boolean self = from.equals(state.local);
        switch (m.type()) {
            case Messages.STARTING:
            case Messages.RESOURCE:
                if (state.commUp) {
                    negotiation.onMessage(m, from, self);
                }
                break;
            case Messages.ASK_RESOURCES:
                if (state.commUp) {
                    standby.onAskResources(m, self ? state.local : from, self);
                }
                break;
            case Messages.SHUTDONE:
                if (self) {
                    giveup.shutdoneSent();
                } else {
                    takeover.peerShutdone(from);
                }
                break;
            case Messages.IP_REQUEST:
                if (state.commUp && !self) {
                    jobs.add(giveup.ipRequestJob(from, m.getOr(Messages.IPADDR, "")));
                }
                break;
            case Messages.IP_REQUEST_RESP:
                if (state.commUp) {
                    jobs.add(takeover.ipRequestRespJob(m));
                }
                break;
            case Tiebreak.TYPE:
                tiebreak.onMessage(m, from, self);
                break;
            case Messages.HB_TAKEOVER:
                if (state.commUp && !self) {
                    jobs.add(takeover.hbTakeoverJob(m.getOr(Messages.RSC_HOLD, "")));
                }
                break;
            default:
                break;
        }
    }

    /**
     * Whether a peer's {@code resource} report is older than the newest one already taken from it. The
     * membership delivers each message once, but not in order: one that overtook an earlier one on the
     * link comes first, and a lost one comes when it is retransmitted. Every report states the peer's
     * holdings and stability as a whole, so an older one arriving last would undo the newer (an
     * overtaken {@code isstable=0} left the peer "in flux" for good). Other messages are steps of a
     * handshake and are all taken. Messages without {@code seq} (never from the membership) are taken.
     */
    private boolean staleReport(Peer p, Message message, String from) {
        if (!message.type().equals(Messages.RESOURCE)) {
            return false;
        }
        long gen = hex(message.getOr(Message.GEN, "0"));
        long seq = hex(message.getOr(Message.SEQ, ""));
        if (gen < 0 || seq < 0) {
            return false;
        }
        if (gen < p.reportGeneration || (gen == p.reportGeneration && seq < p.reportSeq)) {
            out.log(Severity.DEBUG, HB, "Ignoring resource report " + seq + " from " + from + ": report " + p.reportSeq
                    + " is newer.");
            return true;
        }
        p.reportGeneration = gen;
        p.reportSeq = seq;
        return false;
    }

    /**
     * Whether a peer's {@code starting} was sent before the newest {@code resource} report already taken
     * from it (same life): the peer reports only after its {@code starting}, so this one was overtaken
     * on the link or retransmitted late.
     */
    private static boolean startingOlderThanReport(Peer p, Message message) {
        return message.type().equals(Messages.STARTING) && olderThanReport(p, message);
    }

    /** Whether a peer's {@code ask_resources info=me} was sent before the newest {@code resource} report taken from it. */
    private static boolean requestOlderThanReport(Peer p, Message message) {
        return message.type().equals(Messages.ASK_RESOURCES) && "me".equalsIgnoreCase(message.getOr(Message.INFO, ""))
                && olderThanReport(p, message);
    }

    /** Whether {@code message} (generation, seq) was sent before the newest {@code resource} report taken from the peer. */
    private static boolean olderThanReport(Peer p, Message message) {
        if (p.reportSeq < 0) {
            return false;
        }
        long gen = hex(message.getOr(Message.GEN, "0"));
        long seq = hex(message.getOr(Message.SEQ, ""));
        if (gen < 0 || seq < 0) {
            return false;
        }
        return gen < p.reportGeneration || (gen == p.reportGeneration && seq < p.reportSeq);
    }

    private static long hex(String s) {
        try {
            return s.isEmpty() || s.length() > 16 ? -1 : Long.parseLong(s, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
