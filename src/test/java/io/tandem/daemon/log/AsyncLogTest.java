package io.tandem.daemon.log;

import io.tandem.config.Severity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AsyncLogTest {
    @TempDir
    Path dir;

    @Test
    void logfile_gets_all_but_debug_and_debugfile_gets_everything() throws Exception {
        Path log = dir.resolve("ha-log");
        Path debug = dir.resolve("ha-debug");
        try (AsyncLog l = new AsyncLog(log, debug, null, LineFormat.SYSLOG, "n1", ZoneOffset.UTC)) {
            l.log(new LogRecord(0, Severity.INFO, "heartbeat", 1, "hello"));
            l.log(new LogRecord(0, Severity.DEBUG, "heartbeat", 1, "details"));
            l.log(new LogRecord(0, Severity.WARN, "heartbeat", 1, "careful"));
        }
        assertThat(Files.readAllLines(log)).containsExactly(
                "Jan 01 00:00:00 n1 heartbeat: [1]: info: hello",
                "Jan 01 00:00:00 n1 heartbeat: [1]: WARN: careful");
        assertThat(Files.readAllLines(debug)).hasSize(3).anyMatch(s -> s.endsWith("debug: details"));
    }

    @Test
    void an_unwritable_logfile_does_not_stop_the_other_destinations() throws Exception {
        Path debug = dir.resolve("ha-debug");
        Path bad = dir.resolve("no-such-dir").resolve("ha-log");
        try (AsyncLog l = new AsyncLog(bad, debug, null, LineFormat.SYSLOG, "n1", ZoneOffset.UTC)) {
            l.log(new LogRecord(0, Severity.INFO, "heartbeat", 1, "still logged"));
        }
        assertThat(Files.readString(debug)).contains("still logged");
    }
}
