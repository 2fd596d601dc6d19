package io.tandem.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.wire.Field;
import io.tandem.wire.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The table of a peer's missing sequence numbers is bounded (fuzzer finding: a peer whose every
 * status jumps 250 numbers ahead, each jump within what is believed, made the table grow by 249 a
 * message; after 200 such messages every timer tick asked for ~50,000 retransmissions, and one input
 * of 200 packets took 47 s). As in heartbeat 3.0.6 (MAXMISSING = MAXMSGHIST = 200), at most
 * {@link MembershipEngine#MAX_MISSING} numbers are waited for: the oldest are given up first.
 */
class MissingTableTest {
    private static final String A = "nodea", B = "nodeb";

    private static Message status(long seq) {
        return Message.ofStrings(Message.TYPE, "status", Message.STATUS, "active", Message.DEADTIME, "3e8", Message.PROTOCOL, "1",
                Message.SRC, B).append(Field.binary(Message.SRCUUID, new byte[16])).append(Message.SEQ, Long.toHexString(seq))
                .append(Message.GEN, "6b05d464").append(Message.TS, "6b05dbd9");
    }

    @Test
    void aPeerThatSkipsAheadOnEveryMessageLeavesABoundedTableOfMissingNumbers() {
        MembershipEngine a = new MembershipEngine(new MembershipConfig(A, List.of(A, B), List.of(), 200, 1000, 500, 2000, 1000,
                0x6b05d40bL, new byte[16]), new FixedEnvironment("0.00 0.00 0.00 1/1 1"));
        long now = 1_000_000;
        a.start(now);
        long seq = 1;
        for (int i = 0; i < 400; i++) {
            a.received(now, status(seq), "eth1");
            seq += MembershipEngine.MAX_GAP;
            now += 5;
        }
        now += 300;
        long requests = a.tick(now).stream()
                .filter(e -> e instanceof MembershipEffect.Broadcast b && b.message().type().equals("NS_rexmit")).count();
        assertThat(requests).isPositive().isLessThanOrEqualTo(MembershipEngine.MAX_MISSING);
        assertThat(a.nodeStatus(B)).isEqualTo("active");
    }
}
