package io.tandem.daemon.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.AuthKey;
import io.tandem.config.AuthMethod;
import io.tandem.wire.Message;
import io.tandem.wire.RejectReason;
import io.tandem.wire.WireCodec;
import io.tandem.wire.WireFormat;
import org.junit.jupiter.api.Test;

/**
 * What a node holds stays bounded however much hostile input it takes: one long-lived {@link FuzzNode}
 * whose real peer keeps talking gets floods of distinct node names, wrong-key senders, generations,
 * sequence numbers and early messages, and afterwards holds about what it held before
 * ({@link ReachableSize}). The figures are printed on {@code FIGURE} lines (docs/reliability.md).
 */
class TableBoundsTest {
    static final int FLOOD = 20_000;
    private static final AuthKey WRONG = new AuthKey(1, AuthMethod.MD5, "not-the-cluster-key");

    private long peerSeq;

    /** The real peer's next status (and some time passing): it stays active through every flood. */
    private void peerTalks(FuzzNode node, String gen) {
        node.advance(10);
        node.datagram(FuzzSeeds.signed(FuzzSeeds.status(FuzzNode.PEER, "active", gen, Long.toHexString(++peerSeq), "bb8")), "eth1");
    }

    private void settle(FuzzNode node, String gen) {
        for (int i = 0; i < 1000; i++) { // 10 s of a talking peer: our history of sent messages fills up
            node.advance(FuzzNode.KEEPALIVE - 10);
            peerTalks(node, gen);
        }
    }

    @Test
    void floodsOfNamesSendersGenerationsAndSequenceNumbersLeaveTheNodeHoldingWhatItHeld() {
        FuzzNode node = new FuzzNode(HostileInputFuzzer.START, FuzzNode.noPast());
        String gen = FuzzSeeds.PEER_GEN;
        settle(node, gen);
        assertThat(node.core.membership().nodeStatus(FuzzNode.PEER)).isEqualTo("active");
        long before = ReachableSize.of(node.core, node.rejects);
        for (int i = 0; i < FLOOD; i++) {
            node.datagram(FuzzSeeds.signed(FuzzSeeds.status("n" + i + ".example", "active", Long.toHexString(i + 1), "1", "bb8")), "eth1");
            node.datagram(WireCodec.encodeSigned(FuzzSeeds.status("spoof" + i, "active", "1", "1", "bb8"), WRONG, WireFormat.NETSTRING), "eth2");
            node.datagram(FuzzSeeds.signed(FuzzSeeds.status(FuzzNode.PEER, "active", Long.toHexString(0x1_0000_0000L + i),
                    Long.toHexString(i + 1), "bb8")), "eth1");
            node.datagram(FuzzSeeds.signed(FuzzSeeds.status(FuzzNode.PEER, "active", gen, Long.toHexString((1L << 41) + i), "bb8")), "eth1");
            if (i % 20 == 0) {
                peerTalks(node, gen);
            }
        }
        for (int i = 0; i < FLOOD / 20; i++) { // the peer skips ahead (believed): missing numbers pile up
            peerSeq += 200;
            peerTalks(node, gen);
        }
        settle(node, gen);
        long after = ReachableSize.of(node.core, node.rejects);
        System.out.printf("FIGURE table bounds: node holds %d units before, %d after %d x 4 hostile packets and %d sequence jumps (%s)%n",
                before, after, FLOOD, FLOOD / 20, node.summary());
        assertThat(node.rejects.totals()).containsKeys(RejectReason.UNKNOWN_NODE, RejectReason.BAD_AUTH, RejectReason.ABSURD_NUMBER);
        assertThat(node.core.membership().nodeStatus(FuzzNode.PEER)).isEqualTo("active");
        assertThat(after).as("reachable size after the floods").isLessThan(before * 3 / 2);
    }

    @Test
    void messagesBeforeCommUpAreKeptUpToABound() {
        FuzzNode node = new FuzzNode(HostileInputFuzzer.START, FuzzNode.noPast());
        String gen = FuzzSeeds.PEER_GEN;
        peerTalks(node, gen); // heard, speaks the protocol: this node asks it for the node list and waits (reqnodes)
        long before = ReachableSize.of(node.core, node.rejects);
        for (int i = 0; i < FLOOD; i++) {
            node.datagram(FuzzSeeds.signed(Message.ofStrings(Message.TYPE, "ask_resources", "rsc_hold", "all", "info", "me", Message.SRC,
                    FuzzNode.PEER, Message.SEQ, Long.toHexString(++peerSeq), Message.GEN, gen)), "eth1");
        }
        long after = ReachableSize.of(node.core, node.rejects);
        System.out.printf("FIGURE table bounds: before comm-up, node holds %d units, %d after %d signed messages%n", before, after, FLOOD);
        assertThat(node.core.membership().commUp()).as("still waiting for the peer's node list").isFalse();
        assertThat(after - before).as("growth of what the node holds").isLessThan(50_000);
    }
}
