package io.tandem.daemon.log;

import io.tandem.config.Severity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** A value from the network cannot forge a log line or flood one line, in any log format. */
class LogTextTest {
    private static final String FORGED = "nodeb\nNov 24 18:47:50 node1 heartbeat: [1]: CRIT: forged\r\u001b[2J\u009b1m\u007f";

    @Test
    void controlCharactersBecomeVisibleEscapes() {
        assertThat(LogText.clean(FORGED)).isEqualTo("nodeb\\nNov 24 18:47:50 node1 heartbeat: [1]: CRIT: forged\\r\\x1b[2J\\x9b1m\\x7f");
        assertThat(LogText.clean("plain text\twith a tab, é")).isEqualTo("plain text\twith a tab, é");
        assertThat(LogText.clean("a\u2028b")).isEqualTo("a\\u2028b");
    }

    @Test
    void everyFormatWritesOneLine() {
        LogRecord r = new LogRecord(0, Severity.ERROR, "heartbeat", 1, "Invalid authentication (src " + FORGED + ")");
        for (LineFormat f : LineFormat.values()) {
            String line = f.format(r, "h", ZoneOffset.UTC);
            assertThat(line).as(f.name()).doesNotContain("\n", "\r", "\u001b", "\u009b", "\u007f");
        }
        String syslog = new String(SyslogSink.forFacility("daemon", "/dev/null", ZoneOffset.UTC).orElseThrow().datagram(r),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(syslog).doesNotContain("\n", "\r", "\u001b");
    }

    @Test
    void aHugeValueIsCut() {
        String huge = "x".repeat(60_000);
        String clean = LogText.clean(huge);
        assertThat(clean).hasSizeLessThan(LogText.MAX_CHARS + 40).endsWith("...[" + (60_000 - LogText.MAX_CHARS) + " more characters]");
        assertThat(LogText.clean("\n".repeat(60_000))).hasSizeLessThan(LogText.MAX_CHARS + 40);
        assertThat(LineFormat.JSON.format(new LogRecord(0, Severity.INFO, "h", 1, huge), "h", ZoneOffset.UTC)).hasSizeLessThan(9000);
    }
}
