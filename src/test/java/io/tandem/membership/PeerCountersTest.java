package io.tandem.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.wire.Field;
import io.tandem.wire.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What membership counts for the metrics ({@link PeerCounters}): a status later than warntime, the
 * sequence numbers a gap skipped, the retransmissions asked for them, the messages resent at the
 * peer's request, and when each link last carried a packet (the local node: its own echo).
 */
class PeerCountersTest {
    private static final String A = "nodea", B = "nodeb";
    private static final long WARN = 500;

    private static Message status(long seq) {
        return Message.ofStrings(Message.TYPE, "status", Message.STATUS, "active", Message.DEADTIME, "3e8", Message.PROTOCOL, "1",
                Message.SRC, B).append(Field.binary(Message.SRCUUID, new byte[16])).append(Message.SEQ, Long.toHexString(seq))
                .append(Message.GEN, "6b05d464").append(Message.TS, "6b05dbd9");
    }

    @Test
    void late_heartbeats_lost_packets_and_retransmits_are_counted_per_peer() {
        MembershipEngine a = new MembershipEngine(new MembershipConfig(A, List.of(A, B), List.of(), 200, 2000, WARN, 4000, 1000,
                0x6b05d40bL, new byte[16]), new FixedEnvironment("0.00 0.00 0.00 1/1 1"));
        long now = 1_000_000;
        a.start(now);
        assertThat(a.counters(B)).isEqualTo(new PeerCounters(0, 0, 0, 0, java.util.Map.of()));
        a.received(now, status(1), "eth1");
        a.received(now + 200, status(2), "eth1");
        a.received(now + 200 + WARN + 100, status(3), "eth1"); // later than warntime
        a.received(now + 1000, status(7), "eth2"); // 4, 5 and 6 lost
        long requests = 0;
        for (long t = now + 1000; t <= now + 2000; t += 100) {
            requests += a.tick(t).stream().filter(e -> e instanceof MembershipEffect.Broadcast b && b.message().type().equals("NS_rexmit")).count();
        }
        Message rexmit = Message.ofStrings(Message.TYPE, "NS_rexmit", Message.DEST, A, "firstseq", "1", "lastseq", "2", Message.SRC, B);
        long served = a.received(now + 2000, rexmit, "eth1").stream().filter(e -> e instanceof MembershipEffect.Broadcast).count();
        PeerCounters c = a.counters(B);
        assertThat(c.lateHeartbeats()).isEqualTo(1);
        assertThat(c.lostPackets()).isEqualTo(3);
        assertThat(requests).isGreaterThanOrEqualTo(3);
        assertThat(c.retransmitRequests()).isEqualTo(requests);
        assertThat(served).isEqualTo(2);
        assertThat(c.retransmitsServed()).isEqualTo(2);
        assertThat(c.linkLastHeard()).containsEntry("eth1", now + 2000).containsEntry("eth2", now + 1000);
        assertThat(a.counters("NodeB")).isEqualTo(c);
        assertThat(a.counters("nobody")).isEqualTo(PeerCounters.NONE);

        Message echo = status(1).set(Message.SRC, A);
        a.received(now + 2100, echo, "eth1");
        assertThat(a.counters(A).linkLastHeard()).containsEntry("eth1", now + 2100);
        assertThat(a.counters(A).lateHeartbeats()).isZero();
    }
}
