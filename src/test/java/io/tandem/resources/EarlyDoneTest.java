package io.tandem.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.FailbackMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The standby giver's {@code done} at address-gone ({@link EarlyDone}, {@link Jobs#addressReleased}): said
 * when the daemon reports the address of the release's very last stop gone, once; a report for any other
 * stop (an address that is not the last stop, a group that is not the last one, no pending stop, a
 * release outside a hand-over) changes nothing; a stop failing after that {@code done} never restarts the
 * group on the giver.
 */
class EarlyDoneTest {
    static final String IP1 = "IPaddr::192.0.2.1/24/eth0", IP2 = "IPaddr::192.0.2.2/24/eth0", IP3 = "IPaddr::192.0.2.3/24/eth0";
    static final String DONE = "t=ask_resources rsc_hold=local info=done";

    private static Driver giver(StopFailurePolicy policy, GroupSpec... groups) {
        Driver d = new Driver("n1", FailbackMode.OFF, policy, groups);
        d.apply(d.e.peerStatus(0, "n2", PeerStatus.ACTIVE));
        d.apply(d.e.commUp(0));
        d.from("n2", Messages.resourceFull(ResourceSet.LOCAL, true, null));
        d.scriptsOk();
        assertThat(d.e.rscStatus()).isEqualTo("local");
        d.apply(d.e.operatorStandby(d.now, "local"));
        return d.clear().from("n2", Messages.askResources(ResourceSet.LOCAL, "other"));
    }

    /** Answers the pending script OK; returns it. */
    private static ResourceOp ok(Driver d) {
        ResourceOp op = d.e.pendingOp().orElseThrow();
        d.now += 50;
        d.apply(d.e.opDone(d.now, op, OpResult.OK));
        return op;
    }

    private static void gone(Driver d) {
        d.apply(d.e.addressReleased(d.now, d.e.pendingOp().orElseThrow()));
    }

    @Test
    void done_is_said_when_the_last_stop_is_an_address_and_it_is_gone_before_its_script_ends() {
        Driver d = giver(StopFailurePolicy.HOLD, GroupSpec.of("n1", IP1, "apache2"), GroupSpec.of("n2", IP2, "db2"));
        assertThat(ok(d).resource()).isEqualTo("apache2");
        assertThat(d.e.pendingOp().orElseThrow().resource()).isEqualTo(IP1);
        assertThat(d.sent()).doesNotContain(DONE);
        gone(d);
        assertThat(d.sent()).containsOnlyOnce(DONE);
        assertThat(d.logs()).contains("info: " + EarlyDone.line(ResourceSet.LOCAL));
        assertThat(d.e.pendingOp()).as("the script still runs").isPresent();
        gone(d); // a second report of the same stop
        ok(d);
        assertThat(d.sent()).containsOnlyOnce(DONE);
        assertThat(d.logs()).contains("info: local HA resource release completed (standby).");
        assertThat(d.e.pendingOp()).isEmpty();
    }

    @Test
    void an_address_that_is_not_the_last_stop_of_the_group_waits_for_the_rest() {
        Driver d = giver(StopFailurePolicy.HOLD, GroupSpec.of("n1", "drbddisk::r0", IP1, "apache2"), GroupSpec.of("n2", IP2, "db2"));
        ok(d); // apache2
        assertThat(d.e.pendingOp().orElseThrow().resource()).isEqualTo(IP1);
        gone(d);
        ok(d);
        assertThat(d.sent()).doesNotContain(DONE);
        assertThat(d.e.pendingOp().orElseThrow().resource()).isEqualTo("drbddisk::r0");
        ok(d);
        assertThat(d.sent()).containsOnlyOnce(DONE);
        assertThat(d.logs()).noneMatch(l -> l.contains("done before the end"));
    }

    @Test
    void only_the_address_of_the_last_group_says_done() {
        Driver d = giver(StopFailurePolicy.HOLD, GroupSpec.of("n1", IP1, "apache2"), GroupSpec.of("n1", IP3, "exim4"),
                GroupSpec.of("n2", IP2, "db2"));
        List<String> stopped = new java.util.ArrayList<>();
        while (d.e.pendingOp().isPresent()) {
            ResourceOp op = d.e.pendingOp().get();
            if (op.resource().startsWith("IPaddr")) {
                gone(d);
                boolean last = stopped.stream().filter(r -> r.startsWith("IPaddr")).count() == 1;
                assertThat(d.sent().contains(DONE)).as("done at the address of the last group only (%s)", op.resource()).isEqualTo(last);
            }
            stopped.add(ok(d).resource());
        }
        assertThat(stopped).hasSize(4);
        assertThat(d.sent()).containsOnlyOnce(DONE);
    }

    @Test
    void a_report_for_another_operation_or_outside_a_hand_over_changes_nothing() {
        Driver d = giver(StopFailurePolicy.HOLD, GroupSpec.of("n1", IP1, "apache2"), GroupSpec.of("n2", IP2, "db2"));
        d.apply(d.e.addressReleased(d.now, new ResourceOp(IP1, IP1, ResourceOp.Action.STOP)));
        ok(d);
        d.apply(d.e.addressReleased(d.now, new ResourceOp("other", IP1, ResourceOp.Action.STOP)));
        assertThat(d.sent()).doesNotContain(DONE);
        // a graceful stop without warm resources: heartbeat's shutdone after every stop, nothing early
        Driver s = new Driver("n1", FailbackMode.OFF, StopFailurePolicy.HOLD, GroupSpec.of("n1", IP1, "apache2"));
        s.apply(s.e.peerStatus(0, "n2", PeerStatus.ACTIVE));
        s.apply(s.e.commUp(0));
        s.from("n2", Messages.resourceFull(ResourceSet.NONE, true, null));
        s.scriptsOk();
        s.clear().apply(s.e.shutdownRequested(s.now));
        ok(s);
        gone(s);
        assertThat(s.sent()).noneMatch(m -> m.contains("info=done") || m.startsWith("t=shutdone"));
        ok(s);
        assertThat(s.sent()).anyMatch(m -> m.startsWith("t=shutdone"));
    }

    @Test
    void a_stop_failing_after_done_with_the_address_back_never_restarts_the_group_here_hold() {
        Driver d = giver(StopFailurePolicy.HOLD, GroupSpec.of("n1", IP1, "apache2"), GroupSpec.of("n2", IP2, "db2"));
        ok(d);
        gone(d);
        d.clear();
        // the script's rest fails, its retries too; status says the address runs
        d.scripts(op -> op.action() == ResourceOp.Action.STATUS ? OpResult.RUNNING : OpResult.FAILED);
        assertThat(d.opTexts()).allMatch(t -> t.equals(IP1 + " stop") || t.equals(IP1 + " status"));
        assertThat(d.logs()).anyMatch(l -> l.startsWith("ERROR: Stop of " + IP1 + " of group " + IP1 + " failed after this node said done"))
                .anyMatch(l -> l.contains("it is left as it is (stop_failure hold)"));
        assertThat(d.sent()).noneMatch(m -> m.contains(Standby.ABORTED)).doesNotContain(DONE);
        assertThat(d.effects).noneMatch(f -> f instanceof Effect.Reboot);
        // the taker's done ends the hand-over as always
        d.from("n2", Messages.askResources(ResourceSet.LOCAL, "done"));
        d.from("n2", Messages.resourceFull(ResourceSet.ALL, true, null));
        assertThat(d.e.held()).isEqualTo(ResourceSet.NONE);
        assertThat(d.e.rscStatus()).isEqualTo("none");
    }

    @Test
    void a_stop_failing_after_done_with_the_address_back_reboots_with_stop_failure_reboot() {
        Driver d = giver(StopFailurePolicy.REBOOT, GroupSpec.of("n1", IP1, "apache2"), GroupSpec.of("n2", IP2, "db2"));
        ok(d);
        gone(d);
        d.clear().scripts(op -> op.action() == ResourceOp.Action.STATUS ? OpResult.RUNNING : OpResult.FAILED);
        assertThat(d.effects).anyMatch(f -> f instanceof Effect.Reboot);
        assertThat(d.opTexts()).noneMatch(t -> t.endsWith(" start"));
    }
}
