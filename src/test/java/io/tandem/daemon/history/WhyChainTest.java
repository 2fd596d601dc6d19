package io.tandem.daemon.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code tandem why}: the chain from a recorded history. */
class WhyChainTest {
    private final List<StoredEvent> events = new ArrayList<>();

    private void add(long time, long seq, String kind, String subject, String cause, String... fields) {
        Map<String, String> f = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            f.put(fields[i], fields[i + 1]);
        }
        events.add(new StoredEvent(time, "node2", 5, seq, kind, subject, cause, f));
    }

    @Test
    void a_takeover_after_a_death_reads_from_the_death_to_the_running_group() {
        add(1000, 1, "group", "IPaddr::10.0.0.1", "start", "from", "stopped", "to", "starting", "after", "");
        add(15_200, 2, "link-dead", "node1:eth1", "silent 15100 ms");
        add(15_200, 3, "node-dead", "node1", "silent 15100 ms", "lastHeard", "100", "link", "eth1", "silentMs", "15100", "deadtimeMs", "15000");
        add(15_201, 31, "notice", "heartbeat", "No STONITH device configured.", "level", "warn");
        add(15_201, 32, "notice", "heartbeat", "Releasing [x] on this node: held twice", "level", "crit");
        add(15_202, 4, "group", "IPaddr::10.0.0.1", "node-dead node1", "from", "stopped", "to", "starting", "after", "3");
        add(15_213, 5, "op", "IPaddr::10.0.0.1/IPaddr::10.0.0.1", "start ok", "group", "IPaddr::10.0.0.1", "resource", "IPaddr::10.0.0.1",
                "action", "start", "result", "ok", "durationMs", "11");
        add(15_300, 6, "op", "other/x", "start ok", "group", "other", "resource", "x", "action", "start", "result", "ok", "durationMs", "5");
        add(15_511, 7, "op", "IPaddr::10.0.0.1/apache2", "start ok", "group", "IPaddr::10.0.0.1", "resource", "apache2",
                "action", "start", "result", "failed", "durationMs", "298");
        add(15_514, 8, "group", "IPaddr::10.0.0.1", "op", "from", "starting", "to", "running", "after", "7");
        add(16_000, 9, "group", "other", "x", "from", "stopped", "to", "starting", "after", "");

        List<WhyChain.Link> chain = WhyChain.of(events, "IPaddr").orElseThrow();
        assertThat(chain).extracting(WhyChain.Link::kind).containsExactly("node-dead", "notice", "decision", "op", "op", "group");
        assertThat(chain.remove(1).text()).isEqualTo("Releasing [x] on this node: held twice");
        assertThat(chain.get(0).text()).startsWith("node1 declared dead at ").contains("(last heartbeat ").contains(" on eth1, deadtime 15000 ms)");
        assertThat(chain.get(1).text()).isEqualTo("takeover of IPaddr::10.0.0.1 decided 2 ms later");
        assertThat(chain.get(2).text()).isEqualTo("IPaddr::10.0.0.1 start 11 ms");
        assertThat(chain.get(3).text()).isEqualTo("apache2 start 298 ms (failed)");
        assertThat(chain.get(4).text()).isEqualTo("group running 312 ms after the decision");
        assertThat(WhyChain.human(chain)).hasLineCount(5).contains("  → takeover of IPaddr::10.0.0.1 decided 2 ms later [");
        assertThat(WhyChain.of(events, "").orElseThrow().get(0).text()).startsWith("takeover of other decided on x");
        assertThat(WhyChain.of(events, "nothing")).isEmpty();
        Object json = JsonRead.parse(WhyChain.json("IPaddr::10.0.0.1", chain));
        assertThat(json).asString().contains("group running 312 ms");
    }

    @Test
    void a_takeover_that_probed_the_address_first_reads_from_the_death_through_the_probe() {
        add(48_877, 1, "node-dead", "node2", "silent 3000 ms, deadtime 3000 ms", "lastHeard", "45877", "link", "eth1", "silentMs", "3000",
                "deadtimeMs", "3000");
        add(49_090, 2, "op", "G/IPaddr::192.0.2.1", "status not_running", "group", "G", "resource", "IPaddr::192.0.2.1", "action", "status",
                "result", "not_running", "durationMs", "213", "after", "1");
        add(49_090, 3, "group", "G", "op G/IPaddr::192.0.2.1 (status not_running)", "from", "stopped", "to", "starting", "after", "2");
        add(49_897, 4, "op", "G/IPaddr::192.0.2.1", "start ok", "group", "G", "resource", "IPaddr::192.0.2.1", "action", "start",
                "result", "ok", "durationMs", "678");
        add(49_898, 5, "group", "G", "op", "from", "starting", "to", "running", "after", "4");

        List<WhyChain.Link> chain = WhyChain.of(events, "G").orElseThrow();
        assertThat(chain).extracting(WhyChain.Link::kind).containsExactly("node-dead", "op", "decision", "op", "group");
        assertThat(chain.get(0).text()).startsWith("node2 declared dead at ");
        assertThat(chain.get(1).text()).startsWith("IPaddr::192.0.2.1 status not_running in 213 ms at ");
        assertThat(chain.get(2).text()).isEqualTo("takeover of G decided 0 ms later");
    }
}
