package io.tandem.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.FailbackMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The core's half of the probe before death ({@link AddressPreProbe}, docs/split-brain.md): which addresses
 * a silent peer's deadline has probed, when a takeover's start takes that probe ({@link ResourceOp#preProbed()})
 * and when it probes anew. Times as the timer and the answers bring them: the peer n2 was last heard at 9 500,
 * deadtime 500 ms, so it is dead at 10 000; the probe window is 300 ms; every script takes 100 ms.
 */
class PreProbeTest {
    static final String IP1 = AfterDoneProbeTest.IP1, IP2 = AfterDoneProbeTest.IP2;
    static final long DEAD_AT = 10_000, DEADTIME = 500;

    /** n1 runs its group (IP1 apache2), n2 reported its own (IP2 db2). */
    static Driver pair(OwnershipConfig cfg) {
        Driver d = new Driver(cfg, AddressPreProbe.Settings.window(300));
        d.apply(d.e.peerStatus(0, "n2", PeerStatus.ACTIVE));
        d.apply(d.e.commUp(0));
        d.from("n2", Messages.resourceFull(ResourceSet.LOCAL, true, null));
        d.scriptsOk();
        assertThat(d.e.rscStatus()).isEqualTo("local");
        return d.clear();
    }

    static Driver pair() {
        return pair(OwnershipConfig.of("n1", List.of("n1", "n2"), FailbackMode.OFF, List.of(AfterDoneProbeTest.G1, AfterDoneProbeTest.G2), 42));
    }

    private static List<Effect.ProbeAddress> probes(Driver d) {
        return d.effects.stream().filter(f -> f instanceof Effect.ProbeAddress).map(f -> (Effect.ProbeAddress) f).toList();
    }

    private static List<String> marked(Driver d) {
        return d.ops.stream().filter(ResourceOp::preProbed).map(o -> o.resource() + " " + o.action().word()).toList();
    }

    /** n2's silence reached the probe window before its deadline. */
    private static AddressPreProbe silent(Driver d) {
        AddressPreProbe p = d.e.preProbe();
        assertThat(p.dueAt("n2", DEAD_AT, DEADTIME, 100)).isEqualTo(DEAD_AT - 300);
        d.at(DEAD_AT - 300).apply(p.silent(d.now, "n2", DEAD_AT, DEADTIME));
        return p;
    }

    private static void death(Driver d) {
        d.at(DEAD_AT).apply(d.e.peerDead(d.now, "n2"));
    }

    @Test
    void the_silence_probes_the_addresses_the_death_would_take_once() {
        Driver d = pair();
        AddressPreProbe p = silent(d);
        assertThat(probes(d)).containsExactly(new Effect.ProbeAddress(1, IP2));
        assertThat(d.logs()).contains("info: Probing the address of " + IP2 + " before the death of n2: silent for 200 ms, declared dead after 500 ms.");
        assertThat(p.dueAt("n2", DEAD_AT, DEADTIME, 100)).as("this silence was looked at").isEqualTo(-1);
        d.clear().apply(p.silent(d.now, "n2", DEAD_AT, DEADTIME));
        assertThat(d.effects).isEmpty();
        assertThat(p.dueAt("n2", DEAD_AT + 100, DEADTIME, 100)).as("a new silence (heard since)").isEqualTo(DEAD_AT - 200);
    }

    @Test
    void a_silence_of_less_than_two_keepalives_never_probes() {
        AddressPreProbe p = pair().e.preProbe();
        assertThat(p.dueAt("n2", DEAD_AT, DEADTIME, 200)).isEqualTo(DEAD_AT - DEADTIME + 400);
        assertThat(p.dueAt("n2", DEAD_AT, DEADTIME, 250)).as("two keepalives are the whole deadtime").isEqualTo(-1);
        assertThat(pair().e.preProbe().dueAt("n2", DEAD_AT, 30_000, 2_000)).isEqualTo(DEAD_AT - 300);
    }

    @Test
    void nobody_answered_the_takeovers_start_takes_the_probe_without_probing_again() {
        Driver d = pair();
        AddressPreProbe p = silent(d);
        d.at(DEAD_AT).apply(p.probed(d.now, 1, IP2, "", true));
        death(d);
        d.scriptsOk();
        assertThat(marked(d)).containsExactly(IP2 + " status", IP2 + " start");
        assertThat(d.running).contains(IP2, "db2");
        assertThat(d.logs()).contains("info: Not probing the address of " + IP2 + " again before its start: probed before the death of n2,"
                + " nobody answered (began 400 ms ago).");
        assertThat(d.ops).as("n1's own group, running, is not marked").filteredOn(o -> o.resource().equals(IP1))
                .allMatch(o -> !o.preProbed());
    }

    @Test
    void a_death_before_the_probe_ends_takes_the_rest_of_it() {
        Driver d = pair();
        silent(d);
        death(d);
        d.scriptsOk();
        assertThat(marked(d)).containsExactly(IP2 + " status", IP2 + " start");
        assertThat(d.logs()).contains("info: Not probing the address of " + IP2 + " anew before its start: taking the rest of the probe begun"
                + " before the death of n2 (began 400 ms ago).");
    }

    @Test
    void an_answered_probe_is_not_taken_the_start_probes_again() {
        Driver d = pair();
        AddressPreProbe p = silent(d);
        d.at(DEAD_AT - 100).apply(p.probed(d.now, 1, IP2, "02:00:00:00:00:02", true));
        assertThat(d.logs()).contains("WARN: The address of " + IP2 + " is in use by 02:00:00:00:00:02 while n2 is silent (probed before its"
                + " death): a start probes it again before adding it.");
        death(d);
        d.scriptsOk();
        assertThat(marked(d)).isEmpty();
        assertThat(d.logs()).contains("info: Probing the address of " + IP2 + " again before its start: the probe begun before the death of n2"
                + " was answered.");
    }

    @Test
    void a_probe_that_could_not_run_is_not_taken() {
        Driver d = pair();
        AddressPreProbe p = silent(d);
        d.at(DEAD_AT).apply(p.probed(d.now, 1, IP2, "", false));
        death(d);
        d.scriptsOk();
        assertThat(marked(d)).isEmpty();
    }

    @Test
    void a_start_long_after_the_probe_probes_anew() {
        Driver d = pair();
        AddressPreProbe p = silent(d);
        d.at(DEAD_AT).apply(p.probed(d.now, 1, IP2, "", true));
        death(d);
        ResourceOp status = d.e.pendingOp().orElseThrow();
        assertThat(status.resource() + " " + status.action().word() + " " + status.preProbed()).isEqualTo(IP2 + " status true");
        // the status script took 250 ms: the start comes 550 ms after the probe began, more than its window + 200 ms
        d.at(DEAD_AT + 250).apply(d.e.opDone(d.now, status, OpResult.NOT_RUNNING));
        ResourceOp start = d.e.pendingOp().orElseThrow();
        assertThat(start.action()).isEqualTo(ResourceOp.Action.START);
        assertThat(start.preProbed()).isFalse();
        assertThat(d.logs()).contains("info: Probing the address of " + IP2 + " again before its start: the probe begun before the death of n2"
                + " is too old (began 550 ms ago).");
    }

    @Test
    void the_peer_heard_again_drops_the_probe_and_a_later_answer_is_ignored() {
        Driver d = pair();
        AddressPreProbe p = silent(d);
        d.at(DEAD_AT - 50).apply(p.heard(d.now, "N2"));
        assertThat(d.logs()).contains("info: n2 was heard again: dropping the probe of the address of " + IP2 + " begun before its death.");
        d.clear().apply(p.probed(DEAD_AT, 1, IP2, "", true));
        assertThat(d.effects).isEmpty();
        assertThat(p.heard(DEAD_AT, "n2")).as("nothing left to drop").isEmpty();
        // dead after all (a later silence that began no probe): the takeover probes as before
        death(d);
        d.scriptsOk();
        assertThat(marked(d)).isEmpty();
        assertThat(d.running).contains(IP2);
    }

    @Test
    void no_probe_when_the_takeover_waits_for_a_fence_or_this_node_leaves_or_the_peer_holds_nothing_we_lack() {
        Driver fenced = pair(OwnershipConfig.of("n1", List.of("n1", "n2"), FailbackMode.OFF, List.of(AfterDoneProbeTest.G1, AfterDoneProbeTest.G2),
                42).withFencing(FencingEngineTest.PDU));
        fenced.apply(fenced.e.preProbe().silent(DEAD_AT - 300, "n2", DEAD_AT, DEADTIME));
        assertThat(probes(fenced)).as("a fence comes first: the probe would be stale").isEmpty();

        Driver leaving = pair();
        leaving.apply(leaving.e.shutdownRequested(DEAD_AT - 400));
        leaving.apply(leaving.e.preProbe().silent(DEAD_AT - 300, "n2", DEAD_AT, DEADTIME));
        assertThat(probes(leaving)).as("shutting down").isEmpty();

        Driver standby = pair();
        standby.from("n2", Messages.resourceFull(ResourceSet.NONE, true, null));
        standby.apply(standby.e.preProbe().silent(DEAD_AT - 300, "n2", DEAD_AT, DEADTIME));
        assertThat(probes(standby)).as("n2 holds nothing").isEmpty();
    }

    @Test
    void off_never_probes() {
        Driver d = new Driver(OwnershipConfig.of("n1", List.of("n1", "n2"), FailbackMode.OFF, List.of(AfterDoneProbeTest.G1,
                AfterDoneProbeTest.G2), 42));
        assertThat(d.e.preProbe().dueAt("n2", DEAD_AT, DEADTIME, 100)).isEqualTo(-1);
    }
}
