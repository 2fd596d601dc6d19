package io.tandem.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.FailbackMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Healing's release of a group two nodes run at once (docs/split-brain.md): the node that is not the
 * home node gives up the group's address first — the other holder serves it already — says at once
 * that it no longer claims it, so the keeper announces the address, and only then stops the rest.
 * Every other release keeps heartbeat's order (right to left).
 */
class HealingEngineTest {
    static final String IP = AddressGuardEngineTest.IP;
    static final GroupSpec WEB = AddressGuardEngineTest.WEB;

    /** n2 alone took n1's group (n1 dead at initdead) and runs it; n1 is heard again. */
    static Driver takenOverByN2() {
        Driver d = AddressGuardEngineTest.alone("n2");
        d.scriptsOk();
        assertThat(d.running).containsExactlyInAnyOrder(IP, "apache2");
        assertThat(d.e.held()).isEqualTo(ResourceSet.ALL);
        d.apply(d.e.peerStatus(d.now, "n1", PeerStatus.ACTIVE));
        return d.clear();
    }

    @Test
    void the_node_that_is_not_the_home_node_gives_up_the_address_first_and_says_so_before_it_stops_the_rest() {
        Driver d = takenOverByN2();
        // n1, the home node, says it holds its group: both claim it
        d.from("n1", Messages.resourceFull(ResourceSet.LOCAL, true, null));
        assertThat(d.logs()).contains("CRIT: Releasing [foreign] on this node: the peer claims them too; their home node keeps them,"
                + " giving up the address first.");
        // the address stop is asked first; nothing else yet
        assertThat(d.opTexts()).containsExactly(IP + " stop");
        assertThat(d.sent()).noneMatch(s -> s.startsWith("t=resource rsc_hold=local"));
        ResourceOp ipStop = d.e.pendingOp().orElseThrow();
        d.clear();
        d.now += 100;
        d.apply(d.e.opDone(d.now, ipStop, d.resources.answer(ipStop)));
        // the claim is withdrawn (not stable yet) before apache2 stops, so the keeper can announce now
        assertThat(d.sent()).containsExactly("t=resource rsc_hold=local rtype=full isstable=0");
        assertThat(d.opTexts()).containsExactly("apache2 stop");
        assertThat(d.running).containsExactly("apache2");
        d.scriptsOk();
        assertThat(d.running).isEmpty();
        assertThat(d.logs()).contains("info: Released [foreign]: this node holds [local].");
        assertThat(d.sent()).last().isEqualTo("t=resource rsc_hold=local rtype=full isstable=1");
        assertThat(d.e.held()).isEqualTo(ResourceSet.LOCAL);
    }

    @Test
    void an_address_conflict_releases_the_address_first_too() {
        Driver d = AddressGuardEngineTest.alone("n2");
        d.scriptsOk();
        d.clear().apply(d.e.addressConflict(d.now, IP, "192.0.2.1", AddressGuardEngineTest.MAC));
        d.scriptsOk();
        assertThat(d.opTexts()).containsExactly(IP + " stop", "apache2 stop");
        assertThat(d.running).isEmpty();
    }

    @Test
    void a_stop_failure_of_the_address_keeps_the_group_and_withdraws_no_claim() {
        Driver d = takenOverByN2();
        d.from("n1", Messages.resourceFull(ResourceSet.LOCAL, true, null));
        // the address will not stop (its status says it runs): answered until the stop failure is declared
        for (int i = 0; i < 100 && d.logs().stream().noneMatch(l -> l.contains("Resource STOP failure")); i++) {
            if (d.e.pendingOp().isEmpty()) {
                d.tickTo(d.e.nextDeadline().orElseThrow());
                continue;
            }
            ResourceOp op = d.e.pendingOp().get();
            d.now += 100;
            d.apply(d.e.opDone(d.now, op, op.action() == ResourceOp.Action.STOP ? OpResult.FAILED : d.resources.answer(op)));
        }
        assertThat(d.logs()).anyMatch(l -> l.contains("Resource STOP failure: " + IP + " still running"));
        assertThat(d.opTexts()).doesNotContain("apache2 stop");
        assertThat(d.sent()).noneMatch(s -> s.startsWith("t=resource rsc_hold=local rtype=full isstable=0"));
        // the group is started again here (it keeps it, as after any stop failure)
        assertThat(d.logs()).last().isEqualTo("info: Acquiring resource group: " + WEB.line());
    }

    @Test
    void the_keeper_announces_its_address_once_the_peer_has_withdrawn_its_claim() {
        Driver d = AddressGuardEngineTest.alone("n1");
        d.scriptsOk();
        d.apply(d.e.peerStatus(d.now, "n2", PeerStatus.ACTIVE));
        d.clear().from("n2", Messages.resourceFull(ResourceSet.FOREIGN, true, null));
        assertThat(d.effects).noneMatch(f -> f instanceof Effect.Announce);
        assertThat(d.logs()).noneMatch(l -> l.contains("Releasing ["));
        // n2's report once its address is down: it no longer claims the group (the rest still stopping)
        d.clear().from("n2", Messages.resourceFull(ResourceSet.NONE, false, null));
        assertThat(d.effects).contains(new Effect.Announce(IP));
        assertThat(d.running).containsExactlyInAnyOrder(IP, "apache2");
    }

    @Test
    void the_home_node_announces_its_address_also_when_the_peer_claimed_all_and_it_releases_the_peers_part() {
        Driver d = AddressGuardEngineTest.alone("n1");
        d.scriptsOk();
        d.apply(d.e.peerStatus(d.now, "n2", PeerStatus.ACTIVE));
        // n2 took everything while it could not hear n1 (a cut of all links): it claims "all"
        d.clear().from("n2", Messages.resourceFull(ResourceSet.ALL, true, null));
        d.scriptsOk();
        assertThat(d.effects).noneMatch(f -> f instanceof Effect.Announce);
        assertThat(d.running).containsExactlyInAnyOrder(IP, "apache2");
        // n2 released n1's group (address first): it claims only its own part now
        d.clear().from("n2", Messages.resourceFull(ResourceSet.LOCAL, false, null));
        d.scriptsOk();
        assertThat(d.effects).contains(new Effect.Announce(IP));
        assertThat(d.running).containsExactlyInAnyOrder(IP, "apache2");
    }

    @Test
    void a_graceful_shutdown_keeps_heartbeats_order() {
        Driver d = new Driver("n1", FailbackMode.OFF, StopFailurePolicy.HOLD, WEB);
        d.apply(d.e.peerStatus(0, "n2", PeerStatus.ACTIVE));
        d.apply(d.e.commUp(0));
        d.from("n2", Messages.resourceFull(ResourceSet.NONE, true, null));
        d.scriptsOk();
        assertThat(d.running).containsExactlyInAnyOrder(IP, "apache2");
        d.clear().apply(d.e.shutdownRequested(d.now));
        d.scriptsOk();
        assertThat(d.opTexts()).containsExactly("apache2 stop", IP + " stop");
        assertThat(List.copyOf(d.running)).isEmpty();
    }

    @Test
    void a_group_without_an_address_is_released_right_to_left() {
        GroupSpec g = GroupSpec.of("n1", "drbd", "apache2");
        Driver d = new Driver("n2", FailbackMode.OFF, StopFailurePolicy.HOLD, g);
        d.apply(d.e.peerDead(0, "n1"));
        d.apply(d.e.commUp(0));
        d.scriptsOk();
        d.apply(d.e.peerStatus(d.now, "n1", PeerStatus.ACTIVE));
        d.clear().from("n1", Messages.resourceFull(ResourceSet.LOCAL, true, null));
        d.scriptsOk();
        assertThat(d.opTexts()).containsExactly("apache2 stop", "drbd stop");
        assertThat(d.sent()).noneMatch(s -> s.contains("isstable=0"));
    }
}
