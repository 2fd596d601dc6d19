package io.tandem.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HeartbeatReadingsTest {
    private static final String METRICS = """
            # HELP tandem_link_heartbeat_age_seconds Seconds since the last packet from the node arrived on the link (links heard since the start).
            # TYPE tandem_link_heartbeat_age_seconds gauge
            tandem_link_heartbeat_age_seconds{node="node2",link="eth1"} 0.081
            # HELP tandem_heartbeats_late_total Status messages from the node that came later than warntime.
            # TYPE tandem_heartbeats_late_total counter
            tandem_heartbeats_late_total{node="node2"} 3
            tandem_heartbeats_late_total{node="node3"} 4
            # HELP tandem_heartbeats_lost_total Messages of the node never received (gaps in its sequence numbers).
            # TYPE tandem_heartbeats_lost_total counter
            tandem_heartbeats_lost_total{node="node2"} 0
            tandem_heartbeats_lost_total_other{node="node2"} 99
            """;

    @Test
    void countersAddUpTheirPeersSamplesAndNothingElse() {
        assertThat(HeartbeatReadings.counter(METRICS, HeartbeatReadings.LATE)).isEqualTo(7);
        assertThat(HeartbeatReadings.counter(METRICS, HeartbeatReadings.LOST)).isZero();
    }

    @Test
    void aCounterWithoutSamplesIsMinusOne() {
        assertThat(HeartbeatReadings.counter("# TYPE tandem_heartbeats_late_total counter\n", HeartbeatReadings.LATE)).isEqualTo(-1);
        assertThat(HeartbeatReadings.counter("", HeartbeatReadings.LOST)).isEqualTo(-1);
    }

    @Test
    void theWorstAgeIsTheOldestPeerLinkAndOwnLinksHaveNone() {
        String status = """
                {"node":"node1","nodes":[{"name":"node1","links":[{"name":"eth1","status":"up","heartbeat_age_ms":null}]},\
                {"name":"node2","links":[{"name":"eth0","status":"up","heartbeat_age_ms":142},{"name":"eth1","status":"up","heartbeat_age_ms":1730}]}]}""";
        assertThat(HeartbeatReadings.worstAgeMs(status)).isEqualTo(1730);
        assertThat(HeartbeatReadings.worstAgeMs("{\"nodes\":[{\"links\":[{\"heartbeat_age_ms\":null}]}]}")).isEqualTo(-1);
    }

    @Test
    void aWindowSurvivesItsOwnLine() {
        var w = new HeartbeatReadings.Window(2, 5, 480, 179, 1);
        assertThat(w.line()).isEqualTo("late=2 lost=5 worstAgeMs=480 samples=179 failed=1");
        assertThat(HeartbeatReadings.Window.parse(w.line())).isEqualTo(w);
        assertThat(HeartbeatReadings.Window.parse("late=0 lost=0 worstAgeMs=-1 samples=0 failed=3"))
                .isEqualTo(new HeartbeatReadings.Window(0, 0, -1, 0, 3));
    }

    @Test
    void aWindowLineWithoutAFieldIsRefusedByName() {
        assertThatThrownBy(() -> HeartbeatReadings.Window.parse("late=0 lost=0 samples=3 failed=0")).hasMessageContaining("worstAgeMs");
        assertThatThrownBy(() -> HeartbeatReadings.Window.parse("xlate=1 lost=0 worstAgeMs=1 samples=3 failed=0")).hasMessageContaining("late");
    }
}
