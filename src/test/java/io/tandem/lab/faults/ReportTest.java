package io.tandem.lab.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The campaign's table: counts, worst and median unavailability, dual-VIP seconds and violations per fault kind. */
class ReportTest {
    private static Outcome outcome(int i, FaultKind kind, long unavailable, long dual, long dualTalking, long back, String... violations) {
        return new Outcome(i, kind, "desc " + i, unavailable, dual, dualTalking, back, List.of(violations), 1, "    +1.000s trace " + i + "\n");
    }

    @Test
    void the_table_has_one_row_per_kind_with_worst_and_median_and_lists_each_violation_with_its_trace() {
        List<Outcome> outcomes = List.of(
                outcome(1, FaultKind.STANDBY, 1_000, 0, 0, 500),
                outcome(2, FaultKind.STANDBY, 3_000, 0, 0, 700),
                outcome(3, FaultKind.STANDBY, 2_000, 0, 0, 600),
                outcome(4, FaultKind.ALL_LINKS_CUT, 0, 6_000, 1_500, 100, "VIP on both nodes for 1500 ms while they could talk"),
                outcome(5, FaultKind.APACHE_KILL, 40_000, 0, 0, -1, "not settled"));
        Report r = new Report(Mode.HEARTBEAT, 7, 6, outcomes, List.of(), new Limits(1_000, 250, 250, 250, 250), 1, List.of(50L, 52L, 60L), 99);
        String table = r.table();
        assertThat(table).contains("mode HEARTBEAT, seed 7: 5 of 6 faults in 99 s; 1 resets");
        assertThat(table).contains("| hb_standby on the holder | 3 | 3.0 | 2.0 | 0.7 | 0.0 | 0.0 | 0 | 3 |");
        assertThat(table).contains("| all links cut and healed | 1 | 0.0 | 0.0 | 0.1 | 6.0 | 1.5 | 1 | 1 |");
        assertThat(table).contains("| apache2 SIGKILL | 1 | 40.0 | 40.0 | never | 0.0 | 0.0 | 1 | 1 |");
        assertThat(table).contains("| **all** | 5 | | | | 6.0 | 1.5 | 2 | 5 |");
        assertThat(table).contains("service bound = initdead 8000 + deadtime 4000 + 2 x 1000 + allowance 10000 = 24000 ms");
        assertThat(r.violations()).containsExactly("fault 4 (ALL_LINKS_CUT): VIP on both nodes for 1500 ms while they could talk",
                "fault 5 (APACHE_KILL): not settled");
        assertThat(r.full()).contains("2 violations:").contains("### fault 4 (ALL_LINKS_CUT): desc 4").contains("trace 4")
                .doesNotContain("### fault 1 ");
    }
}
