package io.tandem.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArpProbeCfTest {
    @Test
    void an_empty_file_gives_the_defaults_and_each_directive_its_value() {
        assertThat(ArpProbeCf.parse("f", "# nothing\n")).isEqualTo(ArpProbeCf.DEFAULTS);
        assertThat(ArpProbeCf.parse("f", "probe_count 2\nprobe_interval 50ms\nprobe_window 1\n"))
                .isEqualTo(new ArpProbeCf(true, 2, 50, 1_000));
        assertThat(ArpProbeCf.parse("f", "probe off\n").enabled()).isFalse();
    }

    @Test
    void bad_values_name_the_file_and_line() {
        assertThatThrownBy(() -> ArpProbeCf.parse("/etc/ha.d/tandem-arp.cf", "\nprobe_count 11\n"))
                .hasMessage("/etc/ha.d/tandem-arp.cf:2: 'probe_count' takes a number from 1 to 10");
        assertThatThrownBy(() -> ArpProbeCf.parse("f", "probe maybe\n")).hasMessage("f:1: 'probe' takes on or off");
        assertThatThrownBy(() -> ArpProbeCf.parse("f", "probe_interval 5ms\n")).hasMessageStartingWith("f:1: 'probe_interval' takes a time");
        assertThatThrownBy(() -> ArpProbeCf.parse("f", "probe_count 3\nprobe_interval 200ms\nprobe_window 300ms\n"))
                .hasMessage("f:3: probe_window 300 ms is shorter than the 3 probes 200 ms apart");
        assertThatThrownBy(() -> ArpProbeCf.parse("f", "arping yes\n")).hasMessageStartingWith("f:1: unknown directive 'arping'");
    }
}
