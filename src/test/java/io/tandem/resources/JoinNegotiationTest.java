package io.tandem.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.FailbackMode;
import org.junit.jupiter.api.Test;

/**
 * A peer joins while this node waits out its RQSTDELAY after coming up alone (issue 19, docs/ownership.md
 * difference 14): the join settles at the peer's {@code starting} when this node already holds its own groups
 * and nothing moves; otherwise heartbeat's 10 s rule stands.
 */
class JoinNegotiationTest {
    static final GroupSpec G1 = GroupSpec.of("n1", "ip1", "web1"), G2 = GroupSpec.of("n2", "ip2", "db2");

    /**
     * n1 came up alone: initdead declared n2 dead, n1 took everything and waits in RSCRCVD; or, without
     * {@code finishScripts}, it is still acquiring (the first start is in flight).
     */
    static Driver alone(FailbackMode mode, boolean finishScripts) {
        Driver d = new Driver("n1", mode, StopFailurePolicy.HOLD, G1, G2);
        d.apply(d.e.peerDead(0, "n2"));
        d.apply(d.e.commUp(0));
        if (finishScripts) {
            d.scriptsOk();
        } else {
            // mach_down (n2's group) and req_our_resources are done, n1's own group is starting
            while (d.e.pendingOp().isPresent() && !(d.e.pendingOp().get().action() == ResourceOp.Action.START
                    && d.e.pendingOp().get().resource().equals("ip1"))) {
                ResourceOp op = d.e.pendingOp().get();
                d.now += 100;
                d.apply(d.e.opDone(d.now, op, d.resources.answer(op)));
            }
            assertThat(d.e.pendingOp()).as("ip1's start in flight").isPresent();
            assertThat(d.e.rscStatus()).isEqualTo("transition");
        }
        d.at(3_000);
        d.apply(d.e.peerStatus(d.now, "n2", PeerStatus.ACTIVE));
        return d;
    }

    @Test
    void a_peer_that_joins_during_rqstdelay_gets_a_stable_answer_and_a_stop_then_starts_at_once() {
        Driver d = alone(FailbackMode.OFF, true);
        assertThat(d.e.held()).isEqualTo(ResourceSet.ALL);
        assertThat(d.e.rscStatus()).as("RSCRCVD until RQSTDELAY").isEqualTo("transition");
        d.clear().from("n2", Messages.starting());
        assertThat(d.logs()).contains("info: local resource transition completed (n2 joined; this node holds its resources and nothing is moving).");
        assertThat(d.sent()).containsExactly("t=resource rsc_hold=all rtype=full isstable=1");
        assertThat(d.e.rscStatus()).as("n2 not yet reported stable").isEqualTo("transition");
        d.clear().from("n2", Messages.resourceFull(ResourceSet.NONE, true, null));
        assertThat(d.e.rscStatus()).isEqualTo("all");
        d.clear().apply(d.e.shutdownRequested(d.now));
        assertThat(d.logs()).noneMatch(l -> l.contains("Shutdown delayed"));
        assertThat(d.sent()).first().isEqualTo("t=resource rsc_hold=all rtype=full isstable=0 info=shutdown");
        // RQSTDELAY's end changes nothing now
        d.clear().tickTo(13_000);
        assertThat(d.logs()).noneMatch(l -> l.contains("local resource transition completed"));
    }

    @Test
    void what_has_to_move_at_the_join_moves_as_soon_as_the_peer_is_stable() {
        Driver d = alone(FailbackMode.ON, true);
        d.clear().from("n2", Messages.starting());
        assertThat(d.sent()).containsExactly("t=resource rsc_hold=all rtype=full isstable=1");
        d.clear().from("n2", Messages.resourceFull(ResourceSet.NONE, true, null));
        // auto_failback: n2's group goes home through the standby handshake, at once
        assertThat(d.sent()).contains("t=ask_resources rsc_hold=foreign info=me");
    }

    @Test
    void a_peer_that_joins_while_this_node_still_acquires_gets_a_stable_report_once_it_is_done() {
        Driver d = alone(FailbackMode.OFF, false);
        d.clear().from("n2", Messages.starting());
        assertThat(d.logs()).noneMatch(l -> l.contains("joined"));
        assertThat(d.sent()).containsExactly("t=resource rsc_hold=all rtype=full isstable=0");
        d.from("n2", Messages.resourceFull(ResourceSet.NONE, false, null));
        d.clear().scriptsOk();
        assertThat(d.running).contains("ip1", "web1", "ip2", "db2");
        assertThat(d.logs()).contains("info: local resource transition completed (n2 joined; this node holds its resources and nothing is moving).");
        assertThat(d.sent()).last().isEqualTo("t=resource rsc_hold=all rtype=full isstable=1");
        d.clear().from("n2", Messages.resourceFull(ResourceSet.NONE, true, null));
        assertThat(d.e.rscStatus()).isEqualTo("all");
    }

    @Test
    void without_a_peer_the_node_alone_still_waits_for_rqstdelay_as_in_heartbeat() {
        Driver d = new Driver("n1", FailbackMode.OFF, StopFailurePolicy.HOLD, G1, G2);
        d.apply(d.e.peerDead(0, "n2"));
        d.apply(d.e.commUp(0));
        d.scriptsOk();
        assertThat(d.e.rscStatus()).isEqualTo("transition");
        d.clear().tickTo(9_000);
        assertThat(d.logs()).noneMatch(l -> l.contains("transition completed"));
        d.tickTo(10_500);
        assertThat(d.logs()).contains("info: local resource transition completed.");
        assertThat(d.e.rscStatus()).isEqualTo("all");
    }
}
