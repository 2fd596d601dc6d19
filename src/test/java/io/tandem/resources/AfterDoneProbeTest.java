package io.tandem.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.FailbackMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which calls carry {@link ResourceOp#peerReleased()} (the daemon then adds an address without the
 * duplicate-address probe, docs/split-brain.md): the taker's acquisition after the giver's {@code done}
 * in a standby hand-over, while that hand-over stands; no other call.
 */
class AfterDoneProbeTest {
    static final String IP1 = "IPaddr::192.0.2.1/24/eth0", IP2 = "IPaddr::192.0.2.2/24/eth0";
    static final GroupSpec G1 = GroupSpec.of("n1", IP1, "apache2"), G2 = GroupSpec.of("n2", IP2, "db2");

    static Driver stablePair(FailbackMode mode) {
        Driver d = new Driver("n1", mode, StopFailurePolicy.HOLD, G1, G2);
        d.apply(d.e.peerStatus(0, "n2", PeerStatus.ACTIVE));
        d.apply(d.e.commUp(0));
        d.from("n2", Messages.resourceFull(ResourceSet.LOCAL, true, null));
        d.scriptsOk();
        assertThat(d.e.rscStatus()).isEqualTo("local");
        return d.clear();
    }

    private static List<String> flagged(Driver d) {
        return d.ops.stream().filter(ResourceOp::peerReleased).map(o -> o.resource() + " " + o.action().word()).toList();
    }

    @Test
    void the_acquisition_after_the_peers_done_is_marked_peer_released() {
        Driver d = stablePair(FailbackMode.OFF);
        assertThat(d.ops).isEmpty();
        d.from("n2", Messages.askResources(ResourceSet.ALL, "me"));
        d.from("n2", Messages.resourceFull(ResourceSet.NONE, false, "standby"));
        d.from("n2", Messages.askResources(ResourceSet.ALL, "done")).scriptsOk();
        assertThat(d.opTexts()).containsExactly(IP1 + " status", "apache2 status", IP2 + " status", IP2 + " start", "db2 status", "db2 start");
        assertThat(flagged(d)).isEqualTo(d.opTexts());
        assertThat(d.running).contains(IP2, "db2");
    }

    @Test
    void hb_takeover_here_takes_the_group_after_the_holders_done_marked_too() {
        Driver d = stablePair(FailbackMode.OFF);
        d.apply(d.e.operatorTakeover(d.now, "foreign"));
        assertThat(d.sent()).containsExactly("t=hb_takeover rsc_hold=foreign");
        // n2 goes standby for its own group (heartbeat's hb_takeover: the holder runs hb_standby)
        d.clear().from("n2", Messages.askResources(ResourceSet.LOCAL, "me"));
        assertThat(d.sent()).containsExactly("t=ask_resources rsc_hold=local info=other");
        d.from("n2", Messages.askResources(ResourceSet.LOCAL, "done")).scriptsOk();
        assertThat(d.opTexts()).containsExactly(IP2 + " status", IP2 + " start", "db2 status", "db2 start");
        assertThat(flagged(d)).isEqualTo(d.opTexts());
    }

    @Test
    void the_givers_release_carries_nothing() {
        Driver d = stablePair(FailbackMode.OFF);
        d.apply(d.e.operatorStandby(d.now, "local"));
        d.clear().from("n2", Messages.askResources(ResourceSet.LOCAL, "other")).scriptsOk();
        assertThat(d.opTexts()).containsExactly("apache2 stop", IP1 + " stop");
        assertThat(d.sent()).endsWith("t=ask_resources rsc_hold=local info=done");
        assertThat(flagged(d)).isEmpty();
    }

    @Test
    void a_crash_takeover_keeps_the_probe() {
        Driver d = stablePair(FailbackMode.OFF);
        d.apply(d.e.peerDead(d.now, "n2"));
        d.scriptsOk();
        assertThat(d.opTexts()).contains(IP2 + " start", "db2 start");
        assertThat(flagged(d)).isEmpty();
    }

    @Test
    void the_peer_dying_during_the_acquisition_after_its_done_brings_the_probe_back() {
        Driver d = stablePair(FailbackMode.OFF);
        d.from("n2", Messages.askResources(ResourceSet.ALL, "me"));
        d.from("n2", Messages.askResources(ResourceSet.ALL, "done"));
        // the first call (our own address's status) is out, marked; then n2 is declared dead
        ResourceOp first = d.e.pendingOp().orElseThrow();
        assertThat(first.peerReleased()).isTrue();
        d.apply(d.e.peerDead(d.now, "n2"));
        d.clear().scriptsOk();
        assertThat(d.opTexts()).contains(IP2 + " start");
        assertThat(flagged(d)).isEmpty();
    }

    @Test
    void the_acquisition_after_the_peers_shutdone_keeps_the_probe() {
        Driver d = stablePair(FailbackMode.OFF);
        d.from("n2", Messages.shutdone());
        d.scriptsOk();
        assertThat(d.opTexts()).contains(IP2 + " start");
        assertThat(flagged(d)).isEmpty();
    }

    @Test
    void the_initial_acquisition_carries_nothing() {
        Driver d = new Driver("n1", FailbackMode.OFF, StopFailurePolicy.HOLD, G1, G2);
        d.apply(d.e.peerStatus(0, "n2", PeerStatus.ACTIVE));
        d.apply(d.e.commUp(0));
        d.from("n2", Messages.resourceFull(ResourceSet.LOCAL, true, null));
        d.scriptsOk();
        assertThat(d.opTexts()).contains(IP1 + " start");
        assertThat(flagged(d)).isEmpty();
    }
}
