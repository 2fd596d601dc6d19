package io.tandem.resources;

import io.tandem.config.FailbackMode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.wire.Message;
import org.junit.jupiter.api.Test;

/** The 7.4 state table, its timeouts and refusals, seen from n1 with a scripted peer n2. */
class StandbyHandshakeTest {
    static final GroupSpec G1 = GroupSpec.of("n1", "ip1", "web1"), G2 = GroupSpec.of("n2", "ip2", "db2");

    /** n1 and n2 up; n2 reports it holds its own group and is stable; n1 takes its own. */
    static Driver stablePair(FailbackMode mode) {
        Driver d = new Driver("n1", mode, StopFailurePolicy.HOLD, G1, G2);
        d.apply(d.e.peerStatus(0, "n2", PeerStatus.ACTIVE));
        d.apply(d.e.commUp(0));
        d.from("n2", Messages.resourceFull(ResourceSet.LOCAL, true, null));
        d.scriptsOk();
        assertThat(d.e.rscStatus()).isEqualTo("local");
        return d.clear();
    }

    @Test
    void start_up_next_to_a_stable_peer_takes_only_our_group() {
        Driver d = new Driver("n1", FailbackMode.OFF, StopFailurePolicy.HOLD, G1, G2);
        d.apply(d.e.peerStatus(0, "n2", PeerStatus.ACTIVE));
        d.apply(d.e.commUp(0));
        d.from("n2", Messages.resourceFull(ResourceSet.LOCAL, true, null));
        d.scriptsOk();
        assertThat(d.sent()).containsExactly("t=starting", "t=resource rsc_hold=none rtype=full isstable=0",
                "t=resource rsc_hold=local rtype=full isstable=1",
                "t=ip-request-resp dest=n1 ipaddr=ip1 weown=yes ok=OK",
                "t=resource rsc_hold=local rtype=full isstable=1 info=req_our_resources()");
        assertThat(d.opTexts()).containsExactly("ip1 status", "ip1 status", "ip1 start", "web1 status", "web1 start");
        assertThat(d.logs()).contains("info: Initial resource acquisition complete (T_RESOURCES(us))");
    }

    @Test
    void both_started_together_each_takes_its_own_group_at_once_when_the_peer_holds_none_of_it() {
        Driver d = new Driver("n1", FailbackMode.OFF, StopFailurePolicy.HOLD, G1, G2);
        d.apply(d.e.peerStatus(0, "n2", PeerStatus.ACTIVE));
        d.apply(d.e.commUp(0));
        d.from("n2", Messages.starting());
        d.from("n2", Messages.resourceFull(ResourceSet.NONE, false, null));
        assertThat(d.logs()).contains("info: local resource transition completed (both nodes started; n2 holds none of our resources).");
        d.scriptsOk();
        assertThat(d.now).as("no RQSTDELAY wait").isLessThan(2_000);
        assertThat(d.opTexts()).containsExactly("ip1 status", "ip1 status", "ip1 start", "web1 status", "web1 start");
        assertThat(d.sent()).contains("t=resource rsc_hold=local rtype=full isstable=1");
        assertThat(d.e.rscStatus()).isEqualTo("transition"); // until n2 reports stable
        d.from("n2", Messages.resourceFull(ResourceSet.LOCAL, true, null));
        assertThat(d.e.rscStatus()).isEqualTo("local");
    }

    @Test
    void both_started_but_the_peer_runs_our_group_we_wait_for_it() {
        Driver d = new Driver("n1", FailbackMode.OFF, StopFailurePolicy.HOLD, G1, G2);
        d.apply(d.e.peerStatus(0, "n2", PeerStatus.ACTIVE));
        d.apply(d.e.commUp(0));
        d.from("n2", Messages.starting());
        d.from("n2", Messages.resourceFull(ResourceSet.FOREIGN, false, null));
        d.scriptsOk();
        assertThat(d.logs()).noneMatch(l -> l.contains("local resource transition completed"));
        assertThat(d.opTexts()).isEmpty();
    }

    @Test
    void the_peer_goes_standby_and_we_take_its_group_after_its_done() {
        Driver d = stablePair(FailbackMode.OFF);
        d.from("n2", Messages.askResources(ResourceSet.ALL, "me"));
        assertThat(d.sent()).containsExactly("t=ask_resources rsc_hold=all info=other");
        assertThat(d.logs()).containsExactly("info: n2 wants to go standby [all]");
        assertThat(d.e.rscStatus()).isEqualTo("transition");
        d.from("n2", Messages.resourceFull(ResourceSet.NONE, false, "standby"));
        assertThat(d.ops).isEmpty();
        d.clear().from("n2", Messages.askResources(ResourceSet.ALL, "done")).scriptsOk();
        assertThat(d.opTexts()).containsExactly("ip1 status", "web1 status", "ip2 status", "ip2 start", "db2 status", "db2 start");
        assertThat(d.sent()).containsExactly("t=ask_resources rsc_hold=all info=done", "t=resource rsc_hold=all rtype=full isstable=1");
        assertThat(d.logs()).containsSubsequence("info: standby: acquire [all] resources from n2", "info: acquire all HA resources (standby).",
                "info: all HA resource acquisition completed (standby).", "info: Standby resource acquisition done [all].");
        d.clear().from("n2", Messages.resourceFull(ResourceSet.NONE, true, null));
        assertThat(d.e.rscStatus()).isEqualTo("all");
    }

    /**
     * A {@code done} the peer sent before its {@code me} (an earlier handshake's, retransmitted after a
     * partition) is not the peer's release in this one; its own {@code done} is (FencingSimulationTest seed 1482).
     */
    @Test
    void a_done_older_than_the_peers_request_is_not_its_release() {
        Driver d = stablePair(FailbackMode.OFF);
        d.from("n2", Messages.askResources(ResourceSet.LOCAL, "me").append(Message.GEN, "1").append(Message.SEQ, "20"));
        assertThat(d.sent()).containsExactly("t=ask_resources rsc_hold=local info=other");
        d.clear().from("n2", Messages.askResources(ResourceSet.ALL, "done").append(Message.GEN, "1").append(Message.SEQ, "1f"));
        assertThat(d.ops).isEmpty();
        assertThat(d.logs()).containsExactly("WARN: Ignoring standby message 'done' from n2: it is older than its request.");
        d.clear().from("n2", Messages.askResources(ResourceSet.LOCAL, "done").append(Message.GEN, "1").append(Message.SEQ, "22")).scriptsOk();
        assertThat(d.opTexts()).containsExactly("ip2 status", "ip2 start", "db2 status", "db2 start");
        assertThat(d.logs()).contains("info: standby: acquire [local] resources from n2");
    }

    @Test
    void we_go_standby_release_only_after_the_peers_other_and_say_done() {
        Driver d = stablePair(FailbackMode.OFF);
        d.apply(d.e.operatorStandby(d.now, "local"));
        assertThat(d.sent()).containsExactly("t=ask_resources rsc_hold=local info=me");
        assertThat(d.logs()).containsExactly("info: Going standby [local].", "info: n1 wants to go standby [local]");
        assertThat(d.ops).isEmpty();
        d.clear().from("n2", Messages.askResources(ResourceSet.LOCAL, "other")).scriptsOk();
        assertThat(d.opTexts()).containsExactly("web1 stop", "ip1 stop");
        // the set stays in the report until it is released (docs/ownership.md, difference 11)
        assertThat(d.sent()).containsExactly("t=resource rsc_hold=local rtype=full isstable=0 info=standby", "t=ask_resources rsc_hold=local info=done");
        assertThat(d.logs()).containsSubsequence("info: standby: n2 can take our local resources", "info: give up local HA resources (standby).",
                "info: local HA resource release completed (standby).", "info: Local standby process completed [local].");
        d.clear().from("n2", Messages.askResources(ResourceSet.LOCAL, "done"));
        assertThat(d.logs()).containsExactly("info: Other node completed standby takeover of local resources.");
        assertThat(d.sent()).containsExactly("t=resource rsc_hold=none rtype=full isstable=1");
    }

    @Test
    void no_answer_within_10_s_cancels_the_request() {
        Driver d = stablePair(FailbackMode.OFF);
        long t0 = d.now;
        d.apply(d.e.operatorStandby(t0, "all"));
        d.clear().tickTo(t0 + 9_999);
        assertThat(d.logs()).isEmpty();
        d.tickTo(t0 + 10_000);
        assertThat(d.logs()).containsExactly("WARN: No reply to standby request.  Standby request cancelled.");
        assertThat(d.e.rscStatus()).isEqualTo("local");
    }

    @Test
    void a_second_request_while_one_runs_is_refused_with_the_seconds_left() {
        Driver d = stablePair(FailbackMode.OFF);
        long t0 = d.now;
        d.apply(d.e.operatorStandby(t0, "all"));
        d.clear().at(t0 + 2_500).from("n2", Messages.askResources(ResourceSet.ALL, "me"));
        assertThat(d.logs()).containsExactly("WARN: Standby in progress- new request from n2 ignored [8 seconds left]");
        assertThat(d.sent()).isEmpty();
    }

    @Test
    void requests_are_refused_while_the_other_side_is_in_flux_and_stray_messages_are_reported() {
        Driver d = stablePair(FailbackMode.OFF);
        d.from("n2", Messages.resourceFull(ResourceSet.LOCAL, false, null));
        d.apply(d.e.operatorStandby(d.now, "all"));
        assertThat(d.logs()).contains("WARN: standby message [me] from n1 ignored.  Other side is in flux.");
        d.from("n2", Messages.resourceFull(ResourceSet.LOCAL, true, null));
        d.clear().from("n2", Messages.askResources(ResourceSet.ALL, "done"));
        assertThat(d.logs()).containsExactly("ERROR: Ignored standby message 'done' from n2 in state 0");
    }

    @Test
    void the_peer_dying_mid_handshake_cancels_it_and_we_take_everything() {
        Driver d = stablePair(FailbackMode.OFF);
        d.from("n2", Messages.askResources(ResourceSet.ALL, "me"));
        d.clear().apply(d.e.peerDead(d.now, "n2"));
        assertThat(d.logs()).startsWith("info: Cancelling pending standby operation");
        assertThat(d.sent()).startsWith("t=stonith node=n2 result=n_stnth");
        d.scriptsOk();
        assertThat(d.e.held()).isEqualTo(ResourceSet.ALL);
        assertThat(d.opTexts()).contains("ip2 start", "db2 start");
    }

    @Test
    void hb_takeover_from_the_peer_runs_hb_standby_with_the_mirrored_set() {
        Driver d = stablePair(FailbackMode.OFF);
        d.from("n2", Messages.hbTakeover("local"));
        assertThat(d.sent()).containsExactly("t=ask_resources rsc_hold=foreign info=me");
        assertThat(d.logs()).containsExactly("info: Going standby [foreign].", "info: n1 wants to go standby [foreign]");
        d.clear().apply(d.e.operatorTakeover(d.now + 20_000, "failback"));
        assertThat(d.sent()).containsExactly("t=hb_takeover rsc_hold=failback");
    }

    @Test
    void legacy_mode_has_no_standby() {
        Driver d = new Driver("n1", FailbackMode.LEGACY, StopFailurePolicy.HOLD, G1, G2);
        d.apply(d.e.peerStatus(0, "n2", PeerStatus.ACTIVE));
        d.apply(d.e.commUp(0));
        d.scriptsOk().clear();
        d.apply(d.e.operatorStandby(d.now, "all"));
        assertThat(d.logs()).containsExactly("info: Going standby [all].", "info: Standby mode only implemented when nice_failback on");
    }

    @Test
    void unknown_standby_words_are_refused() {
        Driver d = stablePair(FailbackMode.OFF);
        assertThatThrownBy(() -> d.e.operatorStandby(0, "everything")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hb_standby: wrong resources(everything)");
        assertThatThrownBy(() -> d.e.operatorTakeover(0, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void auto_failback_hands_the_peers_group_back_once_it_is_stable() {
        Driver d = new Driver("n1", FailbackMode.ON, StopFailurePolicy.HOLD, G1, G2);
        d.apply(d.e.peerDead(0, "n2"));
        d.apply(d.e.commUp(0));
        d.scriptsOk().tickTo(15_000);
        assertThat(d.e.rscStatus()).isEqualTo("all");
        d.clear().apply(d.e.peerRestarted(20_000, "n2"));
        d.apply(d.e.peerStatus(20_000, "n2", PeerStatus.ACTIVE));
        d.at(20_000).from("n2", Messages.starting());
        assertThat(d.sent()).containsExactly("t=resource rsc_hold=all rtype=full isstable=1");
        d.from("n2", Messages.resourceFull(ResourceSet.NONE, false, null));
        d.from("n2", Messages.resourceFull(ResourceSet.NONE, true, null));
        assertThat(d.sent()).endsWith("t=ask_resources rsc_hold=foreign info=me");
        d.clear().from("n2", Messages.askResources(ResourceSet.FOREIGN, "other")).scriptsOk();
        assertThat(d.opTexts()).containsExactly("db2 stop", "ip2 stop");
        assertThat(d.sent()).containsExactly("t=resource rsc_hold=all rtype=full isstable=0 info=standby", "t=ask_resources rsc_hold=foreign info=done");
    }
}
