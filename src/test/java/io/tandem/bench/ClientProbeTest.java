package io.tandem.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientProbeTest {
    /** A line as the probe's shell prints it: microseconds of EPOCHREALTIME, then the page (empty: the fetch failed). */
    private static String line(long millis, String page) {
        return "served " + millis * 1000 + " " + page;
    }

    @Test
    void the_gap_counts_from_the_last_page_before_the_window_and_ignores_failed_fetches() {
        List<String> lines = List.of(line(980, "node1"), line(1000, "node1"), line(1030, ""), line(1060, ""), line(1200, "node2"),
                line(1220, "node2"), line(1240, "node2"));
        assertThat(ClientProbe.longestGap(lines, 1010, 2000)).isEqualTo(200);
    }

    @Test
    void fetches_finishing_out_of_order_are_sorted_and_the_window_end_cuts() {
        List<String> lines = List.of(line(1000, "node1"), line(1100, "node2"), line(1050, "node1"), line(1500, "node2"));
        assertThat(ClientProbe.longestGap(lines, 1000, 1200)).isEqualTo(50);
        assertThat(ClientProbe.longestGap(lines, 1000, 1500)).isEqualTo(400);
    }

    @Test
    void nothing_served_in_the_window_is_minus_one() {
        assertThat(ClientProbe.longestGap(List.of(line(1000, "node1"), line(1100, "")), 1050, 2000)).isEqualTo(-1);
        assertThat(ClientProbe.longestGap(List.of("garbage", "served x node1"), 0, 2000)).isEqualTo(-1);
    }
}
