package io.tandem.daemon.log;

import io.tandem.config.Severity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** logfacility: lines reach a real AF_UNIX datagram socket in syslog's format; a missing syslog is said once. */
class SyslogSinkTest {
    private static final long AT = 1795546070000L; // 2026-11-24 18:47:50 UTC

    @Test
    void linesArriveAsHeartbeatSendsThemToSyslog(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "skipped: python3 (the test's syslog listener) is missing");
        Path sock = dir.resolve("log");
        Process listener = new ProcessBuilder("/usr/bin/python3", "-c", String.join("\n",
                "import socket,sys",
                "s=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
                "s.bind(sys.argv[1])",
                "print('ready', flush=True)",
                "for i in range(2):",
                "    print(s.recv(4096).decode(), flush=True)"), sock.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("ready");
        SyslogSink sink = SyslogSink.forFacility("local7", sock.toString(), ZoneOffset.UTC).orElseThrow();
        try (AsyncLog log = new AsyncLog(dir.resolve("ha-log"), null, null, LineFormat.SYSLOG, "node1", ZoneOffset.UTC, sink)) {
            log.log(new LogRecord(AT, Severity.DEBUG, "heartbeat", 42, "not for syslog"));
            log.log(new LogRecord(AT, Severity.WARN, "heartbeat", 42, "node node2: is dead"));
            log.log(new LogRecord(AT, Severity.INFO, "ResourceManager(default)", 42, "Running /etc/init.d/apache2  start", true));
        }
        List<String> got = new ArrayList<>(List.of(out.readLine(), out.readLine()));
        listener.destroyForcibly();
        // local7 = 23: WARN = 23*8+4 = 188, info = 23*8+6 = 190
        assertThat(got).containsExactly("<188>Nov 24 18:47:50 heartbeat: [42]: WARN: node node2: is dead",
                "<190>Nov 24 18:47:50 ResourceManager(default)[42]: info: Running /etc/init.d/apache2  start");
    }

    @Test
    void aMissingSyslogIsReportedOnceInTheFileLog(@TempDir Path dir) throws Exception {
        SyslogSink sink = SyslogSink.forFacility("daemon", dir.resolve("no-such-socket").toString(), ZoneOffset.UTC).orElseThrow();
        try (AsyncLog log = new AsyncLog(dir.resolve("ha-log"), null, null, LineFormat.SYSLOG, "node1", ZoneOffset.UTC, sink)) {
            log.log(new LogRecord(AT, Severity.INFO, "heartbeat", 1, "one"));
            log.log(new LogRecord(AT, Severity.INFO, "heartbeat", 1, "two"));
        }
        String file = Files.readString(dir.resolve("ha-log"));
        assertThat(file).contains("info: one", "info: two");
        assertThat(file.split("Cannot log to syslog", -1)).hasSize(2);
        assertThat(file).contains("No such file or directory");
    }

    @Test
    void facilitiesAreHeartbeatsNames() {
        assertThat(SyslogSink.forFacility("none", "/dev/log", ZoneOffset.UTC)).isEmpty();
        assertThatThrownBy(() -> SyslogSink.forFacility("local9", "/dev/log", ZoneOffset.UTC)).hasMessageContaining("unknown syslog facility [local9]");
    }
}
