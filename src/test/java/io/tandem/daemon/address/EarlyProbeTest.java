package io.tandem.daemon.address;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When a probe begun at a takeover's status may stand for the start's own (ArpGuard.probeEarly / probe). */
class EarlyProbeTest {
    private static final long MS = 1_000_000;

    @Test
    void fresh_for_the_window_and_the_slack_after_it_began() {
        assertThat(ArpGuard.fresh(0, 300)).isTrue();
        assertThat(ArpGuard.fresh(500 * MS, 300)).isTrue();
        assertThat(ArpGuard.fresh(501 * MS, 300)).isFalse();
        assertThat(ArpGuard.fresh(231 * MS, 30)).as("a short window, a short freshness").isFalse();
        assertThat(ArpGuard.fresh(-1, 300)).isFalse();
    }

    @Test
    void an_answer_is_never_taken_from_an_early_probe_silence_is() {
        assertThat(ArpGuard.standsForStart(new ArpGuard.ProbeResult.InUse(null, "02:00:00:00:00:01"))).isFalse();
        assertThat(ArpGuard.standsForStart(new ArpGuard.ProbeResult.Free())).isTrue();
        assertThat(ArpGuard.standsForStart(new ArpGuard.ProbeResult.NotProbed("no CAP_NET_RAW"))).isTrue();
    }
}
