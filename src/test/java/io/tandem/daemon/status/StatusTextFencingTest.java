package io.tandem.daemon.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatusTextFencingTest {
    static ClusterStatus with(ClusterStatus.Fencing f) {
        ClusterStatus s = ClStatusTest.S;
        return new ClusterStatus(s.localNode(), s.localStatus(), s.generation(), s.startedAtMillis(), s.nowMillis(), s.version(),
                s.rscStatus(), s.nodes(), s.groups(), s.parameters(), s.rejected(), f);
    }

    @Test
    void without_a_device_the_status_says_so() {
        assertThat(StatusText.human(ClStatusTest.S)).contains("\nFencing: none (no stonith or stonith_host line for this node)\n");
        assertThat(StatusText.json(ClStatusTest.S)).contains("\"fencing\":{\"device\":null,\"failure_takeover\":false,\"pending\":[]}");
    }

    @Test
    void a_failed_fence_is_shown_with_its_reason_and_the_next_try() {
        ClusterStatus s = with(new ClusterStatus.Fencing("external/ipmi", false, List.of(
                new ClusterStatus.Fence("node2", 3, "PDU \"a\" unreachable", false, 20_000, "fencing node2 failed: PDU \"a\" unreachable"))));
        assertThat(StatusText.human(s)).contains("\nFencing: external/ipmi\n"
                + "  fencing node2 failed: PDU \"a\" unreachable (3 failures, next try in 20s)\n");
        assertThat(StatusText.json(s)).contains("\"fencing\":{\"device\":\"external/ipmi\",\"failure_takeover\":false,\"pending\":"
                + "[{\"node\":\"node2\",\"failures\":3,\"last_failure\":\"PDU \\\"a\\\" unreachable\",\"running\":false,"
                + "\"next_try_in_ms\":20000,\"text\":\"fencing node2 failed: PDU \\\"a\\\" unreachable\"}]}");
    }

    @Test
    void a_first_attempt_running_and_the_unsafe_option_are_shown() {
        ClusterStatus s = with(new ClusterStatus.Fencing("null", true, List.of(new ClusterStatus.Fence("node2", 0, "", true, -1, "fencing node2"))));
        assertThat(StatusText.human(s)).contains("Fencing: null (stonith_failure_takeover: takes over even when fencing fails)\n"
                + "  fencing node2 (running)\n");
    }

    @Test
    void a_failing_device_check_is_shown_with_its_reason() {
        ClusterStatus s = with(new ClusterStatus.Fencing("external/ipmi", false, List.of(), new ClusterStatus.DeviceCheck("failed",
                "stonith -t external/ipmi -S exited with status 1", 4_000, 60_000,
                "fencing device external/ipmi: status failed: stonith -t external/ipmi -S exited with status 1")));
        assertThat(StatusText.human(s)).contains("\nFencing: external/ipmi\n  fencing device external/ipmi: status failed: stonith -t"
                + " external/ipmi -S exited with status 1 (checked every 1m0s, last 4s ago)\n");
        assertThat(StatusText.json(s)).contains("\"pending\":[],\"check\":{\"health\":\"failed\",\"reason\":\"stonith -t external/ipmi"
                + " -S exited with status 1\",\"last_check_ago_ms\":4000,\"interval_ms\":60000,\"text\":\"fencing device external/ipmi:"
                + " status failed: stonith -t external/ipmi -S exited with status 1\"}}");
    }
}
