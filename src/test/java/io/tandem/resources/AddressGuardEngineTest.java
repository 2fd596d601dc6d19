package io.tandem.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.FailbackMode;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The ownership engine's half of the duplicate-address guard (docs/split-brain.md): a start whose
 * address another host answered for, and another host claiming an address this node runs.
 */
class AddressGuardEngineTest {
    static final String IP = "IPaddr::192.0.2.1/24/eth0";
    static final GroupSpec WEB = GroupSpec.of("n1", IP, "apache2");
    static final String MAC = "02:00:00:00:00:01";

    /** {@code local} alone: the peer declared dead at initdead (never heard), comm up. */
    static Driver alone(String local) {
        Driver d = new Driver(local, FailbackMode.OFF, StopFailurePolicy.HOLD, WEB);
        String peer = local.equals("n1") ? "n2" : "n1";
        d.apply(d.e.peerDead(0, peer));
        d.apply(d.e.commUp(0));
        return d;
    }

    /** Runs scripts like {@link Driver#scripts}, but a start of the address gets the probe's answer when {@code inUse} says so. */
    static void run(Driver d, Driver.Resources res, Function<ResourceOp, Boolean> inUse) {
        for (int i = 0; i < 1000 && d.e.pendingOp().isPresent(); i++) {
            ResourceOp op = d.e.pendingOp().get();
            d.now += 100;
            if (op.action() == ResourceOp.Action.START && op.resource().equals(IP) && inUse.apply(op)) {
                d.apply(d.e.addressInUse(d.now, op, MAC));
            } else {
                d.apply(d.e.opDone(d.now, op, res.answer(op)));
            }
        }
    }

    @Test
    void an_address_in_use_stops_the_group_again_is_no_failure_and_is_tried_again_while_the_node_holds_it() {
        Driver d = alone("n2");
        Driver.Resources res = new Driver.Resources();
        run(d, res, op -> true);
        // nothing was started before the address: nothing is stopped (the address was never added)
        assertThat(d.opTexts()).containsExactly(IP + " status", IP + " start");
        assertThat(d.e.groupStates()).containsEntry(WEB.key(), GroupState.ADDRESS_IN_USE);
        assertThat(d.e.addressesInUse()).containsEntry(WEB.key(), MAC);
        assertThat(d.logs()).contains("CRIT: Group " + WEB.key() + " not started: the address of " + IP + " is in use by " + MAC
                + ". Trying again in 7.5 s while this node holds it.");
        assertThat(d.logs()).noneMatch(l -> l.contains("Giving up resources due to failure"));
        assertThat(d.e.held()).isEqualTo(ResourceSet.ALL);
        long at = d.now;
        // tried again after 7.5 s (not its home node); nobody answers now: it runs
        d.clear().tickTo(at + 7_499);
        assertThat(d.ops).isEmpty();
        d.tickTo(at + 7_500);
        run(d, res, op -> false);
        assertThat(d.logs()).contains("info: Trying group " + WEB.key() + " again (its address was in use by " + MAC + ").");
        assertThat(d.e.groupStates()).containsEntry(WEB.key(), GroupState.RUNNING);
        assertThat(d.e.addressesInUse()).isEmpty();
        assertThat(res.running).containsExactlyInAnyOrder(IP, "apache2");
        // no standby request to a dead peer, ever
        assertThat(d.sent()).noneMatch(s -> s.startsWith("t=ask_resources"));
    }

    @Test
    void what_was_started_before_the_address_is_stopped_again_and_only_that() {
        GroupSpec g = GroupSpec.of("n1", "drbd", IP, "apache2");
        Driver d = new Driver("n2", FailbackMode.OFF, StopFailurePolicy.HOLD, g);
        d.apply(d.e.peerDead(0, "n1"));
        d.apply(d.e.commUp(0));
        run(d, new Driver.Resources(), op -> true);
        assertThat(d.opTexts()).containsExactly("drbd status", "drbd start", IP + " status", IP + " start", "drbd stop");
        assertThat(d.e.groupStates()).containsEntry(g.key(), GroupState.ADDRESS_IN_USE);
    }

    @Test
    void the_home_node_retries_sooner_than_another_node() {
        Driver d = alone("n1");
        run(d, new Driver.Resources(), op -> true);
        assertThat(d.logs()).anyMatch(l -> l.endsWith("Trying again in 5 s while this node holds it."));
    }

    @Test
    void the_home_node_defends_its_address_at_most_every_ten_seconds() {
        Driver d = alone("n1");
        Driver.Resources res = new Driver.Resources();
        run(d, res, op -> false);
        d.tickTo(d.now + 20_000);
        run(d, res, op -> false);
        assertThat(d.e.groupStates()).containsEntry(WEB.key(), GroupState.RUNNING);
        d.clear().apply(d.e.addressConflict(d.now, IP, "192.0.2.1", MAC));
        assertThat(d.effects).contains(new Effect.Announce(IP));
        assertThat(d.logs()).contains("CRIT: Address 192.0.2.1 of group " + WEB.key() + " is claimed by another host (" + MAC
                + "): this node is its home node and defends it.");
        long first = d.now;
        d.clear().apply(d.e.addressConflict(first + 9_999, IP, "192.0.2.1", MAC));
        assertThat(d.effects).isEmpty();
        d.clear().apply(d.e.addressConflict(first + 10_000, IP, "192.0.2.1", MAC));
        assertThat(d.effects).contains(new Effect.Announce(IP));
        assertThat(res.running).contains(IP, "apache2");
    }

    @Test
    void another_holder_releases_the_group_when_another_host_claims_its_address() {
        Driver d = alone("n2");
        Driver.Resources res = new Driver.Resources();
        run(d, res, op -> false);
        assertThat(res.running).contains(IP, "apache2");
        d.clear().apply(d.e.addressConflict(d.now, IP, "192.0.2.1", MAC));
        run(d, res, op -> false);
        assertThat(d.logs()).contains("CRIT: Address 192.0.2.1 of group " + WEB.key() + " is claimed by another host (" + MAC
                + "): this node is not its home node and releases it.");
        // the address first: the other host serves it already (HealingEngineTest)
        assertThat(d.opTexts()).containsExactly(IP + " stop", "apache2 stop");
        assertThat(res.running).isEmpty();
        assertThat(d.e.held()).isEqualTo(ResourceSet.LOCAL);
        assertThat(d.sent()).anyMatch(m -> m.startsWith("t=resource rsc_hold=local rtype=full"));
        assertThat(d.effects).noneMatch(e -> e instanceof Effect.Announce);
    }

    @Test
    void a_conflict_about_a_group_that_does_not_run_here_changes_nothing() {
        Driver d = alone("n2");
        run(d, new Driver.Resources(), op -> true);
        d.clear().apply(d.e.addressConflict(d.now, IP, "192.0.2.1", MAC));
        assertThat(d.effects).isEmpty();
    }

    @Test
    void only_haresources_address_words_are_address_resources() {
        assertThat(AddressGuard.isAddress(IP)).isTrue();
        assertThat(AddressGuard.isAddress("IPaddr2::10.0.0.1/8/eth1")).isTrue();
        assertThat(AddressGuard.isAddress("10.0.0.10")).isTrue();
        assertThat(AddressGuard.isAddress("apache2")).isFalse();
        assertThat(AddressGuard.isAddress("Filesystem::/dev/sdb1::/srv")).isFalse();
    }
}
