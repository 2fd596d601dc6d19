package io.tandem.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The random-schedule campaign of docs/simulation.md: {@link Campaign#SEEDS} seeds for 2 and for 3
 * nodes. A failure names the seed; {@code bench/simulate --seed S --nodes N} replays it.
 */
class ClusterCampaignTest {

    @Test
    void random_schedules_keep_the_invariants() {
        long started = System.nanoTime();
        long simulated = 0;
        int runs = 0;
        for (long seed = 1; seed <= Campaign.SEEDS; seed++) {
            for (int nodes = 2; nodes <= 3; nodes++) {
                simulated += Schedules.run(seed, nodes, Campaign.STEPS).simulatedMs();
                runs++;
            }
        }
        System.out.printf(Locale.ROOT, "%d schedules, %.1f simulated hours in %.1f s%n", runs, simulated / 3.6e6,
                (System.nanoTime() - started) / 1e9);
        assertThat(runs).isGreaterThanOrEqualTo(2_000);
    }

    @Test
    void one_seed_is_one_run() {
        for (int nodes = 2; nodes <= 3; nodes++) {
            Schedules.Outcome a = Schedules.run(4242, nodes, Campaign.STEPS);
            Schedules.Outcome b = Schedules.run(4242, nodes, Campaign.STEPS);
            assertThat(b.events()).isEqualTo(a.events());
            assertThat(b.simulatedMs()).isEqualTo(a.simulatedMs());
            assertThat(b.trace()).isEqualTo(a.trace());
        }
    }
}
