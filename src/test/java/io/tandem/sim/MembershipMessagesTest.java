package io.tandem.sim;

import io.tandem.config.Severity;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.membership.Environment;
import io.tandem.membership.FixedEnvironment;
import io.tandem.membership.MembershipConfig;
import io.tandem.membership.MembershipEffect;
import io.tandem.membership.MembershipEngine;
import io.tandem.wire.Field;
import io.tandem.wire.Message;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The engine's messages have heartbeat's fields in heartbeat's order (docs/protocol.md Appendix B, the captures). */
class MembershipMessagesTest {
    private static final Environment ENV = new FixedEnvironment("0.15 0.41 0.81 1/88 28006");

    private static MembershipEngine engine() {
        return new MembershipEngine(new MembershipConfig("orasrv1.xlk.com", List.of("orasrv1.xlk.com", "orasrv2.xlk.com"),
                List.of("192.0.2.254"), 500, 3000, 2000, 6000, 3000, 0x6b05d40bL, new byte[16]), ENV);
    }

    private static List<Message> broadcasts(List<MembershipEffect> effects) {
        return effects.stream().filter(e -> e instanceof MembershipEffect.Broadcast).map(e -> ((MembershipEffect.Broadcast) e).message())
                .collect(Collectors.toList());
    }

    private static String names(Message m) {
        return m.fields().stream().map(Field::name).collect(Collectors.joining(" "));
    }

    @Test
    void statusMessagesAreInitThenUpWithTheStartUpDeadtimeAndTheCapturesFieldOrder() {
        MembershipEngine e = engine();
        List<MembershipEffect> effects = e.start(0x6b05dbd0L * 1000);
        List<Message> sent = broadcasts(effects);
        assertThat(sent).hasSize(2);
        Message init = sent.get(0);
        // captured packet 0 of seed-md5.pcap: t=status st=init dt=1388 protocol=1 src=orasrv1.xlk.com (1)srcuuid seq=1 hg=6b05d40b ts=6b05dbd0 ld ttl=4
        assertThat(names(init)).isEqualTo("t st dt protocol src srcuuid seq hg ts ld ttl");
        assertThat(init.toString()).contains("t=status st=init dt=1388 protocol=1 src=orasrv1.xlk.com", "seq=1 hg=6b05d40b ts=6b05dbd0",
                "ttl=4");
        assertThat(sent.get(1).getOr(Message.STATUS, "")).isEqualTo("up");
        assertThat(sent.get(1).getOr(Message.SEQ, "")).isEqualTo("2");
        assertThat(effects).contains(new MembershipEffect.Log(io.tandem.config.Severity.INFO, "Local status now set to: 'up'"));
    }

    @Test
    void reliableMessagesGetTheControlFieldsAfterTheCallersFields() {
        MembershipEngine e = engine();
        e.start(1_000_000);
        Message m = broadcasts(e.send(1_000_100, Message.ofStrings(Message.TYPE, "resource", "rsc_hold", "all", "rtype", "full",
                "isstable", "1"))).get(0);
        assertThat(names(m)).isEqualTo("t rsc_hold rtype isstable src srcuuid seq hg ts ld ttl");
        assertThat(m.getOr(Message.SEQ, "")).isEqualTo("3");
    }

    @Test
    void aPeersReqnodesIsAnsweredWithRepnodesDestFirstAsHeartbeatWritesIt() {
        MembershipEngine e = engine();
        e.start(1_000_000);
        Message status = Message.ofStrings(Message.TYPE, "status", Message.STATUS, "up", Message.DEADTIME, "1388", Message.PROTOCOL, "1",
                Message.SRC, "orasrv2.xlk.com").append(Field.binary(Message.SRCUUID, new byte[16])).append(Message.SEQ, "1")
                .append(Message.GEN, "6b05d464").append(Message.TS, "6b05dbd9");
        e.received(1_000_200, status, "eth1");
        Message req = Message.ofStrings(Message.TYPE, "reqnodes", Message.DEST, "orasrv1.xlk.com", Message.SRC, "orasrv2.xlk.com",
                Message.SEQ, "2", Message.GEN, "6b05d464", Message.TS, "6b05dbd9");
        Message rep = broadcasts(e.received(1_000_300, req, "eth1")).stream().filter(m -> m.type().equals("repnodes")).findFirst()
                .orElseThrow();
        // captured: dest=orasrv2.xlk.com t=repnodes nodelist=orasrv1.xlk.com orasrv2.xlk.com  delnodelist=  (1)destuuid src (1)srcuuid seq hg ts ld ttl
        assertThat(names(rep)).isEqualTo("dest t nodelist delnodelist destuuid src srcuuid seq hg ts ld ttl");
        assertThat(rep.getOr("nodelist", "")).isEqualTo("orasrv1.xlk.com orasrv2.xlk.com ");
        assertThat(rep.getOr("delnodelist", "")).isEqualTo(" ");
    }

    @Test
    void ackMessagesCarryNoSeqAndNoLoad() {
        MembershipEngine e = engine(); // ENV.random = 0: ACK trigger 0, so seq 10 (hex a) is acknowledged
        e.start(1_000_000);
        List<Message> acks = List.of();
        for (int seq = 1; seq <= 10; seq++) {
            Message status = Message.ofStrings(Message.TYPE, "status", Message.STATUS, "up", Message.DEADTIME, "bb8", Message.PROTOCOL, "1",
                    Message.SRC, "orasrv2.xlk.com").append(Field.binary(Message.SRCUUID, new byte[16]))
                    .append(Message.SEQ, Long.toHexString(seq)).append(Message.GEN, "6b05d464").append(Message.TS, "6b05dbd9");
            acks = broadcasts(e.received(1_000_000 + seq * 500L, status, "eth1")).stream().filter(m -> m.type().equals("NS_ackmsg"))
                    .collect(Collectors.toList());
        }
        assertThat(acks).hasSize(1);
        // captured: t=NS_ackmsg dest=orasrv1.xlk.com ackseq=c (1)destuuid src (1)srcuuid hg ts ttl
        assertThat(names(acks.get(0))).isEqualTo("t dest ackseq destuuid src srcuuid hg ts ttl");
        assertThat(acks.get(0).getOr("ackseq", "")).isEqualTo("a");
    }
}
