package io.tandem.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.FailbackMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The probe at start-up ({@link AddressPreProbe#atStart}, docs/split-brain.md): a starting node probes the addresses
 * of the groups it prefers beside its start-up probe, whose status scripts begin no probe of their own, and the
 * acquisition that follows when both nodes start together takes that probe under the rule of the probe before death.
 * n1 prefers G1 (IP1 apache2), n2 prefers G2 (IP2 db2); the probe window is 300 ms; scripts take {@code step} ms.
 */
class StartupPreProbeTest {
    static final String IP1 = AfterDoneProbeTest.IP1, IP2 = AfterDoneProbeTest.IP2;

    private static Driver n1() {
        return new Driver(OwnershipConfig.of("n1", List.of("n1", "n2"), FailbackMode.OFF, List.of(AfterDoneProbeTest.G1, AfterDoneProbeTest.G2), 42),
                AddressPreProbe.Settings.window(300));
    }

    private static List<Effect.ProbeAddress> probes(Driver d) {
        return d.effects.stream().filter(f -> f instanceof Effect.ProbeAddress).map(f -> (Effect.ProbeAddress) f).toList();
    }

    private static List<String> marked(Driver d) {
        return d.ops.stream().filter(ResourceOp::preProbed).map(o -> o.resource() + " " + o.action().word()).toList();
    }

    /** Answers every script as {@link Driver#scriptsOk} does, {@code step} ms each. */
    private static void scripts(Driver d, long step) {
        for (int guard = 0; guard < 100 && d.e.pendingOp().isPresent(); guard++) {
            ResourceOp op = d.e.pendingOp().get();
            d.now += step;
            d.apply(d.e.opDone(d.now, op, d.resources.answer(op)));
        }
    }

    /** n1 starts at 0; n2, started at the same time, is up at 10. */
    private static Driver started() {
        Driver d = n1();
        d.apply(d.e.start(0));
        d.apply(d.e.peerStatus(10, "n2", PeerStatus.ACTIVE));
        d.apply(d.e.commUp(10));
        return d;
    }

    /** {@link #started}, the start-up probe's scripts, then n2 reports that it holds nothing yet. */
    private static Driver bothStarted(long step) {
        Driver d = started();
        scripts(d, step); // the start-up probe
        d.from("n2", Messages.resourceFull(ResourceSet.LOCAL, true, null));
        return d;
    }

    @Test
    void the_node_probes_the_addresses_it_prefers_and_its_start_up_statuses_begin_no_probe() {
        Driver d = n1();
        d.apply(d.e.start(0));
        assertThat(probes(d)).containsExactly(new Effect.ProbeAddress(1, IP1, true));
        assertThat(d.logs()).contains("info: Probing the address of " + IP1 + " at start-up, for the start that follows if this node takes it.");
        scripts(d, 20);
        assertThat(d.opTexts()).containsExactly(IP1 + " status", "apache2 status", IP2 + " status", "db2 status");
        assertThat(marked(d)).as("every address status of the start-up probe: also n2's address, which n2 probes")
                .containsExactly(IP1 + " status", IP2 + " status");
    }

    @Test
    void both_started_the_preferred_nodes_start_takes_the_rest_of_the_probe() {
        Driver d = bothStarted(20);
        d.at(d.now);
        scripts(d, 20);
        assertThat(d.running).contains(IP1, "apache2");
        // the start-up probe's two, then the negotiation's look at the group's first resource, the group's status and start
        assertThat(marked(d)).containsExactly(IP1 + " status", IP2 + " status", IP1 + " status", IP1 + " status", IP1 + " start");
        assertThat(d.logs()).contains("info: Not probing the address of " + IP1 + " anew before its start: taking the rest of the probe"
                + " begun at start-up (began 120 ms ago).");
    }

    @Test
    void nobody_answered_the_start_takes_the_probe_and_hearing_the_peer_drops_nothing() {
        Driver d = started();
        scripts(d, 20);
        d.apply(d.e.preProbe().heard(90, "n2"));
        d.at(300).apply(d.e.preProbe().probed(300, 1, IP1, "", true));
        d.from("n2", Messages.resourceFull(ResourceSet.LOCAL, true, null));
        scripts(d, 20);
        assertThat(marked(d)).endsWith(IP1 + " status", IP1 + " start");
        assertThat(d.logs()).contains("info: Not probing the address of " + IP1 + " again before its start: probed at start-up, nobody answered"
                + " (began 340 ms ago).").noneMatch(l -> l.contains("heard again"));
    }

    @Test
    void an_answered_probe_is_not_taken_and_says_so_only_in_the_debug_log() {
        Driver d = started();
        d.at(50).apply(d.e.preProbe().probed(50, 1, IP1, "02:00:00:00:00:02", true));
        assertThat(d.logs()).contains("debug: The address of " + IP1 + " is in use by 02:00:00:00:00:02 (probed at start-up): a start probes it"
                + " again before adding it.");
        scripts(d, 20);
        d.from("n2", Messages.resourceFull(ResourceSet.LOCAL, true, null));
        scripts(d, 20);
        assertThat(marked(d)).containsExactly(IP1 + " status", IP2 + " status");
        assertThat(d.ops).filteredOn(o -> o.action() == ResourceOp.Action.START && o.resource().equals(IP1)).singleElement()
                .satisfies(o -> assertThat(o.preProbed()).isFalse());
        assertThat(d.logs()).contains("debug: Probing the address of " + IP1 + " again before its start: the probe begun at start-up was answered.");
    }

    @Test
    void a_start_long_after_the_start_up_probes_anew_quietly() {
        Driver d = bothStarted(150); // scripts of 150 ms: the start comes 900 ms after the probe began
        scripts(d, 150);
        assertThat(marked(d)).containsExactly(IP1 + " status", IP2 + " status");
        assertThat(d.running).contains(IP1);
        assertThat(d.logs()).contains("debug: Probing the address of " + IP1 + " again before its start: the probe begun at start-up is too old"
                + " (began 900 ms ago).");
    }

    @Test
    void off_probes_nothing_at_start_up() {
        Driver d = new Driver(OwnershipConfig.of("n1", List.of("n1", "n2"), FailbackMode.OFF, List.of(AfterDoneProbeTest.G1,
                AfterDoneProbeTest.G2), 42));
        d.apply(d.e.start(0));
        assertThat(probes(d)).isEmpty();
    }
}
