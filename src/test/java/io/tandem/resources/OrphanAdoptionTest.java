package io.tandem.resources;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.tandem.config.FailbackMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A dead peer's groups that nobody holds ("orphans": its takeover was skipped by a shutdown of this node
 * that then could not finish) are taken through {@link Takeover}'s gates, the same as at its death: not
 * while the ping-node tiebreak holds takeovers back, not while the peer is being fenced. Seen from n1
 * with a scripted peer n2. The last test checks that no other class asks those gates itself.
 */
class OrphanAdoptionTest {
    static final GroupSpec G1 = GroupSpec.of("n1", "ip1", "web1"), G2 = GroupSpec.of("n2", "ip2", "db2");
    static final PingTiebreak TIEBREAK = new PingTiebreak(true, List.of("gw"), 1_000, 2_000, 30_000);
    static final FencingPolicy PDU = FencingPolicy.stonith("external/pdu", false);
    static final String ADOPTED = "WARN: The other node is dead and nobody holds [foreign]: taking them.";

    /** n1 and n2 active and stable, each running its own group. */
    static Driver pair(OwnershipConfig cfg) {
        Driver d = new Driver(cfg);
        d.apply(d.e.pingReply(0, "gw"));
        d.apply(d.e.peerStatus(0, "n2", PeerStatus.ACTIVE));
        d.apply(d.e.commUp(0));
        d.from("n2", Messages.resourceFull(ResourceSet.LOCAL, true, null));
        d.scriptsOk();
        assertThat(d.e.rscStatus()).isEqualTo("local");
        assertThat(d.running).containsExactlyInAnyOrder("ip1", "web1");
        return d.clear();
    }

    static OwnershipConfig config() {
        return OwnershipConfig.of("n1", List.of("n1", "n2"), FailbackMode.OFF, List.of(G1, G2), 42);
    }

    /** n1 shuts down, n2 dies meanwhile (its takeover is skipped), web1 will not stop: the shutdown is aborted. */
    static void shutdownThatCannotFinish(Driver d) {
        d.apply(d.e.shutdownRequested(d.now));
        boolean[] dead = {false};
        d.scripts(op -> {
            if (!dead[0]) {
                dead[0] = true;
                d.apply(d.e.peerDead(d.now, "n2"));
            }
            return op.resource().equals("web1") && op.action() == ResourceOp.Action.STOP ? OpResult.FAILED : d.resources.answer(op);
        });
        assertThat(d.effects).anyMatch(f -> f instanceof Effect.ShutdownAborted);
    }

    @Test
    void orphans_are_taken_when_no_gate_holds_them_back() {
        Driver d = pair(config());
        shutdownThatCannotFinish(d);
        assertThat(d.logs()).contains(ADOPTED);
        assertThat(d.running).containsExactlyInAnyOrder("ip1", "web1", "ip2", "db2");
        assertThat(d.e.held()).isEqualTo(ResourceSet.ALL);
    }

    @Test
    void the_ping_tiebreak_holds_orphans_back_until_a_ping_node_answers() {
        Driver d = pair(config().withPingTiebreak(TIEBREAK));
        d.now = 3_000; // the last answer of gw is 3 s old: older than fresh (1 s)
        shutdownThatCannotFinish(d);
        d.tickTo(d.now + 120_000);
        d.apply(d.e.peerStatus(d.now, "n1", PeerStatus.ACTIVE)); // events go on: each one looks for orphans again
        assertThat(d.e.held()).isEqualTo(ResourceSet.LOCAL);
        assertThat(d.logs()).doesNotContain(ADOPTED);
        assertThat(d.running).doesNotContain("ip2", "db2");
        assertThat(d.opTexts()).noneMatch(o -> o.startsWith("ip2") || o.startsWith("db2"));
        d.apply(d.e.pingReply(d.now += 100, "gw"));
        d.scriptsOk();
        assertThat(d.logs()).contains(ADOPTED);
        assertThat(d.running).contains("ip2", "db2");
    }

    @Test
    void a_peer_being_fenced_keeps_its_groups_from_the_orphan_path_until_the_fence_succeeded() {
        Driver d = pair(config().withFencing(PDU));
        d.apply(d.e.peerDead(d.now += 1_000, "n2"));
        assertThat(d.effects).contains(new Effect.Fence("n2"));
        // quiet, stable and claiming less than everything while the fence fails again and again
        for (int i = 0; i < 5; i++) {
            d.apply(d.e.fenceDone(d.now += 1_000, "n2", false, "PDU did not answer"));
            d.tickTo(d.now + 70_000);
            d.scriptsOk();
            assertThat(d.e.rscStatus()).isEqualTo("local");
        }
        assertThat(d.logs()).doesNotContain(ADOPTED);
        assertThat(d.opTexts()).noneMatch(o -> o.startsWith("ip2") || o.startsWith("db2"));
        d.apply(d.e.fenceDone(d.now += 1_000, "n2", true, ""));
        d.scriptsOk();
        assertThat(d.logs()).contains("info: Resources being acquired from n2.").doesNotContain(ADOPTED);
        assertThat(d.running).containsExactlyInAnyOrder("ip1", "web1", "ip2", "db2");
    }

    /** The gates are asked in {@link Takeover} only: a step that asked them itself could skip one added there. */
    @Test
    void only_takeover_asks_the_gates_of_a_dead_nodes_takeover() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.tandem.resources");
        noClasses().that().doNotHaveSimpleName("Takeover").and().doNotHaveSimpleName("PingReach")
                .should().callMethod(PingReach.class, "blocksTakeover", long.class)
                .because("the ping-node tiebreak's gate is Takeover's")
                .check(classes);
        noClasses().that().doNotHaveSimpleName("Takeover").and().doNotHaveSimpleName("OwnershipEngine")
                .should().callMethod(Fencing.class, "pending", String.class)
                .because("fencing's gate is Takeover's (the engine asks it only to stop a fence of a node heard again)")
                .check(classes);
        noClasses().that().haveSimpleName("Healing")
                .should().dependOnClassesThat().belongToAnyOf(Fencing.class, PingReach.class)
                .because("orphaned groups are taken through Takeover.adoptOrphans")
                .check(classes);
    }
}
