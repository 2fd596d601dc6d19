package io.tandem.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.wire.Field;
import io.tandem.wire.Message;
import io.tandem.wire.RejectReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Signed messages with numbers no real peer sends (issue "hostile packets", finding 5): they are
 * rejected and counted, never poison the peer's state, and a silent peer is declared dead after
 * its deadtime whatever it announced before. Also the replay rules across our own restart.
 */
class HostileNumbersTest {
    private static final String A = "nodea", B = "nodeb";
    private static final long KEEPALIVE = 200, DEADTIME = 1000;
    private static final Environment ENV = new FixedEnvironment("0.00 0.00 0.00 1/1 1");

    private final List<MembershipEffect> effects = new ArrayList<>();
    private MembershipEngine a;
    private long bSeq;
    private long now = 1_000_000;

    private MembershipEngine start(List<PeerLife> past) {
        MembershipEngine e = new MembershipEngine(new MembershipConfig(A, List.of(A, B), List.of(), KEEPALIVE, DEADTIME, 500, 2000,
                DEADTIME, 0x6b05d40bL, new byte[16]), ENV);
        e.remember(past);
        effects.addAll(e.start(now));
        return e;
    }

    private static Message status(String st, long gen, long seq, long dt) {
        return Message.ofStrings(Message.TYPE, "status", Message.STATUS, st, Message.DEADTIME, Long.toHexString(dt), Message.PROTOCOL, "1",
                Message.SRC, B).append(Field.binary(Message.SRCUUID, new byte[16])).append(Message.SEQ, Long.toHexString(seq))
                .append(Message.GEN, Long.toHexString(gen)).append(Message.TS, "6b05dbd9");
    }

    /** B's next status in its real generation, at the current time. */
    private void bTalks(long gen) {
        effects.addAll(a.received(now, status("active", gen, ++bSeq, DEADTIME), "eth1"));
    }

    private void advance(long ms) {
        long until = now + ms;
        while (now < until) {
            now = Math.min(until, now + 50);
            effects.addAll(a.tick(now));
        }
    }

    private List<MembershipEffect.Rejected> rejected(RejectReason reason) {
        return effects.stream().filter(e -> e instanceof MembershipEffect.Rejected r && r.reason() == reason)
                .map(e -> (MembershipEffect.Rejected) e).toList();
    }

    private void bIsActive(long gen) {
        bTalks(gen);
        assertThat(a.nodeStatus(B)).isEqualTo("active");
    }

    @Test
    void aStatusWithAbsurdGenerationAndSequenceIsRejectedAndTheRealPeerStaysHeard() {
        a = start(List.of());
        bIsActive(0x6b05d464L);
        effects.addAll(a.received(now, status("active", 0xffffffffffffffL, 0xffffffffffffffL, 0xffffffffffffffL), "eth1"));
        assertThat(rejected(RejectReason.ABSURD_NUMBER)).hasSize(1);
        for (int i = 0; i < 20; i++) { // the real peer keeps talking: nothing of it is dropped as a replay
            advance(KEEPALIVE);
            bTalks(0x6b05d464L);
        }
        assertThat(rejected(RejectReason.REPLAY)).isEmpty();
        assertThat(a.nodeStatus(B)).isEqualTo("active");
    }

    @Test
    void aSilentPeerIsDeadAfterItsDeadtimeWhateverDeadtimeItAnnounced() {
        a = start(List.of());
        bIsActive(0x6b05d464L);
        effects.addAll(a.received(now, status("active", 0x6b05d464L, ++bSeq, 0xffffffffffffffL), "eth1"));
        assertThat(rejected(RejectReason.ABSURD_NUMBER)).hasSize(1);
        long silentFrom = now;
        while (!a.nodeStatus(B).equals("dead")) {
            advance(50);
            assertThat(now - silentFrom).as("declared dead within the clamped deadtime").isLessThanOrEqualTo(10 * DEADTIME + 60_000 + 100);
        }
    }

    @Test
    void aSequenceJumpNoPeerCanMakeIsRejectedAndTheRealSequenceGoesOn() {
        a = start(List.of());
        bIsActive(0x6b05d464L);
        advance(KEEPALIVE);
        effects.addAll(a.received(now, status("active", 0x6b05d464L, bSeq + 1_000_000, DEADTIME), "eth1"));
        assertThat(rejected(RejectReason.ABSURD_NUMBER)).hasSize(1);
        for (int i = 0; i < 10; i++) {
            advance(KEEPALIVE);
            bTalks(0x6b05d464L);
        }
        assertThat(a.nodeStatus(B)).isEqualTo("active");
        assertThat(effects).noneMatch(e -> e instanceof MembershipEffect.Log l && l.text().contains("lost packet"));
    }

    @Test
    void aGapAfterAPartitionIsStillBelievedWhenTimeExplainsIt() {
        a = start(List.of());
        bIsActive(0x6b05d464L);
        advance(20_000); // b is dead to us; it went on sending 100 statuses we did not hear
        bSeq += 400;
        bTalks(0x6b05d464L);
        assertThat(rejected(RejectReason.ABSURD_NUMBER)).isEmpty();
        assertThat(a.nodeStatus(B)).isEqualTo("active");
    }

    @Test
    void aLateCopyOfAnOldStatusDoesNotKeepASilentPeerAlive() {
        a = start(List.of());
        bIsActive(0x6b05d464L);
        advance(6000); // past the start-up deadtime bonus
        bTalks(0x6b05d464L);
        long lost = ++bSeq; // this status of b never reached us...
        advance(KEEPALIVE);
        bTalks(0x6b05d464L); // ...the next one did; then b falls silent
        long lastHeard = now;
        advance(DEADTIME - 150);
        effects.addAll(a.received(now, status("active", 0x6b05d464L, lost, DEADTIME), "eth1")); // the lost one, replayed or resent late
        advance(200);
        assertThat(a.nodeStatus(B)).as("dead %d ms after its last new status", now - lastHeard).isEqualTo("dead");
    }

    @Test
    void afterShutdoneTheSameGenerationIsAReplayAndARestartIsWelcome() {
        a = start(List.of());
        bIsActive(0x6b05d464L);
        Message shutdone = Message.ofStrings(Message.TYPE, "shutdone", Message.STATUS, "dead", Message.SRC, B, Message.SEQ,
                Long.toHexString(++bSeq), Message.GEN, "6b05d464");
        effects.addAll(a.received(now, shutdone, "eth1"));
        assertThat(effects).anyMatch(e -> e instanceof MembershipEffect.PeerLifeChanged c && c.life().ended());
        bTalks(0x6b05d464L); // a recorded status of the life that ended
        assertThat(rejected(RejectReason.REPLAY)).hasSize(1);
        bSeq = 0;
        effects.addAll(a.received(now, status("init", 0x6b05d465L, ++bSeq, DEADTIME), "eth1"));
        assertThat(a.nodeStatus(B)).isEqualTo("init");
    }

    @Test
    void afterOurRestartPacketsOfThePeersLifeWeHadSeenAreReplays() {
        a = start(List.of(new PeerLife(B, 0x6b05d464L, 40, false)));
        effects.addAll(a.received(now, status("active", 0x6b05d464L, 39, DEADTIME), "eth1"));
        effects.addAll(a.received(now, status("active", 0x6b05d463L, 900, DEADTIME), "eth1"));
        assertThat(rejected(RejectReason.REPLAY)).hasSize(2);
        assertThat(a.nodeStatus(B)).isEqualTo("init");
        bSeq = 40; // the live peer goes on where we left it
        bIsActive(0x6b05d464L);
    }

    @Test
    void afterOurRestartAnEndedLifeOfThePeerStaysEnded() {
        a = start(List.of(new PeerLife(B, 0x6b05d464L, 40, true)));
        effects.addAll(a.received(now, status("active", 0x6b05d464L, 41, DEADTIME), "eth1"));
        assertThat(rejected(RejectReason.REPLAY)).hasSize(1);
        assertThat(a.nodeStatus(B)).isEqualTo("init");
        bIsActive(0x6b05d465L); // its next start
    }

    @Test
    void weRememberThePeersLifeWhenWeStop() {
        a = start(List.of());
        bIsActive(0x6b05d464L);
        bTalks(0x6b05d464L);
        List<MembershipEffect> out = a.shutdown(now);
        assertThat(out).contains(new MembershipEffect.PeerLifeChanged(new PeerLife(B, 0x6b05d464L, 2, false)));
    }

    @Test
    void aStatusThatIsNotAStatusWordAndUnknownNodesAreRejectedNotLoggedPerName() {
        a = start(List.of());
        effects.addAll(a.received(now, status("active\nCRIT: forged", 0x6b05d464L, ++bSeq, DEADTIME), "eth1"));
        assertThat(rejected(RejectReason.BAD_FIELD)).hasSize(1);
        assertThat(a.nodeStatus(B)).isEqualTo("init");
        for (int i = 0; i < 1000; i++) {
            Message m = Message.ofStrings(Message.TYPE, "status", Message.STATUS, "up", Message.SRC, "intruder" + i, Message.SEQ, "1");
            effects.addAll(a.received(now, m, "eth1"));
        }
        assertThat(rejected(RejectReason.UNKNOWN_NODE)).hasSize(1000);
        assertThat(effects).noneMatch(e -> e instanceof MembershipEffect.Log l && l.text().contains("intruder"));
    }
}
