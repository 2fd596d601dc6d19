package io.tandem.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** {@link FreezeWatch}: lateness from the deadline asked for, judged against keepalive and deadtime. */
class FreezeWatchTest {

    @Test
    void an_event_before_or_at_the_deadline_is_not_late() {
        FreezeWatch w = new FreezeWatch();
        assertThat(w.lateness(5_000)).as("nothing asked yet").isZero();
        w.asked(1_000, OptionalLong.of(1_100));
        assertThat(w.lateness(1_050)).isZero();
        assertThat(w.lateness(1_100)).isZero();
        assertThat(w.lateness(1_130)).isEqualTo(30);
    }

    @Test
    void the_events_that_waited_through_one_freeze_are_late_once() {
        FreezeWatch w = new FreezeWatch();
        w.asked(1_000, OptionalLong.of(1_100));
        assertThat(w.lateness(7_100)).isEqualTo(6_000);
        // the core still wants to be woken at once (its deadline passed): counted from this event
        w.asked(7_100, OptionalLong.of(1_100));
        assertThat(w.lateness(7_100)).isZero();
        assertThat(w.lateness(7_105)).isEqualTo(5);
    }

    @Test
    void no_deadline_means_no_lateness() {
        FreezeWatch w = new FreezeWatch();
        w.asked(1_000, OptionalLong.empty());
        assertThat(w.lateness(100_000)).isZero();
    }

    @Test
    void lateness_is_judged_against_keepalive_and_deadtime() {
        assertThat(FreezeWatch.judge(150, 200, 2_000)).isEqualTo(FreezeWatch.Kind.NONE);
        assertThat(FreezeWatch.judge(201, 200, 2_000)).isEqualTo(FreezeWatch.Kind.LATE);
        assertThat(FreezeWatch.judge(1_000, 200, 2_000)).isEqualTo(FreezeWatch.Kind.FROZEN);
        assertThat(FreezeWatch.judge(2_000, 200, 2_000)).isEqualTo(FreezeWatch.Kind.FROZEN_PAST_DEADTIME);
    }
}
