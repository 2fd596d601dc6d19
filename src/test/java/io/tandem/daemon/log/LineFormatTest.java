package io.tandem.daemon.log;

import io.tandem.config.Severity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class LineFormatTest {
    private static final long AT = ZonedDateTime.of(2026, 11, 24, 18, 47, 50, 0, ZoneOffset.UTC).toInstant().toEpochMilli();
    private static final long EARLY = ZonedDateTime.of(2026, 3, 4, 7, 8, 9, 0, ZoneOffset.UTC).toInstant().toEpochMilli();

    @Test
    void syslog_format_matches_a_line_of_the_reference_ha_log() {
        LogRecord r = new LogRecord(AT, Severity.WARN, "heartbeat", 27998, "node orasrv2.xlk.com: is dead");
        assertThat(LineFormat.SYSLOG.format(r, "orasrv1.xlk.com", ZoneOffset.UTC))
                .isEqualTo("Nov 24 18:47:50 orasrv1.xlk.com heartbeat: [27998]: WARN: node orasrv2.xlk.com: is dead");
    }

    @Test
    void script_lines_keep_ha_log_sh_style_next_to_syslog_lines() {
        LogRecord r = new LogRecord(AT, Severity.INFO, "ResourceManager(default)", 28156, "Running /etc/init.d/apache2  start", true);
        assertThat(LineFormat.SYSLOG.format(r, "orasrv1.xlk.com", ZoneOffset.UTC))
                .isEqualTo("2026/11/24_18:47:50  ResourceManager(default)[28156]:    info: Running /etc/init.d/apache2  start");
    }

    @Test
    void syslog_format_pads_day_and_time_with_zeros() {
        LogRecord r = new LogRecord(EARLY, Severity.INFO, "heartbeat", 1, "x");
        assertThat(LineFormat.SYSLOG.format(r, "h", ZoneOffset.UTC)).startsWith("Mar 04 07:08:09 h heartbeat: [1]: info: x");
    }

    @Test
    void classic_format_is_heartbeat_2_1_style() {
        LogRecord r = new LogRecord(AT, Severity.INFO, "heartbeat", 17857, "Link nodeb:lo up.");
        assertThat(LineFormat.CLASSIC.format(r, "h", ZoneOffset.UTC))
                .isEqualTo("heartbeat[17857]: 2026/11/24_18:47:50 info: Link nodeb:lo up.");
    }

    @Test
    void json_format_escapes_text() {
        LogRecord r = new LogRecord(AT, Severity.CRIT, "heartbeat", 5, "a \"quoted\"\nline");
        assertThat(LineFormat.JSON.format(r, "h", ZoneOffset.UTC))
                .isEqualTo("{\"ts\":\"2026-11-24T18:47:50Z\",\"host\":\"h\",\"entity\":\"heartbeat\",\"pid\":5,"
                        + "\"level\":\"crit\",\"msg\":\"a \\\"quoted\\\"\\nline\"}");
    }

    /** The hand-written timestamps against DateTimeFormatter's patterns they replace, across months, zones and years from 1970 to 2191. */
    @Test
    void timestamps_are_what_the_date_time_patterns_write() {
        var syslog = java.time.format.DateTimeFormatter.ofPattern("MMM dd HH:mm:ss", java.util.Locale.ENGLISH);
        var classic = java.time.format.DateTimeFormatter.ofPattern("yyyy/MM/dd_HH:mm:ss", java.util.Locale.ENGLISH);
        java.util.SplittableRandom random = new java.util.SplittableRandom(24);
        for (String zone : new String[] {"UTC", "Europe/Berlin", "America/St_Johns", "Asia/Kathmandu"}) {
            for (int i = 0; i < 500; i++) {
                long millis = random.nextLong(0, 7_000_000_000_000L);
                ZonedDateTime t = java.time.Instant.ofEpochMilli(millis).atZone(java.time.ZoneId.of(zone));
                assertThat(LineFormat.syslogTime(t)).isEqualTo(syslog.format(t));
                assertThat(LineFormat.classicTime(t)).isEqualTo(classic.format(t));
            }
        }
    }

    /** The JSON format's hand-written {@code ts} against {@code Instant.toString()}: whole seconds, milliseconds, years 1 to 12000. */
    @Test
    void json_timestamps_are_what_instant_to_string_writes() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(19);
        for (int i = 0; i < 3000; i++) {
            long millis = random.nextLong(-62_000_000_000_000L, 316_000_000_000_000L);
            if (i % 3 == 0) {
                millis -= Math.floorMod(millis, 1000L); // whole seconds: no fraction
            }
            assertThat(LineFormat.isoInstant(millis)).isEqualTo(java.time.Instant.ofEpochMilli(millis).toString());
        }
        assertThat(LineFormat.isoInstant(AT + 7)).isEqualTo("2026-11-24T18:47:50.007Z");
        assertThat(LineFormat.isoInstant(AT + 120)).isEqualTo("2026-11-24T18:47:50.120Z");
        assertThat(LineFormat.isoInstant(0)).isEqualTo("1970-01-01T00:00:00Z");
    }
}
