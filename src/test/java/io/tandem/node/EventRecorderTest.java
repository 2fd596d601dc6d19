package io.tandem.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.resources.GroupState;
import io.tandem.resources.OpResult;
import io.tandem.resources.ResourceOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An operation names the trigger of the step that asked for it: in the lab, a takeover first probes the
 * address ({@code status}) in the step of the peer's death, and the decision follows the probe's answer
 * in a later step; without the probe's {@code after}, {@code tandem why} began its chain at the probe.
 */
class EventRecorderTest {
    private static final String G = "IPaddr::192.0.2.1/24/eth0";
    private static final ResourceOp PROBE = new ResourceOp(G, G, ResourceOp.Action.STATUS);

    @Test
    void an_operation_asked_for_in_a_step_names_that_steps_trigger_and_the_decision_after_it_goes_back_through_it() {
        EventRecorder r = new EventRecorder();
        List<ClusterEvent> out = new ArrayList<>();
        r.begin(e -> out.add(((NodeEffect.Recorded) e).event()), Map.of(G, GroupState.STOPPED), new NodeEvent.Standby("all"));
        r.nodeStatus(1_000, "node2", "dead", 3_000);
        r.started(1_000, PROBE);
        r.end(1_000, Map.of(G, GroupState.STOPPED));
        ClusterEvent dead = out.get(0);
        assertThat(dead.kind()).isEqualTo("node-dead");

        r.begin(e -> out.add(((NodeEffect.Recorded) e).event()), Map.of(G, GroupState.STOPPED), new NodeEvent.Standby("all"));
        r.finished(1_213, PROBE, OpResult.NOT_RUNNING);
        r.end(1_213, Map.of(G, GroupState.STARTING));
        ClusterEvent probe = out.get(1);
        ClusterEvent decision = out.get(2);
        assertThat(probe.kind()).isEqualTo("op");
        assertThat(probe.field("durationMs")).isEqualTo("213");
        assertThat(probe.field("after")).as("the probe names the death that asked for it").isEqualTo(Long.toString(dead.seq()));
        assertThat(decision.field("to")).isEqualTo("starting");
        assertThat(decision.field("after")).isEqualTo(Long.toString(probe.seq()));
    }

    @Test
    void an_operation_asked_for_without_a_trigger_names_none() {
        EventRecorder r = new EventRecorder();
        List<ClusterEvent> out = new ArrayList<>();
        r.begin(e -> out.add(((NodeEffect.Recorded) e).event()), Map.of(), new NodeEvent.Standby("all"));
        r.started(0, PROBE); // a monitor's check on a timer: no cause-like entry in its step
        r.end(0, Map.of());
        r.begin(e -> out.add(((NodeEffect.Recorded) e).event()), Map.of(), new NodeEvent.Standby("all"));
        r.finished(40, PROBE, OpResult.FAILED);
        r.end(40, Map.of());
        assertThat(out).hasSize(1);
        assertThat(out.get(0).field("after")).isEmpty();
    }
}
