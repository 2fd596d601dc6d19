package io.tandem.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MonitorCfParserTest {
    static final String F = "/etc/ha.d/tandem-monitor.cf";

    @Test
    void defaults_and_resource_lines_resolve_over_the_built_in_defaults() {
        MonitorCf m = MonitorCfParser.parse(F, "# comment\n\nmonitoring on\ndefaults interval=5s threshold=2  # two strikes\n"
                + "resource apache2 interval=2 timeout=500ms\nresource IPaddr::192.0.2.1/24/eth0 interval=0\n"
                + "resource\tpostgresql failure_timeout=1h threshold=5\n");
        assertThat(m.enabled()).isTrue();
        assertThat(m.defaults()).isEqualTo(new MonitorCf.Settings(5_000, 20_000, 2, 600_000));
        assertThat(m.entries()).extracting(MonitorCf.Entry::name).containsExactly("apache2", "IPaddr::192.0.2.1/24/eth0", "postgresql");
        assertThat(m.entries().get(0).over(m.defaults())).isEqualTo(new MonitorCf.Settings(2_000, 500, 2, 600_000));
        assertThat(m.entries().get(1).over(m.defaults()).intervalMs()).isZero();
        assertThat(m.entries().get(2).over(m.defaults())).isEqualTo(new MonitorCf.Settings(5_000, 20_000, 5, 3_600_000));
        assertThat(m.entries().get(2).line()).isEqualTo(7);
        assertThat(MonitorCfParser.parse(F, "monitoring off\n").enabled()).isFalse();
        assertThat(MonitorCfParser.parse(F, "").defaults()).isEqualTo(MonitorCf.DEFAULTS);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "monitoring maybe|1|'monitoring' takes one word: on or off",
        "monitoring on\\nmonitoring off|2|'monitoring' given twice (first on line 1)",
        "defaults intervall=5s|1|unknown option 'intervall' (interval, timeout, threshold, failure_timeout)",
        "defaults interval=5 s|1|'s' is not option=value (interval, timeout, threshold, failure_timeout)",
        "resource|1|'resource' needs a resource name (as in haresources, or its script name)",
        "resource interval=5s|1|'resource' needs a resource name before the options, not 'interval=5s'",
        "resource a\\nresource a|2|resource a is configured twice",
        "resource a interval=5d|1|interval must be a time such as 10s, 500ms, 10min or 1h, not '5d'",
        "resource a threshold=0|1|threshold must be at least 1",
        "resource a threshold=x|1|threshold must be a whole number of failures, not 'x'",
        "resource a timeout=0|1|timeout must be more than 0",
        "\\n\\nresource a interval=10ms|3|interval 10ms is too short (at least 100ms, or 0 for no checks)",
        "resource a failure_timeout=100000h|1|failure_timeout 100000h is too long (at most 24 days)",
        "interval 5|1|unknown directive 'interval' (monitoring, defaults, resource)",
    })
    void errors_name_file_and_line(String text, int line, String message) {
        assertThatThrownBy(() -> MonitorCfParser.parse(F, text.replace("\\n", "\n"))).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.line()).isEqualTo(line);
            assertThat(e.text()).isEqualTo(message);
            assertThat(e.getMessage()).startsWith(F + ":" + line + ": ");
        });
    }

    @Test
    void the_directory_reads_it_when_present_and_check_warns_about_unknown_names(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("ha.cf"), "bcast lo\nnode n1\nnode n2\n");
        Path keys = dir.resolve("authkeys");
        Files.writeString(keys, "auth 1\n1 sha1 k\n");
        Files.setPosixFilePermissions(keys, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.writeString(dir.resolve("haresources"), "n1 192.0.2.1 apache2\n");
        assertThat(ConfigDirectory.load(dir).monitor()).isEqualTo(MonitorCf.ABSENT);
        Files.writeString(dir.resolve("tandem-monitor.cf"), "resource apache2 interval=3s\nresource IPaddr interval=0\nresource apache interval=1s\n");
        ClusterConfig c = ConfigDirectory.load(dir);
        assertThat(c.monitor().file()).isEqualTo(dir.resolve("tandem-monitor.cf").toString());
        assertThat(Checks.check(c, "n1", new ChecksTest.Host("n1", java.util.Set.of("lo")))).filteredOn(f -> f.file().endsWith("tandem-monitor.cf"))
                .extracting(Finding::line, Finding::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3,
                        "resource apache matches no resource in haresources (give a resource as written there, or its script name)"));
        Files.writeString(dir.resolve("tandem-monitor.cf"), "resource apache2 interval=3x\n");
        assertThatThrownBy(() -> ConfigDirectory.load(dir)).isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("tandem-monitor.cf") + ":1: interval must be a time such as 10s, 500ms, 10min or 1h, not '3x'");
    }
}
