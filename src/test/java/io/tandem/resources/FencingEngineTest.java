package io.tandem.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.FailbackMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** STONITH before a takeover: the engine asks for a fence and takes nothing of a dead node until it succeeded. */
class FencingEngineTest {
    static final GroupSpec G1 = GroupSpec.of("n1", "ip1", "web1");
    static final GroupSpec G2 = GroupSpec.of("n2", "ip2", "db2");
    static final FencingPolicy PDU = FencingPolicy.stonith("external/pdu", false);

    static Driver driver(String local, FencingPolicy policy) {
        return driver(local, policy, FailbackMode.OFF);
    }

    static Driver driver(String local, FencingPolicy policy, FailbackMode mode) {
        return new Driver(OwnershipConfig.of(local, List.of("n1", "n2"), mode, List.of(G1, G2), 42).withFencing(policy));
    }

    /** n2 never shows up: declared dead at initdead, comm up. */
    static Driver alone(String local, FencingPolicy policy) {
        Driver d = driver(local, policy);
        String peer = local.equals("n1") ? "n2" : "n1";
        d.apply(d.e.peerDead(0, peer));
        d.apply(d.e.commUp(0));
        return d;
    }

    static List<Effect.Fence> fences(Driver d) {
        return d.effects.stream().filter(f -> f instanceof Effect.Fence).map(f -> (Effect.Fence) f).toList();
    }

    @Test
    void the_home_node_fences_at_once_and_takes_nothing_until_the_fence_succeeded() {
        Driver d = alone("n1", PDU);
        d.scriptsOk().tickTo(60_000);
        assertThat(fences(d)).containsExactly(new Effect.Fence("n2"));
        assertThat(d.ops).isEmpty();
        assertThat(d.running).isEmpty();
        assertThat(d.logs()).contains("info: Resetting node n2 with [external/pdu]").doesNotContain("WARN: No STONITH device configured.");
        assertThat(d.e.fencing()).singleElement().satisfies(f -> {
            assertThat(f.running()).isTrue();
            assertThat(f.text()).isEqualTo("fencing n2");
        });
        d.clear().apply(d.e.fenceDone(d.now, "n2", true, ""));
        d.scriptsOk();
        assertThat(d.sent()).contains("t=stonith node=n2 result=OK");
        assertThat(d.logs()).contains("info: node n2 now reset.", "info: Resources being acquired from n2.");
        assertThat(d.running).containsExactlyInAnyOrder("ip1", "web1", "ip2", "db2");
        assertThat(d.e.fencing()).isEmpty();
    }

    @Test
    void in_legacy_mode_our_own_groups_wait_for_the_fence_too() {
        Driver d = driver("n1", PDU, FailbackMode.LEGACY);
        d.apply(d.e.peerDead(0, "n2"));
        d.apply(d.e.commUp(0));
        d.scriptsOk().tickTo(60_000);
        assertThat(d.logs()).contains("info: Local resource acquisition waits until n2 is fenced.");
        assertThat(d.ops).isEmpty();
        d.apply(d.e.fenceDone(d.now, "n2", true, ""));
        d.scriptsOk();
        assertThat(d.running).containsExactlyInAnyOrder("ip1", "web1", "ip2", "db2");
    }

    @Test
    void a_failed_fence_is_retried_with_back_off_and_nothing_is_taken_over() {
        Driver d = alone("n1", PDU);
        long[] gaps = {5_000, 10_000, 20_000, 40_000, 60_000, 60_000};
        for (long gap : gaps) {
            d.clear().apply(d.e.fenceDone(d.now, "n2", false, "PDU did not answer"));
            assertThat(d.logs()).contains("ERROR: Host n2 not reset!", "CRIT: STONITH of n2 failed: PDU did not answer; not taking over"
                    + " its resource groups. Retrying in " + gap / 1000 + " s...");
            assertThat(d.sent()).contains("t=stonith node=n2 result=bad");
            long failedAt = d.now;
            d.tickTo(failedAt + gap - 1);
            assertThat(fences(d)).isEmpty();
            assertThat(d.e.fencing()).singleElement().satisfies(f -> assertThat(f.text()).isEqualTo("fencing n2 failed: PDU did not answer"));
            d.tickTo(failedAt + gap);
            assertThat(fences(d)).containsExactly(new Effect.Fence("n2"));
        }
        d.scriptsOk();
        assertThat(d.ops).isEmpty();
        assertThat(d.e.fencing()).singleElement().satisfies(f -> assertThat(f.failures()).isEqualTo(gaps.length));
    }

    @Test
    void a_peer_heard_again_while_fencing_is_not_fenced_and_nothing_of_it_is_taken() {
        Driver d = alone("n1", PDU);
        d.apply(d.e.fenceDone(d.now, "n2", false, "no route"));
        d.clear().apply(d.e.peerStatus(d.now + 1_000, "n2", PeerStatus.ACTIVE));
        d.now += 1_000;
        assertThat(d.logs()).contains("info: Node n2 is alive again: fencing it stopped, its resource groups not taken over.");
        assertThat(d.e.fencing()).isEmpty();
        d.tickTo(d.now + 120_000);
        assertThat(fences(d)).isEmpty();
        // a result that arrives late changes nothing
        d.apply(d.e.fenceDone(d.now, "n2", true, ""));
        d.scriptsOk();
        assertThat(d.logs()).contains("info: STONITH result for n2 ignored: reset, but it is no longer being fenced");
        assertThat(d.running).doesNotContain("ip2", "db2");
    }

    @Test
    void a_node_without_precedence_waits_before_it_fences_so_the_home_node_wins_a_race() {
        Driver d = alone("n2", PDU);
        assertThat(d.logs()).contains("info: Waiting 10 s before fencing n1: n1 (home of ip1) fences first");
        d.tickTo(FencingPolicy.RACE_DELAY_MS - 1);
        assertThat(fences(d)).isEmpty();
        d.tickTo(FencingPolicy.RACE_DELAY_MS);
        assertThat(fences(d)).containsExactly(new Effect.Fence("n1"));
    }

    @Test
    void without_groups_the_first_node_of_ha_cf_has_precedence() {
        for (String local : List.of("n1", "n2")) {
            Driver d = new Driver(OwnershipConfig.of(local, List.of("n1", "n2"), FailbackMode.OFF, List.of(), 42).withFencing(PDU));
            d.apply(d.e.peerDead(0, local.equals("n1") ? "n2" : "n1"));
            assertThat(fences(d)).as(local).hasSize(local.equals("n1") ? 1 : 0);
        }
    }

    @Test
    void stonith_failure_takeover_goes_on_after_a_failure_and_says_it_is_unsafe() {
        Driver d = alone("n1", FencingPolicy.stonith("external/pdu", true));
        d.clear().apply(d.e.fenceDone(d.now, "n2", false, "exit 1"));
        d.scriptsOk();
        assertThat(d.logs()).anyMatch(l -> l.startsWith("CRIT: STONITH of n2 failed: exit 1; taking over its resource groups anyway"));
        assertThat(d.running).containsExactlyInAnyOrder("ip1", "web1", "ip2", "db2");
    }

    @Test
    void without_a_device_the_takeover_is_heartbeats_unfenced_one() {
        Driver d = alone("n1", FencingPolicy.NONE);
        d.scriptsOk();
        assertThat(fences(d)).isEmpty();
        assertThat(d.sent()).contains("t=stonith node=n2 result=n_stnth");
        assertThat(d.logs()).contains("WARN: No STONITH device configured.", "WARN: Shared disks are not protected.");
        assertThat(d.running).containsExactlyInAnyOrder("ip1", "web1", "ip2", "db2");
    }

    @Test
    void a_shutdown_cancels_the_fencing() {
        Driver d = alone("n1", PDU);
        d.clear().apply(d.e.shutdownRequested(d.now));
        assertThat(d.logs()).contains("info: Fencing of n2 cancelled - shutdown in progress.");
        assertThat(d.e.fencing()).isEmpty();
        d.apply(d.e.fenceDone(d.now, "n2", true, ""));
        d.scriptsOk();
        assertThat(d.running).isEmpty();
    }
}
