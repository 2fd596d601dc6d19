package io.tandem.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.FailbackMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The periodic status check of the fence device ({@link DeviceCheck}), the configurable fence delay and
 * the reload of tandem.cf's fencing and tiebreak settings, in the engine.
 */
class FenceDeviceCheckTest {
    static final FencingPolicy PDU = FencingPolicy.stonith("external/pdu", false).withCheckInterval(30_000);

    static Driver node(FencingPolicy policy) {
        Driver d = FencingEngineTest.driver("n1", policy);
        d.apply(d.e.peerStatus(0, "n2", PeerStatus.ACTIVE));
        return d;
    }

    static List<Effect.CheckDevice> checks(Driver d) {
        return d.effects.stream().filter(f -> f instanceof Effect.CheckDevice).map(f -> (Effect.CheckDevice) f).toList();
    }

    static long errors(Driver d) {
        return d.logs().stream().filter(l -> l.startsWith("ERROR: Fencing device external/pdu: status failed")).count();
    }

    @Test
    void the_first_check_comes_at_the_first_event_and_the_next_an_interval_after_each_answer() {
        Driver d = node(PDU);
        assertThat(checks(d)).containsExactly(new Effect.CheckDevice("external/pdu"));
        assertThat(d.e.fenceDevice()).get().satisfies(s -> assertThat(s.text()).isEqualTo("fencing device external/pdu: status not checked yet"));
        d.tickTo(120_000);
        assertThat(checks(d)).as("no second check while one runs").hasSize(1);
        d.apply(d.e.deviceChecked(d.now, "external/pdu", true, ""));
        assertThat(d.logs()).contains("info: Fencing device external/pdu: status OK.");
        d.tickTo(d.now + 29_999);
        assertThat(checks(d)).hasSize(1);
        d.tickTo(d.now + 1);
        assertThat(checks(d)).hasSize(2);
        assertThat(d.e.fenceDevice()).get().satisfies(s -> {
            assertThat(s.health()).isEqualTo("ok");
            assertThat(s.text()).isEqualTo("fencing device external/pdu: status OK");
        });
    }

    @Test
    void a_failing_device_is_logged_once_shown_until_it_recovers_and_its_recovery_is_logged() {
        Driver d = node(PDU);
        for (int i = 0; i < 5; i++) {
            d.apply(d.e.deviceChecked(d.now, "external/pdu", false, "stonith -t external/pdu -S exited with status 1: relay stuck"));
            assertThat(d.e.fenceDevice()).get().satisfies(s -> {
                assertThat(s.failed()).isTrue();
                assertThat(s.text()).isEqualTo("fencing device external/pdu: status failed: stonith -t external/pdu -S exited with"
                        + " status 1: relay stuck");
            });
            d.tickTo(d.now + 30_000);
        }
        assertThat(checks(d)).hasSize(6);
        assertThat(errors(d)).as("logged when it started failing, not at every check").isEqualTo(1);
        assertThat(d.logs()).anyMatch(l -> l.equals("ERROR: Fencing device external/pdu: status failed: stonith -t external/pdu -S"
                + " exited with status 1: relay stuck. A dead peer may not be fenced (and then not taken over) until it works;"
                + " checked again every 30 s, logged again when it recovers."));
        d.apply(d.e.deviceChecked(d.now, "external/pdu", true, ""));
        assertThat(d.logs()).contains("info: Fencing device external/pdu: status OK again (it failed for 150 s).");
        assertThat(d.e.fenceDevice()).get().satisfies(s -> assertThat(s.failed()).isFalse());
        d.tickTo(d.now + 30_000);
        d.apply(d.e.deviceChecked(d.now, "external/pdu", false, ""));
        assertThat(errors(d)).as("a new failure is logged again").isEqualTo(2);
        assertThat(d.e.fenceDevice()).get().satisfies(s -> assertThat(s.reason()).isEqualTo("the stonith status command failed"));
    }

    @Test
    void an_answer_nobody_asked_for_is_ignored() {
        Driver d = node(PDU);
        d.apply(d.e.deviceChecked(d.now, "external/pdu", true, ""));
        d.apply(d.e.deviceChecked(d.now, "external/pdu", false, "late"));
        assertThat(d.e.fenceDevice()).get().satisfies(s -> assertThat(s.health()).isEqualTo("ok"));
        assertThat(d.logs()).contains("debug: Status of fencing device external/pdu ignored: no check of it was running.");
    }

    @Test
    void interval_0_or_no_device_means_no_check() {
        Driver off = node(PDU.withCheckInterval(0));
        off.tickTo(600_000);
        assertThat(checks(off)).isEmpty();
        assertThat(off.e.fenceDevice()).isEmpty();
        Driver none = node(FencingPolicy.NONE);
        none.tickTo(600_000);
        assertThat(checks(none)).isEmpty();
    }

    @Test
    void a_shutdown_stops_the_checks() {
        Driver d = node(PDU);
        d.apply(d.e.deviceChecked(d.now, "external/pdu", true, ""));
        d.apply(d.e.shutdownRequested(d.now));
        d.scriptsOk().tickTo(d.now + 300_000);
        assertThat(checks(d)).hasSize(1);
    }

    @Test
    void a_reload_changes_the_interval_turns_checking_off_and_on() {
        Driver d = node(PDU);
        d.apply(d.e.deviceChecked(d.now = 1_000, "external/pdu", false, "down"));
        d.apply(d.e.reconfigure(d.now = 2_000, PDU.withCheckInterval(5_000), PingTiebreak.OFF));
        d.tickTo(5_999);
        assertThat(checks(d)).hasSize(1);
        d.tickTo(6_000);
        assertThat(checks(d)).as("5 s after the last answer").hasSize(2);
        d.apply(d.e.reconfigure(d.now = 7_000, PDU.withCheckInterval(0), PingTiebreak.OFF));
        assertThat(d.logs()).contains("info: Fencing device external/pdu: status no longer checked.");
        assertThat(d.e.fenceDevice()).isEmpty();
        d.apply(d.e.deviceChecked(d.now, "external/pdu", false, "down"));
        assertThat(d.e.fenceDevice()).as("the answer of the check that ran is dropped").isEmpty();
        d.tickTo(600_000);
        assertThat(checks(d)).hasSize(2);
        d.apply(d.e.reconfigure(d.now = 600_000, PDU, PingTiebreak.OFF));
        assertThat(checks(d)).as("turned on again: checked at once").hasSize(3);
        assertThat(d.e.fencingPolicy()).isEqualTo(PDU);
    }

    @Test
    void the_fence_delay_is_configurable_and_0_fences_at_once() {
        Driver wait3 = FencingEngineTest.alone("n2", PDU.withRaceDelay(3_000));
        assertThat(wait3.logs()).contains("info: Waiting 3 s before fencing n1: n1 (home of ip1) fences first");
        wait3.tickTo(2_999);
        assertThat(FencingEngineTest.fences(wait3)).isEmpty();
        wait3.tickTo(3_000);
        assertThat(FencingEngineTest.fences(wait3)).containsExactly(new Effect.Fence("n1"));

        Driver now = FencingEngineTest.alone("n2", PDU.withRaceDelay(0));
        assertThat(FencingEngineTest.fences(now)).as("fence_delay 0: at once, even without precedence").containsExactly(new Effect.Fence("n1"));
        assertThat(now.logs()).noneMatch(l -> l.contains("Waiting"));
    }

    @Test
    void a_reloaded_fence_delay_and_failure_takeover_apply_to_what_comes_next() {
        Driver d = FencingEngineTest.driver("n2", PDU);
        d.apply(d.e.reconfigure(0, PDU.withRaceDelay(1_000).withTakeoverOnFailure(true), PingTiebreak.OFF));
        d.apply(d.e.peerDead(0, "n1"));
        d.apply(d.e.commUp(0));
        assertThat(d.logs()).contains("info: Waiting 1 s before fencing n1: n1 (home of ip1) fences first");
        d.tickTo(1_000);
        assertThat(FencingEngineTest.fences(d)).containsExactly(new Effect.Fence("n1"));
        d.clear().apply(d.e.fenceDone(d.now, "n1", false, "exit 1"));
        d.scriptsOk();
        assertThat(d.logs()).anyMatch(l -> l.startsWith("CRIT: STONITH of n1 failed: exit 1; taking over its resource groups anyway"));
        assertThat(d.running).contains("ip1", "web1");
    }

    @Test
    void a_reload_that_turns_the_tiebreak_off_lets_a_held_back_takeover_go_on() {
        PingTiebreak on = PingTiebreakTest.TIEBREAK;
        Driver d = PingTiebreakTest.pair(on).clear();
        d.apply(d.e.peerDead(d.now = 3_000, "n2"));
        assertThat(d.logs()).contains("CRIT: No ping node reachable: not taking over resources of n2.");
        d.scriptsOk().clear();
        d.apply(d.e.reconfigure(d.now = 4_000, FencingPolicy.NONE, new PingTiebreak(false, on.pingNodes(), on.freshMs(),
                on.lossHoldMs(), on.holdOffMs())));
        assertThat(d.logs()).contains("info: Ping-node tiebreak off (reload).",
                "info: The ping-node tiebreak is off and n2 is still dead: taking over its resources.");
        d.scriptsOk();
        assertThat(d.running).contains("ip2", "db2");
        assertThat(d.e.tiebreak().active()).isFalse();
        // and on again: the peer is told our count at once
        d.clear().apply(d.e.reconfigure(d.now = 5_000, FencingPolicy.NONE, on));
        assertThat(d.logs()).contains("info: Ping-node tiebreak on (reload).");
        assertThat(d.e.tiebreak().active()).isTrue();
    }
}
