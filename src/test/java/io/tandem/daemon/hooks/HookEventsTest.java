package io.tandem.daemon.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.daemon.history.StoredEvent;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which history entries are hook events, and what each carries. */
class HookEventsTest {
    private final HookEvents events = new HookEvents();
    private long seq;

    @Test
    void group_changes_become_acquired_released_and_failed() {
        assertThat(group("stopped", "starting")).isEmpty();
        assertThat(group("starting", "running")).get().satisfies(h -> {
            assertThat(h.event()).isEqualTo("group-acquired");
            assertThat(h.group()).isEqualTo("g");
            assertThat(h.state()).isEqualTo("running");
            assertThat(h.cause()).isEqualTo("because");
        });
        assertThat(group("restarting", "running")).isEmpty();
        assertThat(group("stopping", "stopped")).get().extracting(HookEvent::event).isEqualTo("group-released");
        for (String failed : new String[] {"start failed", "stop failed", "failed", "address in use"}) {
            assertThat(group("starting", failed)).get().extracting(HookEvent::event).isEqualTo("group-failed");
        }
    }

    @Test
    void a_node_is_back_only_after_it_was_dead() {
        assertThat(entry("node-up", "node2", "status active", Map.of())).isEmpty();
        assertThat(entry("node-dead", "node2", "silent 3001 ms", Map.of())).get().satisfies(h -> {
            assertThat(h.event()).isEqualTo("node-dead");
            assertThat(h.peer()).isEqualTo("node2");
            assertThat(h.subject()).isEqualTo("node2");
        });
        assertThat(entry("node-up", "node2", "status up", Map.of())).get().extracting(HookEvent::event).isEqualTo("node-back");
        assertThat(entry("node-up", "node2", "status active", Map.of())).isEmpty();
    }

    @Test
    void the_address_guard_and_the_healing_release_are_split_brain() {
        assertThat(entry("address-in-use", "g/IPaddr::192.0.2.1", "answered by 52:54:00:00:00:01", Map.of("mac", "52:54:00:00:00:01")))
                .get().satisfies(h -> {
                    assertThat(h.event()).isEqualTo("split-brain");
                    assertThat(h.subject()).isEqualTo("g/IPaddr::192.0.2.1");
                    assertThat(h.cause()).isEqualTo("address-in-use: answered by 52:54:00:00:00:01");
                });
        assertThat(entry("address-conflict", "IPaddr::192.0.2.1", "192.0.2.1 claimed by 52:54:00:00:00:02", Map.of()))
                .get().extracting(HookEvent::event).isEqualTo("split-brain");
        assertThat(entry("notice", "heartbeat", "Releasing [foreign] on this node: both nodes hold them; their home node keeps them,"
                + " giving up the address first.", Map.of("level", "crit"))).get().extracting(HookEvent::event).isEqualTo("split-brain");
        assertThat(entry("notice", "heartbeat", "No STONITH device configured.", Map.of("level", "warn"))).isEmpty();
        assertThat(entry("op", "g/r", "start ok", Map.of())).isEmpty();
    }

    private Optional<HookEvent> group(String from, String to) {
        return entry("group", "g", "because", Map.of("from", from, "to", to));
    }

    private Optional<HookEvent> entry(String kind, String subject, String cause, Map<String, String> fields) {
        return events.of(new StoredEvent(1000, "node1", 7, ++seq, kind, subject, cause, fields));
    }
}
