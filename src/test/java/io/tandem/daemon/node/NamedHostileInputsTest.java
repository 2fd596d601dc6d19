package io.tandem.daemon.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.wire.RejectReason;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The fuzzer's named seed inputs ({@link FuzzSeeds}: real heartbeat 3.0.6 traffic and the hostile-packet
 * cases of HostilePacketsLabTest) run through the fuzz target one by one, each with what it must lead
 * to: the reason it is counted under, and that the real peer's traffic still makes the peer active.
 * These stay handled whatever the fuzzer's corpus holds.
 */
class NamedHostileInputsTest {
    private static final Map<String, RejectReason> COUNTED_AS = Map.ofEntries(
            Map.entry("capture-md5-orasrv2, a restart, then its old life replayed", RejectReason.REPLAY),
            Map.entry("oversized (65,508 bytes)", RejectReason.UNPARSEABLE),
            Map.entry("21834 lines a= (the quadratic parse)", RejectReason.UNPARSEABLE),
            Map.entry("7000 tiny netstring fields", RejectReason.UNPARSEABLE),
            Map.entry("64 KB of digits as a length prefix", RejectReason.UNPARSEABLE),
            Map.entry("wrong key from 300 names", RejectReason.BAD_AUTH),
            Map.entry("forged src with a newline", RejectReason.BAD_AUTH),
            Map.entry("signed status with a newline in its status", RejectReason.BAD_FIELD),
            Map.entry("signed gen, seq and dt ffffffffffffff", RejectReason.ABSURD_NUMBER),
            Map.entry("signed bad sequence numbers", RejectReason.BAD_SEQUENCE),
            Map.entry("signed 300 unknown node names", RejectReason.UNKNOWN_NODE),
            Map.entry("signed older generation after a newer one", RejectReason.REPLAY));

    @TestFactory
    Stream<DynamicTest> everyNamedInputIsHandledAndCountedUnderItsReason() {
        return FuzzSeeds.named().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            FuzzNode node = HostileInputFuzzer.run(e.getValue());
            assertThat(node.datagrams).as(node.summary()).isPositive();
            RejectReason reason = COUNTED_AS.get(e.getKey());
            if (reason != null) {
                assertThat(node.rejects.totals()).as(node.summary()).containsKey(reason);
            }
            assertThat(node.rejects.totals()).as(node.summary()).doesNotContainKey(RejectReason.HANDLER_FAILED);
        }));
    }

    @Test
    void theRealPeersTrafficMakesItActiveInEveryFraming() {
        for (String name : new String[] {"capture-md5-orasrv2", "capture-md5-orasrv2-resigned-netstring",
            "capture-md5-orasrv2-resigned-classic"}) {
            FuzzNode node = HostileInputFuzzer.run(FuzzSeeds.named().get(name));
            assertThat(node.delivered).as(name + ": " + node.summary()).isEqualTo(node.datagrams);
            assertThat(node.rejects.totals()).as(name + ": " + node.summary()).doesNotContainKeys(RejectReason.UNPARSEABLE,
                    RejectReason.BAD_AUTH);
        }
    }

    @Test
    void aWholeCaptureOfBothNodesIsTakenWithoutARejection() {
        FuzzNode node = HostileInputFuzzer.run(FuzzSeeds.named().get("capture-md5-whole"));
        assertThat(node.delivered).as(node.summary()).isEqualTo(node.datagrams);
    }
}
