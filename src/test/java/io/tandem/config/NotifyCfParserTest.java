package io.tandem.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** tandem.cf's notify hooks: {@code notify} (repeatable, in order), {@code notify_dir}, {@code notify_timeout}. */
class NotifyCfParserTest {
    private static final String F = "/etc/ha.d/tandem.cf";

    @Test
    void none_by_default() {
        assertThat(TandemCfParser.parse(F, "").hooks()).isEqualTo(NotifyCf.NONE);
        assertThat(NotifyCf.NONE.any()).isFalse();
        assertThat(TandemCf.DEFAULTS.hooks()).isEqualTo(NotifyCf.NONE);
    }

    @Test
    void repeatable_scripts_in_order_a_directory_and_a_timeout() {
        NotifyCf n = TandemCfParser.parse(F, "notify /etc/ha.d/notify.d/mail-admin\nnotify_dir /etc/tandem/notify.d # run-parts style\n"
                + "notify /usr/local/sbin/page-oncall\nnotify_timeout 10s\n").hooks();
        assertThat(n.scripts()).containsExactly("/etc/ha.d/notify.d/mail-admin", "/usr/local/sbin/page-oncall");
        assertThat(n.dir()).isEqualTo("/etc/tandem/notify.d");
        assertThat(n.timeoutMs()).isEqualTo(10_000);
        assertThat(n.any()).isTrue();
        assertThat(TandemCfParser.parse(F, "notify_dir /x\n").hooks()).isEqualTo(new NotifyCf(List.of(), "/x", NotifyCf.DEFAULT_TIMEOUT_MS));
    }

    @Test
    void a_reload_sees_changed_hooks() {
        TandemCf a = TandemCfParser.parse(F, "notify /a\n");
        TandemCf b = TandemCfParser.parse(F, "notify /b\n");
        assertThat(a.settings()).isNotEqualTo(b.settings());
        assertThat(a.settings().hooks()).isEqualTo(a.hooks());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "notify relative/path|:2: Invalid notify [relative/path]: an absolute path (no '..', no blanks)",
        "notify /etc/../bin/sh|:2: Invalid notify [/etc/../bin/sh]: an absolute path",
        "notify /a /b|:2: 'notify' takes one value",
        "notify_dir notify.d|:2: Invalid notify_dir [notify.d]: an absolute path",
        "notify_timeout 0|:2: Invalid notify_timeout [0]: a time from 1 s to 10 min",
        "notify_timeout 11min|:2: Invalid notify_timeout [11min]: a time from 1 s to 10 min",
    })
    void errors_name_file_and_line(String line, String message) {
        assertThatThrownBy(() -> TandemCfParser.parse(F, "# Tandem\n" + line + "\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining(F + message);
    }

    @Test
    void notify_dir_and_timeout_once_and_at_most_32_scripts() {
        assertThatThrownBy(() -> TandemCfParser.parse(F, "notify_dir /a\nnotify_dir /b\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining(":2: 'notify_dir' given twice (first on line 1)");
        String many = "notify /s\n".repeat(TandemCfParser.MAX_NOTIFY + 1);
        assertThatThrownBy(() -> TandemCfParser.parse(F, many)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(":33: at most 32 'notify' lines");
    }
}
