package io.tandem.resources;

import io.tandem.config.FailbackMode;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import org.junit.jupiter.api.Test;

/** ResourceManager semantics: order, skipping running resources, failed start, stop retries, stop failure. */
class GroupEngineTest {
    static final GroupSpec ABC = GroupSpec.of("n1", "a", "b", "c");

    /** n1 alone: n2 declared dead at initdead, comm up, everything taken. */
    static Driver alone(StopFailurePolicy policy) {
        Driver d = new Driver("n1", FailbackMode.OFF, policy, ABC);
        d.apply(d.e.peerDead(0, "n2"));
        d.apply(d.e.commUp(0));
        return d;
    }

    @Test
    void acquire_goes_left_to_right_with_status_before_start_and_skips_running_resources() {
        Driver d = alone(StopFailurePolicy.HOLD);
        d.scripts(op -> op.action() == ResourceOp.Action.STATUS ? (op.resource().equals("b") ? OpResult.RUNNING : OpResult.NOT_RUNNING) : OpResult.OK);
        assertThat(d.opTexts()).containsExactly("a status", "a status", "a start", "b status", "c status", "c start");
        assertThat(d.logs()).contains("info: Acquiring resource group: n1 a b c");
        assertThat(d.e.groupStates()).containsEntry("a", GroupState.RUNNING);
    }

    @Test
    void a_failed_start_stops_the_whole_group_right_to_left_and_hands_it_over_30_s_later() {
        Driver d = alone(StopFailurePolicy.HOLD);
        d.scripts(op -> op.action() == ResourceOp.Action.STATUS ? OpResult.NOT_RUNNING
                : op.action() == ResourceOp.Action.START && op.resource().equals("b") ? OpResult.FAILED : OpResult.OK);
        assertThat(d.opTexts()).containsExactly("a status", "a status", "a start", "b status", "b start", "c stop", "b stop", "a stop");
        assertThat(d.logs()).containsSubsequence("CRIT: Giving up resources due to failure of b", "info: Releasing resource group: n1 a b c");
        assertThat(d.e.groupStates()).containsEntry("a", GroupState.START_FAILED);
        long failedAt = d.now;
        d.clear().tickTo(failedAt + 29_999);
        assertThat(d.sent()).doesNotContain("t=ask_resources rsc_hold=local info=me");
        d.tickTo(failedAt + 30_000);
        assertThat(d.logs()).contains("info: Going standby [local].");
        assertThat(d.sent()).contains("t=ask_resources rsc_hold=local info=me");
    }

    @Test
    void a_failed_stop_is_retried_ten_times_one_second_apart_and_a_stopped_resource_is_a_script_bug_not_a_failure() {
        Driver d = alone(StopFailurePolicy.HOLD);
        d.scriptsOk().tickTo(20_000).clear();
        d.apply(d.e.shutdownRequested(d.now));
        d.scripts(op -> op.action() == ResourceOp.Action.STATUS ? OpResult.NOT_RUNNING
                : op.resource().equals("c") ? OpResult.FAILED : OpResult.OK);
        assertThat(d.opTexts()).containsExactlyElementsOf(concat(Collections.nCopies(11, "c stop"), "c status", "b stop", "a stop"));
        assertThat(d.logs().stream().filter(l -> l.equals("info: Retrying failed stop operation [c]"))).hasSize(10);
        assertThat(d.logs()).containsSubsequence("ERROR: Resource script for c probably not LSB-compliant.",
                "WARN: it (c) MUST succeed on a stop when already stopped", "WARN: Machine reboot narrowly avoided!",
                "info: All HA resources relinquished.");
        assertThat(d.sent()).endsWith("t=shutdone st=dead");
        assertThat(d.effects).last().isEqualTo(new Effect.ShutdownComplete(false));
    }

    @Test
    void a_resource_that_will_not_stop_keeps_the_group_here_and_cancels_the_shutdown() {
        Driver d = alone(StopFailurePolicy.HOLD);
        d.scriptsOk().tickTo(20_000).clear();
        d.apply(d.e.shutdownRequested(d.now));
        boolean[] cStopped = {false};
        d.scripts(op -> {
            if (op.resource().equals("b")) {
                return op.action() == ResourceOp.Action.STOP ? OpResult.FAILED : OpResult.RUNNING;
            }
            if (op.resource().equals("c")) {
                if (op.action() == ResourceOp.Action.STOP) {
                    cStopped[0] = true;
                }
                if (op.action() == ResourceOp.Action.START) {
                    cStopped[0] = false;
                }
                return op.action() == ResourceOp.Action.STATUS ? (cStopped[0] ? OpResult.NOT_RUNNING : OpResult.RUNNING) : OpResult.OK;
            }
            return op.action() == ResourceOp.Action.STATUS ? OpResult.RUNNING : OpResult.OK;
        });
        assertThat(d.logs()).contains("CRIT: Resource STOP failure: b still running; group a stays on this node and is not given up.");
        assertThat(d.opTexts()).endsWith("b status", "a status", "b status", "c status", "c start");
        assertThat(d.opTexts()).doesNotContain("a stop");
        assertThat(d.sent()).doesNotContain("t=shutdone st=dead").endsWith("t=resource rsc_hold=all rtype=full isstable=1");
        assertThat(d.effects).anyMatch(f -> f instanceof Effect.ShutdownAborted);
        assertThat(d.e.finished()).isFalse();
        assertThat(d.e.held()).isEqualTo(ResourceSet.ALL);
    }

    @Test
    void with_the_reboot_policy_a_resource_that_will_not_stop_asks_for_a_reboot_and_the_engine_stops() {
        Driver d = alone(StopFailurePolicy.REBOOT);
        d.scriptsOk().tickTo(20_000).clear();
        d.apply(d.e.shutdownRequested(d.now));
        d.scripts(op -> op.action() == ResourceOp.Action.STOP ? OpResult.FAILED : OpResult.RUNNING);
        assertThat(d.logs()).endsWith("CRIT: Resource STOP failure. Reboot required!", "CRIT: Killing heartbeat ungracefully!");
        assertThat(d.effects).last().isInstanceOf(Effect.Reboot.class);
        assertThat(d.e.finished()).isTrue();
        assertThat(d.e.tick(d.now + 60_000)).isEmpty();
        assertThat(d.sent()).doesNotContain("t=shutdone st=dead");
    }

    @Test
    void a_shutdown_before_comm_up_completes() {
        Driver d = new Driver("n1", FailbackMode.OFF, StopFailurePolicy.HOLD, ABC);
        d.apply(d.e.shutdownRequested(0));
        d.scriptsOk();
        assertThat(d.opTexts()).containsExactly("c stop", "b stop", "a stop");
        assertThat(d.sent()).endsWith("t=shutdone st=dead");
        assertThat(d.effects).last().isEqualTo(new Effect.ShutdownComplete(false));
    }

    /**
     * A shutdown asked for before comm-up, comm-up while its stop keeps failing, the shutdown aborted:
     * the negotiation comm-up began goes on (it was reset to INIT, and the node then refused the peer's
     * {@code starting} for good; campaign seed 5692).
     */
    @Test
    void a_shutdown_aborted_after_comm_up_came_meanwhile_leaves_the_negotiation_going() {
        Driver d = new Driver("n1", FailbackMode.OFF, StopFailurePolicy.HOLD, ABC);
        d.apply(d.e.shutdownRequested(0));
        boolean[] up = {false};
        d.scripts(op -> {
            if (!up[0]) {
                up[0] = true;
                d.apply(d.e.commUp(d.now));
            }
            if (op.resource().equals("b")) {
                return op.action() == ResourceOp.Action.STOP ? OpResult.FAILED : OpResult.RUNNING;
            }
            return op.action() == ResourceOp.Action.STATUS ? OpResult.NOT_RUNNING : OpResult.OK;
        });
        assertThat(d.effects).anyMatch(f -> f instanceof Effect.ShutdownAborted);
        assertThat(d.e.negotiationState()).isNotEqualTo("INIT");
        d.clear().from("n2", Messages.starting());
        assertThat(d.logs()).noneMatch(l -> l.contains("Received 'starting' message in state"));
        assertThat(d.sent()).anyMatch(m -> m.startsWith("t=resource "));
    }

    @Test
    void a_result_for_an_operation_that_was_not_asked_for_is_logged_and_ignored() {
        Driver d = alone(StopFailurePolicy.HOLD);
        ResourceOp pending = d.e.pendingOp().orElseThrow();
        d.apply(d.e.opDone(d.now, new ResourceOp("a", "zzz", ResourceOp.Action.START), OpResult.OK));
        assertThat(d.logs()).contains("ERROR: Unexpected result OK for zzz start ignored");
        assertThat(d.e.pendingOp()).contains(pending);
    }

    private static java.util.List<String> concat(java.util.List<String> head, String... tail) {
        java.util.List<String> l = new java.util.ArrayList<>(head);
        l.addAll(java.util.List.of(tail));
        return l;
    }
}
