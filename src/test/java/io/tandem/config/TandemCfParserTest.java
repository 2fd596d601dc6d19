package io.tandem.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tandem's own settings file, tandem.cf (docs/configuration.md). */
class TandemCfParserTest {
    static final String F = "/etc/ha.d/tandem.cf";

    @Test
    void an_empty_file_gives_the_defaults() {
        TandemCf t = TandemCfParser.parse(F, "# nothing here\n\n");
        assertThat(t.settings()).isEqualTo(TandemCf.DEFAULTS.settings());
        assertThat(t.pingTiebreak()).isTrue();
        assertThat(t.stonithFailureTakeover()).isFalse();
        assertThat(t.fenceDelayMs()).isEqualTo(10_000);
        assertThat(t.stonithCheckMs()).isEqualTo(60_000);
    }

    @Test
    void every_setting_in_ha_cf_style() {
        TandemCf t = TandemCfParser.parse(F, "ping_tiebreak off   # ipfail's job, off\n\tstonith_failure_takeover  yes\n"
                + "fence_delay 2.5\nstonith_check_interval 5\n");
        assertThat(t.pingTiebreak()).isFalse();
        assertThat(t.stonithFailureTakeover()).isTrue();
        assertThat(t.fenceDelayMs()).isEqualTo(2_500);
        assertThat(t.stonithCheckMs()).isEqualTo(5_000);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "fence_delay 0|0",
        "fence_delay 10s|10000",
        "fence_delay 750ms|750",
        "fence_delay 5min|300000",
        "stonith_check_interval 0|0",
        "stonith_check_interval 2min|120000",
        "stonith_check_interval 30|30000",
    })
    void times(String line, long ms) {
        TandemCf t = TandemCfParser.parse(F, line + "\n");
        assertThat(line.startsWith("fence") ? t.fenceDelayMs() : t.stonithCheckMs()).isEqualTo(ms);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ping_tiebreak sometimes|2: Invalid ping_tiebreak value [sometimes]",
        "stonith_failure_takeover|2: 'stonith_failure_takeover' takes one value",
        "fence_delay 10 s|2: 'fence_delay' takes one value",
        "fence_delay 6min|2: Invalid fence_delay [6min]: a time from 0 to 5 min",
        "fence_delay -1|2: Invalid fence_delay [-1]",
        "fence_delay 2h|2: Invalid fence_delay [2h]",
        "stonith_check_interval 200ms|2: Invalid stonith_check_interval [200ms]: a time from 0 (off) or 1 s to 24 h",
        "deadtime 10|2: unknown directive 'deadtime' (known: ping_tiebreak, stonith_failure_takeover, fence_delay, stonith_check_interval, log_ident, http_listen, http_token_file, http_tls_cert, http_tls_key, notify, notify_dir, notify_timeout, http_peer, http_peer_ca, resource)",
        "stonith_host * null a|2: unknown directive 'stonith_host'",
    })
    void errors_name_file_and_line(String line, String message) {
        assertThatThrownBy(() -> TandemCfParser.parse(F, "# Tandem\n" + line + "\n")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(F + ":" + message);
    }

    @Test
    void a_setting_given_twice_is_an_error() {
        assertThatThrownBy(() -> TandemCfParser.parse(F, "fence_delay 1\nping_tiebreak on\nfence_delay 2\n"))
                .hasMessage(F + ":3: 'fence_delay' given twice (first on line 1)");
    }

    @Test
    void the_directory_reads_it_when_present(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("ha.cf"), "bcast lo\nnode n1\nnode n2\nping 192.0.2.254\n");
        Path keys = dir.resolve("authkeys");
        Files.writeString(keys, "auth 1\n1 sha1 k\n");
        Files.setPosixFilePermissions(keys, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.writeString(dir.resolve("haresources"), "n1 192.0.2.1\n");
        assertThat(ConfigDirectory.load(dir).tandem()).isEqualTo(TandemCf.DEFAULTS);
        assertThat(ConfigDirectory.load(dir).pingTiebreakActive()).isTrue();
        Files.writeString(dir.resolve("tandem.cf"), "ping_tiebreak off\nfence_delay 3\n");
        ClusterConfig c = ConfigDirectory.load(dir);
        assertThat(c.tandem().file()).isEqualTo(dir.resolve("tandem.cf").toString());
        assertThat(c.tandem().fenceDelayMs()).isEqualTo(3_000);
        assertThat(c.pingTiebreakActive()).isFalse();
        Files.writeString(dir.resolve("tandem.cf"), "fence_delay soon\n");
        assertThatThrownBy(() -> ConfigDirectory.load(dir)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(dir.resolve("tandem.cf") + ":1: Invalid fence_delay [soon]");
    }

    @Test
    void log_ident_names_the_daemons_lines_heartbeat_by_default() {
        assertThat(TandemCfParser.parse(F, "").logIdent()).isEqualTo("heartbeat");
        TandemCf t = TandemCfParser.parse(F, "log_ident tandem   # tell Tandem from heartbeat in syslog\n");
        assertThat(t.logIdent()).isEqualTo("tandem");
        assertThat(t.lineOf("log_ident")).isEqualTo(1);
        assertThat(t.settings()).as("a reload does not apply it (restart)").isEqualTo(TandemCf.DEFAULTS.settings());
        assertThatThrownBy(() -> TandemCfParser.parse(F, "\nlog_ident tan:dem\n")).isInstanceOf(ConfigException.class)
                .hasMessage(F + ":2: Invalid log_ident [tan:dem]: 1 to 32 letters, digits, '_', '.' or '-'");
        assertThatThrownBy(() -> TandemCfParser.parse(F, "log_ident\n")).isInstanceOf(ConfigException.class)
                .hasMessage(F + ":1: 'log_ident' takes one value");
    }
}
