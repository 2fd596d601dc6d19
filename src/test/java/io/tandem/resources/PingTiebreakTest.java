package io.tandem.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.FailbackMode;
import io.tandem.wire.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ping-node tiebreak in the ownership engine, seen from n1 with a scripted peer n2 and one ping
 * node {@code gw}: the takeover gate, its re-check when the ping node answers again, the peer's
 * reachability messages, the hand-over and its hold-off.
 */
class PingTiebreakTest {
    static final GroupSpec G1 = GroupSpec.of("n1", "ip1", "web1"), G2 = GroupSpec.of("n2", "ip2", "db2");
    static final PingTiebreak TIEBREAK = new PingTiebreak(true, List.of("gw"), 1_000, 2_000, 30_000);

    static Driver pair(PingTiebreak tiebreak) {
        Driver d = new Driver(OwnershipConfig.of("n1", List.of("n1", "n2"), FailbackMode.OFF, List.of(G1, G2), 42)
                .withPingTiebreak(tiebreak));
        d.apply(d.e.pingReply(0, "gw"));
        d.apply(d.e.peerStatus(0, "n2", PeerStatus.ACTIVE));
        d.apply(d.e.commUp(0));
        d.from("n2", Messages.resourceFull(ResourceSet.LOCAL, true, null));
        d.scriptsOk();
        assertThat(d.e.rscStatus()).isEqualTo("local");
        return d;
    }

    static Message reach(int n) {
        return Message.ofStrings(Message.TYPE, "tandem-ping", "reach", Integer.toString(n), "of", "1");
    }

    @Test
    void tells_the_peer_what_it_reaches_at_comm_up_and_when_it_changes() {
        Driver d = pair(TIEBREAK);
        assertThat(d.sent()).contains("t=tandem-ping reach=1 of=1");
        d.clear();
        d.apply(d.e.pingLost(5_000, "gw"));
        assertThat(d.sent()).containsExactly("t=tandem-ping reach=0 of=1");
        assertThat(d.logs()).contains("WARN: No ping node reachable (gw dead).");
        d.clear();
        d.apply(d.e.pingReply(5_100, "gw"));
        assertThat(d.sent()).containsExactly("t=tandem-ping reach=1 of=1");
        d.clear();
        d.apply(d.e.pingReply(5_200, "gw"));
        assertThat(d.sent()).as("no change, nothing sent").isEmpty();
    }

    @Test
    void a_node_without_a_fresh_ping_answer_does_not_take_over_and_does_when_one_comes() {
        Driver d = pair(TIEBREAK).clear();
        d.now = 3_000; // the last answer is 3 s old: older than fresh (1 s)
        d.apply(d.e.peerDead(d.now, "n2"));
        assertThat(d.logs()).contains("CRIT: No ping node reachable: not taking over resources of n2.");
        assertThat(d.sent()).noneMatch(s -> s.startsWith("t=stonith"));
        assertThat(d.ops).isEmpty();
        assertThat(d.e.tiebreak().holdingBack()).startsWith("not taking over: no ping node reachable");
        d.scriptsOk();
        assertThat(d.running).containsExactlyInAnyOrder("ip1", "web1");
        d.clear();
        d.apply(d.e.pingReply(d.now = 4_000, "gw"));
        assertThat(d.logs()).contains("info: A ping node is reachable again and n2 is still dead: taking over its resources.");
        assertThat(d.sent()).contains("t=stonith node=n2 result=n_stnth");
        d.scriptsOk();
        assertThat(d.running).contains("ip2", "db2");
        assertThat(d.e.tiebreak().holdingBack()).isNull();
    }

    @Test
    void a_fresh_answer_lets_the_takeover_go_at_once() {
        Driver d = pair(TIEBREAK).clear();
        d.apply(d.e.pingReply(d.now = 3_000, "gw"));
        d.apply(d.e.peerDead(d.now = 3_500, "n2"));
        assertThat(d.sent()).contains("t=stonith node=n2 result=n_stnth");
        d.scriptsOk();
        assertThat(d.running).contains("ip2", "db2");
    }

    @Test
    void a_peer_back_before_a_ping_node_answers_is_not_taken_over() {
        Driver d = pair(TIEBREAK).clear();
        d.apply(d.e.peerDead(d.now = 3_000, "n2"));
        d.apply(d.e.peerStatus(d.now = 3_500, "n2", PeerStatus.ACTIVE));
        assertThat(d.logs()).contains("info: n2 is back: its resources were not taken over here.");
        d.clear();
        d.apply(d.e.pingReply(d.now = 4_000, "gw"));
        assertThat(d.sent()).noneMatch(s -> s.startsWith("t=stonith"));
        assertThat(d.ops).isEmpty();
    }

    @Test
    void without_ping_nodes_or_with_the_tiebreak_off_nothing_is_gated() {
        for (PingTiebreak t : List.of(PingTiebreak.OFF, new PingTiebreak(true, List.of(), 1_000, 2_000, 30_000),
                new PingTiebreak(false, List.of("gw"), 1_000, 2_000, 30_000))) {
            Driver d = pair(t).clear();
            d.apply(d.e.peerDead(d.now = 60_000, "n2"));
            assertThat(d.sent()).as(t.toString()).contains("t=stonith node=n2 result=n_stnth");
            assertThat(d.sent()).noneMatch(s -> s.startsWith("t=tandem-ping"));
        }
    }

    @Test
    void a_blind_owner_hands_over_after_the_loss_hold_when_the_peer_sees() {
        Driver d = pair(TIEBREAK);
        d.from("n2", reach(1)).clear();
        d.apply(d.e.pingLost(d.now = 5_000, "gw"));
        d.tickTo(6_999);
        assertThat(d.sent()).doesNotContain("t=ask_resources rsc_hold=all info=me");
        d.tickTo(7_000);
        assertThat(d.logs()).contains("WARN: No ping node reachable for 2000 ms; n2 reaches 1: giving up resources.",
                "info: Going standby [all].");
        assertThat(d.sent()).containsSubsequence("t=tandem-ping reach=0 of=1 info=handover", "t=ask_resources rsc_hold=all info=me");
    }

    @Test
    void no_hand_over_to_a_peer_that_never_said_or_that_is_blind_too() {
        Driver d = pair(TIEBREAK).clear();
        d.apply(d.e.pingLost(d.now = 5_000, "gw"));
        d.tickTo(60_000);
        assertThat(d.sent()).as("a heartbeat peer never says what it reaches").doesNotContain("t=ask_resources rsc_hold=all info=me");
        d.from("n2", reach(0));
        d.tickTo(120_000);
        assertThat(d.sent()).doesNotContain("t=ask_resources rsc_hold=all info=me");
    }

    @Test
    void unreadable_counts_are_ignored() {
        Driver d = pair(TIEBREAK);
        for (String bad : List.of("", "-1", "x", "12345", "1.5")) {
            d.from("n2", Message.ofStrings(Message.TYPE, "tandem-ping", "reach", bad, "of", "1"));
        }
        assertThat(d.e.tiebreak().peerReachable()).isEqualTo(-1);
        d.from("n2", reach(1));
        assertThat(d.e.tiebreak().peerReachable()).isEqualTo(1);
    }

    @Test
    void a_peers_hand_over_starts_the_hold_off_here() {
        Driver d = pair(TIEBREAK);
        long handOverAt = d.now;
        d.from("n2", reach(0).append(Message.INFO, "handover"));
        d.from("n2", reach(1)).clear();
        d.apply(d.e.pingLost(d.now = 5_000, "gw"));
        d.tickTo(handOverAt + TIEBREAK.holdOffMs() - 1);
        assertThat(d.sent()).as("within the hold-off of n2's hand-over").doesNotContain("t=ask_resources rsc_hold=all info=me");
        d.tickTo(handOverAt + TIEBREAK.holdOffMs());
        assertThat(d.sent()).contains("t=ask_resources rsc_hold=all info=me");
    }

    @Test
    void no_failback_to_a_blind_peer() {
        Driver d = new Driver(OwnershipConfig.of("n1", List.of("n1", "n2"), FailbackMode.ON, List.of(G1, G2), 42)
                .withPingTiebreak(TIEBREAK));
        d.apply(d.e.pingReply(0, "gw"));
        d.apply(d.e.peerStatus(0, "n2", PeerStatus.ACTIVE));
        d.apply(d.e.commUp(0));
        d.from("n2", Messages.resourceFull(ResourceSet.LOCAL, true, null));
        d.scriptsOk();
        d.apply(d.e.peerDead(d.now = 500, "n2"));
        d.scriptsOk();
        assertThat(d.running).contains("ip2", "db2");
        // n2 comes back and says it reaches no ping node: its group stays here
        d.apply(d.e.peerStatus(d.now += 1000, "n2", PeerStatus.ACTIVE));
        d.from("n2", reach(0));
        d.from("n2", Messages.starting());
        d.from("n2", Messages.resourceFull(ResourceSet.NONE, true, null));
        d.clear();
        long until = d.now + 20_000;
        for (long t = d.now; t < until; t += 500) {
            d.apply(d.e.pingReply(t, "gw"));
            d.tickTo(t);
        }
        assertThat(d.sent()).doesNotContain("t=ask_resources rsc_hold=foreign info=me");
        assertThat(d.logs()).contains("debug: Auto failback delayed.");
        d.from("n2", reach(1));
        d.tickTo(d.now + 2_000);
        assertThat(d.sent()).contains("t=ask_resources rsc_hold=foreign info=me");
    }
}
