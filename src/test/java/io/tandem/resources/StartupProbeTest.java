package io.tandem.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.FailbackMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The start-up probe ({@link StartupProbe}): a node restarted after its daemon was killed finds what
 * still runs before it joins, keeps what the negotiation gives it and stops the rest.
 */
class StartupProbeTest {
    static final String VIP = "IPaddr::192.0.2.1/24/eth0";
    static final GroupSpec WEB = GroupSpec.of("n1", VIP, "apache2");

    private static Driver node1(FailbackMode mode, String... running) {
        Driver d = new Driver("n1", mode, StopFailurePolicy.HOLD, WEB);
        d.running.addAll(List.of(running));
        return d;
    }

    @Test
    void the_node_asks_every_status_before_it_says_starting() {
        Driver d = node1(FailbackMode.OFF, VIP, "apache2");
        d.apply(d.e.start(0));
        assertThat(d.e.probing()).isTrue();
        d.apply(d.e.peerStatus(10, "n2", PeerStatus.ACTIVE));
        d.apply(d.e.commUp(10));
        assertThat(d.sent()).as("nothing is announced while the probe runs").isEmpty();
        d.scriptsOk();
        assertThat(d.opTexts()).containsExactly(VIP + " status", "apache2 status");
        assertThat(d.sent()).containsExactly("t=starting");
        assertThat(d.logs()).contains("WARN: Resource group " + VIP + " found running at start: " + VIP + " apache2");
        assertThat(d.e.groupStates().get(VIP)).isEqualTo(GroupState.FOUND_RUNNING);
        assertThat(GroupState.FOUND_RUNNING.text()).isEqualTo("running (found at start)");
    }

    @Test
    void a_peer_that_holds_the_group_makes_the_restarted_node_stop_its_copy_right_to_left() {
        Driver d = node1(FailbackMode.OFF, VIP, "apache2");
        d.apply(d.e.start(0));
        d.apply(d.e.peerStatus(10, "n2", PeerStatus.ACTIVE));
        d.apply(d.e.commUp(10));
        d.scriptsOk().clear();
        d.from("n2", Messages.resourceFull(ResourceSet.ALL, true, null)).scriptsOk();
        assertThat(d.opTexts()).containsExactly("apache2 stop", VIP + " stop");
        assertThat(d.running).isEmpty();
        assertThat(d.e.held()).isEqualTo(ResourceSet.NONE);
        assertThat(d.e.groupStates().get(VIP)).isEqualTo(GroupState.STOPPED);
        assertThat(d.logs()).contains("WARN: Resource group " + VIP + " found running at start: stopping it, this node does not hold it (n2 does).");
    }

    @Test
    void a_node_alone_keeps_what_it_finds_without_starting_it_again() {
        Driver d = node1(FailbackMode.OFF, VIP, "apache2");
        d.apply(d.e.start(0));
        d.apply(d.e.peerDead(100, "n2"));
        d.apply(d.e.commUp(100));
        d.scriptsOk();
        assertThat(d.opTexts()).doesNotContain(VIP + " start", "apache2 start", VIP + " stop", "apache2 stop");
        assertThat(d.e.held()).isEqualTo(ResourceSet.ALL);
        assertThat(d.e.groupStates().get(VIP)).isEqualTo(GroupState.RUNNING);
        assertThat(d.running).containsExactlyInAnyOrder(VIP, "apache2");
    }

    @Test
    void a_group_found_partly_running_and_kept_gets_its_missing_part_started() {
        Driver d = node1(FailbackMode.OFF, VIP);
        d.apply(d.e.start(0));
        d.apply(d.e.peerDead(100, "n2"));
        d.apply(d.e.commUp(100));
        d.scriptsOk();
        assertThat(d.logs()).contains("WARN: Resource group " + VIP + " found running at start (partly): " + VIP);
        assertThat(d.opTexts()).contains("apache2 start").doesNotContain(VIP + " start");
        assertThat(d.running).containsExactlyInAnyOrder(VIP, "apache2");
        assertThat(d.e.groupStates().get(VIP)).isEqualTo(GroupState.RUNNING);
    }

    @Test
    void an_unknown_status_counts_as_running_and_is_stopped_when_the_peer_holds_the_group() {
        Driver d = node1(FailbackMode.OFF);
        d.resources.hanging.add("apache2");
        d.apply(d.e.start(0));
        d.apply(d.e.peerStatus(10, "n2", PeerStatus.ACTIVE));
        d.apply(d.e.commUp(10));
        d.scriptsOk();
        assertThat(d.logs()).contains("WARN: Start-up probe: status of apache2 unknown (FAILED); counted as running.");
        d.clear().from("n2", Messages.resourceFull(ResourceSet.ALL, true, null)).scriptsOk();
        assertThat(d.opTexts()).containsExactly("apache2 stop", VIP + " stop");
    }

    @Test
    void a_group_nobody_claims_is_claimed_by_the_node_that_found_it_running() {
        // n2, stable, holds none: it saw n1 hold everything before n1's daemon was killed and restarted
        GroupSpec db = GroupSpec.of("n2", "IPaddr::192.0.2.2/24/eth0", "db");
        Driver d = new Driver("n1", FailbackMode.OFF, StopFailurePolicy.HOLD, WEB, db);
        d.running.addAll(List.of(VIP, "apache2", db.key(), "db"));
        d.apply(d.e.start(0));
        d.apply(d.e.peerStatus(10, "n2", PeerStatus.ACTIVE));
        d.apply(d.e.commUp(10));
        d.scriptsOk().clear();
        d.from("n2", Messages.resourceFull(ResourceSet.NONE, true, null)).scriptsOk();
        assertThat(d.e.held()).isEqualTo(ResourceSet.ALL);
        assertThat(d.opTexts()).doesNotContain("db stop", "apache2 stop");
        assertThat(d.sent()).last().asString().contains("rsc_hold=all");
        assertThat(d.e.groupStates().get(db.key())).isEqualTo(GroupState.RUNNING);
    }

    @Test
    void a_node_that_finds_nothing_joins_as_before() {
        Driver d = node1(FailbackMode.OFF);
        d.apply(d.e.start(0));
        d.scriptsOk();
        assertThat(d.e.probing()).isFalse();
        assertThat(d.logs()).contains("info: Start-up probe done: no resource runs here.");
        d.clear();
        d.apply(d.e.peerDead(3000, "n2"));
        d.apply(d.e.commUp(3000));
        d.scriptsOk();
        assertThat(d.sent()).startsWith("t=stonith node=n2 result=n_stnth", "t=starting");
        assertThat(d.running).containsExactlyInAnyOrder(VIP, "apache2");
    }

    @Test
    void after_a_freeze_the_node_repeats_its_report_and_checks_its_groups() {
        Driver d = node1(FailbackMode.OFF);
        d.apply(d.e.start(0));
        d.scriptsOk();
        d.apply(d.e.peerDead(3000, "n2"));
        d.apply(d.e.commUp(3000));
        d.scriptsOk().clear();
        d.running.remove("apache2");
        d.apply(d.e.resumed(d.now + 10_000, 9_000));
        d.scriptsOk();
        assertThat(d.sent()).hasSize(1).allMatch(m -> m.startsWith("t=resource rsc_hold=all rtype=full"));
        assertThat(d.opTexts()).containsExactly(VIP + " status", "apache2 status");
        assertThat(d.logs()).contains("WARN: After the freeze: resource group " + VIP + " does not run completely here: apache2 not running.");
    }

    @Test
    void legacy_mode_keeps_its_own_group_asks_the_peer_to_let_go_and_stops_a_foreign_one() {
        GroupSpec db = GroupSpec.of("n2", "IPaddr::192.0.2.2/24/eth0", "db");
        Driver d = new Driver("n1", FailbackMode.LEGACY, StopFailurePolicy.HOLD, WEB, db);
        d.running.addAll(List.of(VIP, "apache2", db.key(), "db"));
        d.apply(d.e.start(0));
        d.apply(d.e.peerStatus(10, "n2", PeerStatus.ACTIVE));
        d.apply(d.e.commUp(10));
        d.scriptsOk();
        assertThat(d.sent()).contains("t=ip-request ipaddr=" + VIP);
        assertThat(d.opTexts()).contains("db stop", db.key() + " stop").doesNotContain("apache2 stop", VIP + " stop");
        assertThat(d.running).containsExactlyInAnyOrder(VIP, "apache2");
        assertThat(d.e.groupStates().get(VIP)).isEqualTo(GroupState.RUNNING);
        assertThat(d.e.groupStates().get(db.key())).isEqualTo(GroupState.STOPPED);
    }

    /**
     * Legacy, a peer up, the group found partly running (its first resource not running here): the peer
     * may run the group (it took it over). The node asks for it (ip-request) and starts nothing before
     * the answer; the answer starts the whole group (OwnershipSimulationTest seeds 126 and 188).
     */
    @Test
    void legacy_mode_starts_a_partly_found_group_only_once_the_peer_let_go() {
        Driver d = new Driver("n1", FailbackMode.LEGACY, StopFailurePolicy.HOLD, WEB);
        d.running.add("apache2");
        d.apply(d.e.start(0));
        d.apply(d.e.peerStatus(10, "n2", PeerStatus.ACTIVE));
        d.apply(d.e.commUp(10));
        d.scriptsOk();
        assertThat(d.sent()).contains("t=ip-request ipaddr=" + VIP);
        assertThat(d.opTexts()).doesNotContain(VIP + " start", "apache2 start");
        assertThat(d.logs()).contains("info: Resource group " + VIP + " found partly running at start: kept, this node holds it;"
                + " what does not run starts once n2 has let go of it.");
        d.clear().from("n2", Messages.ipRequestResp("n1", VIP, true, "OK")).scriptsOk();
        assertThat(d.opTexts()).contains(VIP + " start");
        assertThat(d.running).containsExactlyInAnyOrder(VIP, "apache2");
        assertThat(d.e.groupStates().get(VIP)).isEqualTo(GroupState.RUNNING);
    }
}
