package io.tandem.resources;

import static io.tandem.resources.OrphanAdoptionTest.ADOPTED;
import static io.tandem.resources.OrphanAdoptionTest.PDU;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.FailbackMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With a fence device, a dead peer's groups are taken only once it has been fenced since its death,
 * also when a shutdown of this node skipped or cancelled that fence and then could not finish (its
 * groups, orphaned, are adopted later through {@link Takeover#adoptOrphans}): the adoption begins the
 * fence, and its success takes them. Seen from n1 with a scripted peer n2 (docs/split-brain.md, "Fencing").
 */
class ShutdownFenceGapTest {
    static final String FENCING_FIRST = "WARN: The other node is dead and nobody holds [foreign]: n2 was not fenced since it died,"
            + " fencing it first.";

    static long fences(Driver d) {
        return d.effects.stream().filter(f -> f.equals(new Effect.Fence("n2"))).count();
    }

    /** After the aborted shutdown: n2's groups wait for a fence begun by the adoption, and its success takes them. */
    static void takenOnlyAfterAFence(Driver d) {
        assertThat(fences(d)).isEqualTo(1);
        assertThat(d.logs()).contains(FENCING_FIRST).doesNotContain(ADOPTED);
        d.scriptsOk();
        d.tickTo(d.now + 60_000);
        assertThat(d.e.held()).isEqualTo(ResourceSet.LOCAL);
        assertThat(d.opTexts()).noneMatch(o -> o.startsWith("ip2") || o.startsWith("db2"));
        assertThat(d.e.fencing()).singleElement().satisfies(f -> assertThat(f.node()).isEqualTo("n2"));
        d.apply(d.e.fenceDone(d.now += 1_000, "n2", true, ""));
        d.scriptsOk();
        assertThat(d.logs()).contains("info: node n2 now reset.", "info: Resources being acquired from n2.");
        assertThat(d.running).containsExactlyInAnyOrder("ip1", "web1", "ip2", "db2");
        assertThat(d.e.held()).isEqualTo(ResourceSet.ALL);
    }

    @Test
    void a_peer_that_died_during_an_aborted_shutdown_is_fenced_before_its_orphans_are_taken() {
        Driver d = OrphanAdoptionTest.pair(OrphanAdoptionTest.config().withFencing(PDU));
        OrphanAdoptionTest.shutdownThatCannotFinish(d); // n2 dies while n1 shuts down: no fence begins then
        assertThat(d.logs()).doesNotContain("info: Fencing of n2 cancelled - shutdown in progress.");
        takenOnlyAfterAFence(d);
    }

    @Test
    void a_fence_cancelled_by_an_aborted_shutdown_begins_again_before_the_orphans_are_taken() {
        Driver d = OrphanAdoptionTest.pair(OrphanAdoptionTest.config().withFencing(PDU));
        d.apply(d.e.peerDead(d.now += 1_000, "n2"));
        assertThat(fences(d)).isEqualTo(1);
        d.clear();
        d.apply(d.e.shutdownRequested(d.now += 100));
        assertThat(d.logs()).contains("info: Fencing of n2 cancelled - shutdown in progress.");
        d.scripts(op -> op.resource().equals("web1") && op.action() == ResourceOp.Action.STOP ? OpResult.FAILED : d.resources.answer(op));
        assertThat(d.effects).anyMatch(f -> f instanceof Effect.ShutdownAborted);
        // the cancelled fence's result, had it come, would be ignored; the adoption begins a new one
        takenOnlyAfterAFence(d);
    }

    @Test
    void a_failed_fence_lets_the_orphans_be_taken_only_with_failure_takeover() {
        Driver d = OrphanAdoptionTest.pair(OrphanAdoptionTest.config().withFencing(FencingPolicy.stonith("external/pdu", true)));
        OrphanAdoptionTest.shutdownThatCannotFinish(d);
        assertThat(fences(d)).isEqualTo(1);
        assertThat(d.opTexts()).noneMatch(o -> o.startsWith("ip2") || o.startsWith("db2"));
        d.apply(d.e.fenceDone(d.now += 1_000, "n2", false, "PDU did not answer"));
        d.scriptsOk();
        assertThat(d.logs()).anyMatch(l -> l.contains("taking over its resource groups anyway (stonith_failure_takeover yes)"));
        assertThat(d.running).containsExactlyInAnyOrder("ip1", "web1", "ip2", "db2");
    }

    /**
     * The peer is heard again while the shutdown that cancelled its fence still runs; the shutdown is
     * aborted (web1 will not stop). The cancelled fence must not hold our own groups back for good
     * (before, {@code req_our_resources} was skipped from then on): when the peer later stops
     * gracefully, its takeover acquires ours as well.
     */
    @Test
    void a_peer_heard_again_after_its_fence_was_cancelled_no_longer_holds_our_groups_back() {
        GroupSpec g3 = GroupSpec.of("n1", "ip3", "app3");
        Driver d = new Driver(OwnershipConfig.of("n1", List.of("n1", "n2"), FailbackMode.OFF, List.of(OrphanAdoptionTest.G1,
                OrphanAdoptionTest.G2, g3), 42).withFencing(PDU));
        d.apply(d.e.peerStatus(0, "n2", PeerStatus.ACTIVE));
        d.apply(d.e.commUp(0));
        d.from("n2", Messages.resourceFull(ResourceSet.LOCAL, true, null));
        d.scriptsOk();
        assertThat(d.running).containsExactlyInAnyOrder("ip1", "web1", "ip3", "app3");
        d.clear();
        d.apply(d.e.peerDead(d.now += 1_000, "n2"));
        d.apply(d.e.shutdownRequested(d.now += 100));
        boolean[] heard = {false};
        d.scripts(op -> {
            if (!heard[0]) {
                heard[0] = true;
                d.apply(d.e.peerStatus(d.now, "n2", PeerStatus.ACTIVE)); // heard again: no fence runs to stop
            }
            return op.resource().equals("web1") && op.action() == ResourceOp.Action.STOP ? OpResult.FAILED : d.resources.answer(op);
        });
        assertThat(d.effects).anyMatch(f -> f instanceof Effect.ShutdownAborted);
        assertThat(d.logs()).contains("info: Node n2 is alive again: its cancelled fence no longer holds back local resources.");
        assertThat(d.e.fencing()).isEmpty();
        d.scriptsOk();
        d.clear();
        d.from("n2", Messages.shutdone()); // n2 stops gracefully: it holds nothing
        d.scriptsOk();
        d.apply(d.e.peerDead(d.now += 1_000, "n2"));
        d.scriptsOk();
        // req_our_resources of the takeover runs (it was skipped for good while the cancelled fence held it back)
        assertThat(d.logs()).contains("info: Local Resource acquisition completed.")
                .noneMatch(l -> l.contains("was not fenced - shutdown in progress"));
        assertThat(d.running).containsExactlyInAnyOrder("ip1", "web1", "ip2", "db2", "ip3", "app3");
    }
}
