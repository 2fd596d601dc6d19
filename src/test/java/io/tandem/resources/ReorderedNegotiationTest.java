package io.tandem.resources;

import io.tandem.config.FailbackMode;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.wire.Message;
import org.junit.jupiter.api.Test;

/**
 * Negotiation messages that do not answer what they seem to: a peer's report sent before our
 * {@code starting}, and a peer's {@code starting} that arrives after a newer report of its own.
 */
class ReorderedNegotiationTest {
    static final GroupSpec G1 = GroupSpec.of("n1", "ip1", "web1"), G2 = GroupSpec.of("n2", "ip2", "db2");

    private static Message numbered(Message m, long seq) {
        return m.append(Message.GEN, "1").append(Message.SEQ, Long.toHexString(seq));
    }

    /**
     * n2's "none, stable" report reached n1 before n1's comm-up (n2 sent it before it learned of n1's
     * new life, and then took everything on that old life's shutdone): n1 must wait for n2's answer to
     * its starting, not take its own group on the early report (FencingSimulationTest seed 138).
     */
    @Test
    void a_report_that_came_before_our_starting_is_not_taken_as_the_answer() {
        Driver d = new Driver("n1", FailbackMode.ON, StopFailurePolicy.HOLD, G1, G2);
        d.apply(d.e.peerStatus(0, "n2", PeerStatus.ACTIVE));
        d.from("n2", numbered(Messages.resourceFull(ResourceSet.NONE, true, null), 9));
        d.apply(d.e.commUp(0));
        d.scriptsOk();
        assertThat(d.sent()).containsExactly("t=starting");
        assertThat(d.logs()).noneMatch(l -> l.contains("remote resource transition completed"));
        // n2's answer: it is taking everything
        d.from("n2", numbered(Messages.resourceFull(ResourceSet.ALL, false, null), 12));
        d.scriptsOk();
        assertThat(d.opTexts()).noneMatch(o -> o.endsWith("start"));
        d.from("n2", numbered(Messages.resourceFull(ResourceSet.ALL, true, null), 14));
        d.scriptsOk();
        assertThat(d.opTexts()).noneMatch(o -> o.endsWith("start"));
        assertThat(d.e.held()).isEqualTo(ResourceSet.NONE);
    }

    /**
     * n2's starting (seq 13) was lost and retransmitted; its stable report (seq 15) came first. n1
     * answers the late starting but keeps n2 as stable, as its newer report says (before, n2 stayed
     * "in flux" for good and n1 could never hand a group over: MonitorSimulationTest seed 172249).
     */
    @Test
    void a_starting_older_than_the_peers_report_keeps_the_peer_stable() {
        Driver d = new Driver("n1", FailbackMode.OFF, StopFailurePolicy.HOLD, G1, G2);
        d.apply(d.e.peerStatus(0, "n2", PeerStatus.ACTIVE));
        d.apply(d.e.commUp(0));
        d.from("n2", numbered(Messages.resourceFull(ResourceSet.LOCAL, true, null), 10));
        d.scriptsOk();
        assertThat(d.e.rscStatus()).isEqualTo("local");
        d.clear().from("n2", numbered(Messages.resourceFull(ResourceSet.LOCAL, true, null), 0x15));
        d.from("n2", numbered(Messages.starting(), 0x13));
        assertThat(d.sent()).containsExactly("t=resource rsc_hold=local rtype=full isstable=1");
        assertThat(d.e.rscStatus()).as("n2 still stable").isEqualTo("local");
        // a starting newer than the report is taken as ever
        d.clear().from("n2", numbered(Messages.starting(), 0x16));
        assertThat(d.e.rscStatus()).isEqualTo("transition");
    }
}
