package io.tandem.daemon.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code tandem why} over both nodes' histories: the other node's own move before the deciding node's. */
class MergedWhyTest {
    private final List<StoredEvent> n1 = new ArrayList<>();
    private final List<StoredEvent> n2 = new ArrayList<>();

    private static void add(List<StoredEvent> to, String node, long time, long seq, String kind, String subject, String cause, String... f) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < f.length; i += 2) {
            fields.put(f[i], f[i + 1]);
        }
        to.add(new StoredEvent(time, node, node.equals("n1") ? 11 : 22, seq, kind, subject, cause, fields));
    }

    private void standby() {
        add(n1, "n1", 10_000, 5, "operator", "local", "hb_standby all", "user", "root");
        add(n2, "n2", 10_010, 40, "message", "n1", "ask_resources from n1", "type", "ask_resources");
        add(n1, "n1", 10_020, 6, "message", "n2", "ask_resources other from n2", "after", "5");
        add(n1, "n1", 10_021, 7, "group", "G", "message", "from", "running", "to", "stopping", "after", "6");
        add(n1, "n1", 10_300, 8, "op", "G/apache2", "stop ok", "group", "G", "resource", "apache2", "action", "stop", "result", "ok",
                "durationMs", "279");
        add(n1, "n1", 10_400, 9, "group", "G", "op", "from", "stopping", "to", "stopped", "after", "8");
        add(n2, "n2", 10_410, 41, "message", "n1", "resource from n1", "type", "resource");
        add(n2, "n2", 10_411, 42, "group", "G", "message", "from", "stopped", "to", "starting", "after", "41");
        add(n2, "n2", 10_700, 43, "op", "G/apache2", "start ok", "group", "G", "resource", "apache2", "action", "start", "result", "ok",
                "durationMs", "289");
        add(n2, "n2", 10_701, 44, "group", "G", "op", "from", "starting", "to", "running", "after", "43");
    }

    @Test
    void after_a_standby_the_givers_release_comes_before_the_takers_start_on_either_node() {
        standby();
        MergedWhy.Answer onTaker = MergedWhy.of("n2", n2, new PeerView("n1", n1, null), "G").orElseThrow();
        MergedWhy.Answer onGiver = MergedWhy.of("n1", n1, new PeerView("n2", n2, null), "").orElseThrow();
        assertThat(onGiver).isEqualTo(onTaker);
        assertThat(onTaker.group()).isEqualTo("G");
        assertThat(onTaker.steps()).extracting(s -> s.node() + " " + s.link().kind()).containsExactly(
                "n1 operator", "n1 message", "n1 decision", "n1 op", "n1 group", "n2 message", "n2 decision", "n2 op", "n2 group");
        String text = MergedWhy.human(onTaker.steps());
        assertThat(text).startsWith("n1: operator root ran hb_standby all at ")
                .contains("  → n1: give-up of G decided 1 ms later [", "  → n1: apache2 stop 279 ms [", "  → n1: group stopped 379 ms after",
                        "  → n2: resource from n1 at ", "  → n2: takeover of G decided 1 ms later [", "  → n2: group running 290 ms after");
        Object json = JsonRead.parse(MergedWhy.json(onTaker, new PeerView("n1", n1, null)));
        assertThat(json).asString().contains("node=n1, kind=op, text=apache2 stop 279 ms", "peer={node=n1, reachable=true}");
    }

    @Test
    void the_dead_nodes_shutdown_and_failed_stop_come_before_its_death() {
        add(n1, "n1", 5_000, 3, "operator", "local", "stop", "user", "root");
        add(n1, "n1", 5_001, 4, "group", "G", "operator", "from", "running", "to", "stopping", "after", "3");
        add(n1, "n1", 25_001, 5, "op", "G/apache2", "stop failed", "group", "G", "resource", "apache2", "action", "stop", "result", "failed",
                "durationMs", "20000");
        add(n1, "n1", 25_002, 6, "group", "G", "op", "from", "stopping", "to", "stop failed", "after", "5");
        add(n2, "n2", 28_100, 50, "node-dead", "n1", "silent 3000 ms", "lastHeard", "25100", "link", "eth1", "deadtimeMs", "3000");
        add(n2, "n2", 28_101, 51, "group", "G", "node-dead n1", "from", "stopped", "to", "starting", "after", "50");
        add(n2, "n2", 28_400, 52, "group", "G", "op", "from", "starting", "to", "running");
        MergedWhy.Answer a = MergedWhy.of("n2", n2, new PeerView("n1", n1, null), "G").orElseThrow();
        assertThat(a.steps()).extracting(s -> s.node() + " " + s.link().kind() + " " + s.link().text().replaceAll(" at .*", ""))
                .containsExactly("n1 operator operator root ran stop", "n1 decision give-up of G decided 1 ms later",
                        "n1 op apache2 stop 20000 ms (failed)", "n1 group group stop failed 20001 ms after the decision",
                        "n2 node-dead n1 declared dead", "n2 decision takeover of G decided 1 ms later",
                        "n2 group group running 299 ms after the decision");
    }

    @Test
    void an_old_or_earlier_move_of_the_other_node_is_left_out_and_an_unreachable_peer_gives_the_local_chain() {
        add(n1, "n1", 1_000, 1, "group", "G", "start", "from", "stopped", "to", "starting");
        add(n1, "n1", 1_100, 2, "group", "G", "op", "from", "starting", "to", "running");
        add(n2, "n2", 1_000 + MergedWhy.WINDOW_MS + 5_000, 7, "node-dead", "n1", "silent 3000 ms", "deadtimeMs", "3000");
        add(n2, "n2", 1_000 + MergedWhy.WINDOW_MS + 5_001, 8, "group", "G", "node-dead n1", "from", "stopped", "to", "starting", "after", "7");
        MergedWhy.Answer a = MergedWhy.of("n2", n2, new PeerView("n1", n1, null), "G").orElseThrow();
        assertThat(a.steps()).extracting(MergedWhy.Step::node).containsOnly("n2");
        assertThat(MergedWhy.of("n2", n2, PeerView.unreachable("n1", "connection refused"), "G").orElseThrow().steps())
                .extracting(MergedWhy.Step::link).isEqualTo(WhyChain.of(n2, "G").orElseThrow());
        assertThat(MergedWhy.of("n2", n2, new PeerView("n1", n1, null), "nosuch")).isEmpty();
    }
}
