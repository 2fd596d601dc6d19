package io.tandem.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.daemon.history.StoredEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tallies from the event history: a decision counted by the cause its {@code after} names (also
 * through a chain, and through the status probe a takeover runs first), monitor failures only of a
 * running group, operations by agent, and every table bounded.
 */
class TalliesTest {
    private final Tallies t = new Tallies();
    private long seq;

    private long add(long time, String kind, String subject, Map<String, String> fields) {
        t.event(new StoredEvent(time, "n1", 1, ++seq, kind, subject, "cause", fields));
        return seq;
    }

    @Test
    void a_takeover_after_a_death_counts_as_node_dead_through_its_status_probe() {
        long dead = add(1000, "node-dead", "n2", Map.of());
        add(1000, "notice", "heartbeat", Map.of("level", "warn"));
        long probe = add(1010, "op", "g/g", Map.of("group", "g", "resource", "g", "action", "status", "result", "not_running",
                "started", "1000"));
        add(1010, "group", "g", Map.of("from", "stopped", "to", "starting", "after", Long.toString(probe)));
        assertThat(t.decisions()).containsExactly(Map.entry(List.of("takeover", "node_dead"), 1L));
        assertThat(dead).isEqualTo(1);
    }

    @Test
    void a_give_up_for_our_own_standby_counts_as_the_operators() {
        long op = add(1000, "operator", "local", Map.of("command", "hb_standby all"));
        long answer = add(1020, "message", "n2", Map.of("type", "ask_resources", "info", "other", "after", Long.toString(op)));
        add(1020, "group", "g", Map.of("from", "running", "to", "stopping", "after", Long.toString(answer)));
        long asked = add(2000, "message", "n2", Map.of("type", "ask_resources", "info", "other"));
        add(2000, "group", "g", Map.of("from", "stopped", "to", "starting", "after", Long.toString(asked)));
        add(3000, "group", "g", Map.of("from", "running", "to", "stopping"));
        assertThat(t.decisions()).containsEntry(List.of("giveup", "operator_standby"), 1L)
                .containsEntry(List.of("takeover", "peer_standby"), 1L).containsEntry(List.of("giveup", "other"), 1L);
    }

    @Test
    void a_monitor_failure_counts_only_while_the_group_runs() {
        Map<String, String> failed = Map.of("group", "g", "resource", "apache2", "action", "status", "result", "not_running", "started", "1");
        add(1000, "op", "g/apache2", failed); // the start-up probe of a stopped group
        add(1100, "group", "g", Map.of("from", "starting", "to", "running"));
        long check = add(2000, "op", "g/apache2", failed);
        add(2000, "group", "g", Map.of("from", "running", "to", "restarting", "after", Long.toString(check)));
        assertThat(t.monitorFailures()).containsExactly(Map.entry(List.of("g", "apache2"), 1L));
        assertThat(t.decisions()).containsExactly(Map.entry(List.of("restart", "monitor"), 1L));
        assertThat(t.entries()).containsEntry("op", 2L).containsEntry("group", 2L);
    }

    @Test
    void operations_by_agent_and_tables_bounded() {
        t.operation("IPaddr::192.0.2.1/24/eth0", "start", "ok", 40);
        t.operation("IPaddr::192.0.2.2", "start", "ok", 60);
        t.operation("apache2", "status", "running", 5);
        assertThat(t.operations()).containsOnlyKeys(List.of("IPaddr", "start", "ok"), List.of("apache2", "status", "running"));
        assertThat(t.operations().get(List.of("IPaddr", "start", "ok")).count()).isEqualTo(2);
        Tallies copy = t.copy();
        t.operation("apache2", "status", "running", 5);
        assertThat(copy.operations().get(List.of("apache2", "status", "running")).count()).as("the copy is its own").isEqualTo(1);
        for (int i = 0; i < Tallies.MAX_KEYS + 10; i++) {
            t.operation("agent" + i + "::x", "start", "ok", 1);
        }
        assertThat(t.operations()).hasSize(Tallies.MAX_KEYS + 1).containsKey(List.of("other", "other", "other"));
    }
}
