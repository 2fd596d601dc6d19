package io.tandem.daemon.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.daemon.process.RespawnRule.Action;
import org.junit.jupiter.api.Test;

/** heartbeat's respawn rule: exit 100 and shutdown stop it, eleven short runs in a row are too fast. */
class RespawnRuleTest {
    @Test
    void a_client_that_ran_long_is_restarted_at_once_and_its_count_reset() {
        RespawnRule.Decision d = RespawnRule.onExit(1, 60_000, 7, false);
        assertThat(d).isEqualTo(new RespawnRule.Decision(Action.RESTART, 0, 0));
    }

    @Test
    void short_runs_are_counted_and_restarted_after_a_pause_until_the_eleventh() {
        int count = 0;
        for (int run = 1; run <= 10; run++) {
            RespawnRule.Decision d = RespawnRule.onExit(0, 500, count, false);
            assertThat(d.action()).as("run %d", run).isEqualTo(Action.RESTART);
            assertThat(d.delayMs()).isEqualTo(RespawnRule.SHORT_RUN_PAUSE_MS);
            count = d.shortRuns();
        }
        assertThat(count).isEqualTo(10);
        RespawnRule.Decision eleventh = RespawnRule.onExit(0, 500, count, false);
        assertThat(eleventh.action()).isEqualTo(Action.TOO_FAST);
        assertThat(eleventh.shortRuns()).isZero();
    }

    @Test
    void the_boundary_of_a_short_run_is_thirty_seconds() {
        assertThat(RespawnRule.onExit(1, RespawnRule.SHORT_RUN_MS - 1, 0, false).shortRuns()).isEqualTo(1);
        assertThat(RespawnRule.onExit(1, RespawnRule.SHORT_RUN_MS, 3, false).shortRuns()).isZero();
    }

    @Test
    void exit_100_and_shutdown_are_not_restarted() {
        assertThat(RespawnRule.onExit(100, 500, 0, false).action()).isEqualTo(Action.EXITED_100);
        assertThat(RespawnRule.onExit(1, 500, 0, true).action()).isEqualTo(Action.SHUTTING_DOWN);
        assertThat(RespawnRule.onExit(100, 500, 0, true).action()).isEqualTo(Action.SHUTTING_DOWN);
    }
}
