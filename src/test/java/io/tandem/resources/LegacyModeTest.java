package io.tandem.resources;

import io.tandem.config.FailbackMode;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** auto_failback legacy: the ip-request protocol (7.3). */
class LegacyModeTest {
    static final GroupSpec G1 = GroupSpec.of("n1", "ip1", "web1"), G2 = GroupSpec.of("n2", "ip2", "db2");

    @Test
    void at_comm_up_next_to_an_active_peer_each_own_group_is_requested() {
        Driver d = new Driver("n1", FailbackMode.LEGACY, StopFailurePolicy.HOLD, G1, G2);
        d.apply(d.e.peerStatus(0, "n2", PeerStatus.ACTIVE));
        d.apply(d.e.commUp(0));
        d.scriptsOk();
        assertThat(d.sent()).containsExactly("t=ip-request ipaddr=ip1");
        assertThat(d.opTexts()).containsExactly("ip1 status");
        d.clear().from("n2", Messages.ipRequestResp("n1", "ip1", true, "OK")).scriptsOk();
        assertThat(d.logs()).startsWith("info: received ip-request-resp ip1 OK yes");
        assertThat(d.opTexts()).containsExactly("ip1 status", "ip1 start", "web1 status", "web1 start");
    }

    @Test
    void alone_a_node_answers_its_own_request() {
        Driver d = new Driver("n1", FailbackMode.LEGACY, StopFailurePolicy.HOLD, G1, G2);
        d.apply(d.e.commUp(0));
        d.scriptsOk();
        assertThat(d.sent()).containsExactly("t=ip-request-resp dest=n1 ipaddr=ip1 weown=yes ok=OK");
        assertThat(d.opTexts()).contains("web1 start");
    }

    @Test
    void a_request_for_a_group_we_run_releases_it_before_the_go_ahead() {
        Driver d = new Driver("n1", FailbackMode.LEGACY, StopFailurePolicy.HOLD, G1, G2);
        d.apply(d.e.peerDead(0, "n2"));
        d.apply(d.e.commUp(0));
        d.scriptsOk();
        boolean[] running = {true};
        d.clear().from("n2", Messages.ipRequest("ip2"));
        d.scripts(op -> {
            if (op.action() == ResourceOp.Action.STOP) {
                running[0] = false;
                return OpResult.OK;
            }
            return running[0] ? OpResult.RUNNING : OpResult.NOT_RUNNING;
        });
        assertThat(d.opTexts()).containsExactly("ip2 status", "db2 stop", "ip2 stop");
        assertThat(d.sent()).containsExactly("t=ip-request-resp dest=n2 ipaddr=ip2 weown=yes ok=OK");
    }

    @Test
    void a_request_for_a_group_we_do_not_run_is_answered_weown_no() {
        Driver d = new Driver("n1", FailbackMode.LEGACY, StopFailurePolicy.HOLD, G1, G2);
        d.apply(d.e.peerStatus(0, "n2", PeerStatus.ACTIVE));
        d.apply(d.e.commUp(0));
        d.scriptsOk().clear();
        d.from("n2", Messages.ipRequest("ip2")).scriptsOk();
        assertThat(d.sent()).containsExactly("t=ip-request-resp dest=n2 ipaddr=ip2 weown=no ok=OK");
        d.clear().from("n2", Messages.ipRequestResp("n3", "ip1", true, "OK"));
        assertThat(d.ops).isEmpty();
    }
}
