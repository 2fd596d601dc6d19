package io.tandem.daemon.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The peer's history as its API sends it: parsed as hostile input, merged with this node's by time. */
class PeerViewTest {
    private static StoredEvent e(String node, long time, long seq, String kind, String subject) {
        return new StoredEvent(time, node, 7, seq, kind, subject, "cause " + seq, Map.of("k", "v" + seq));
    }

    @Test
    void the_apis_own_json_reads_back_marked_with_the_configured_peer_whatever_it_calls_itself() {
        List<StoredEvent> sent = List.of(e("n2", 200, 2, "group", "G"), e("n2", 100, 1, "operator", "local"),
                new StoredEvent(300, "n1", 7, 3, "node-dead", "n1", "silent", Map.of("lastHeard", "12; rm", "started", "250", "link", "eth1")));
        PeerView p = PeerView.parse("n2", EventText.json(sent));
        assertThat(p.reachable()).isTrue();
        assertThat(p.events()).extracting(StoredEvent::node).containsOnly("n2"); // the third says n1: not trusted
        assertThat(p.events()).extracting(StoredEvent::time).containsExactly(100L, 200L, 300L);
        assertThat(p.events().get(1)).isEqualTo(sent.get(0));
        assertThat(p.events().get(2).fields()).containsEntry("lastHeard", "").containsEntry("started", "250").containsEntry("link", "eth1");
        assertThat(JsonRead.parse("{\"p\":" + p.json() + "}")).isEqualTo(Map.of("p", Map.of("node", "n2", "reachable", true)));
    }

    @Test
    void garbage_deep_nesting_and_too_many_entries_are_refused_with_a_reason() {
        for (String bad : List.of("", "<html>", "{\"events\":{}}", "{\"events\":[1]}", "{\"events\":[{\"epochMs\":\"x\",\"fields\":{}}]}",
                "{\"events\":[]} x", "{\"events\":[\"\\u12\"]}", "[".repeat(100_000), "{\"a\":" + "[".repeat(20) + "]".repeat(20) + "}")) {
            assertThatThrownBy(() -> PeerView.parse("n2", bad)).as(bad.length() > 40 ? bad.substring(0, 40) : bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("<html>");
        }
        StringBuilder many = new StringBuilder("{\"events\":[");
        for (int i = 0; i <= PeerView.MAX_ENTRIES; i++) {
            many.append(i == 0 ? "" : ",").append("{\"epochMs\":1,\"fields\":{}}");
        }
        assertThatThrownBy(() -> PeerView.parse("n2", many + "]}")).hasMessage("more than " + PeerView.MAX_ENTRIES + " entries");
        String huge = "x".repeat(10_000);
        PeerView p = PeerView.parse("n2", "{\"events\":[{\"epochMs\":5,\"kind\":\"" + huge + "\",\"cause\":\"a\\u001b[31mb\",\"fields\":{\"" + huge
                + "\":\"" + huge + "\"}}]}");
        StoredEvent only = p.events().get(0);
        assertThat(only.kind()).hasSize(PeerView.MAX_TEXT);
        assertThat(only.fields().keySet().iterator().next()).hasSize(PeerView.MAX_TEXT);
        assertThat(EventText.human(p.events())).doesNotContain("\u001b");
    }

    @Test
    void merge_orders_by_time_marks_each_node_and_drops_duplicates() {
        List<StoredEvent> local = List.of(e("n1", 100, 1, "operator", "local"), e("n1", 300, 2, "group", "G"));
        StoredEvent twin = e("n2", 200, 9, "group", "G");
        PeerView p = new PeerView("n2", List.of(e("n2", 50, 8, "message", "n1"), twin, twin, e("n2", 300, 10, "op", "G/r"),
                new StoredEvent(100, "n2", 7, 1, "operator", "local", "cause 1", Map.of())), null); // the last: n1's own entry come back
        List<StoredEvent> merged = p.merge(local);
        assertThat(merged).extracting(x -> x.node() + "@" + x.time() + "#" + x.seq())
                .containsExactly("n2@50#8", "n1@100#1", "n2@200#9", "n1@300#2", "n2@300#10");
        assertThat(PeerView.unreachable("n2", "connect timed out").merge(local)).isEqualTo(local);
        assertThat(PeerView.unreachable("n2", "connect timed out").note())
                .isEqualTo("peer n2 not reachable: connect timed out; this node's view only");
        assertThat(PeerView.unreachable("n2", "bad\nline\u001b").note()).doesNotContain("\n").doesNotContain("\u001b");
    }
}
