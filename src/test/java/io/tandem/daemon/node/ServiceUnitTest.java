package io.tandem.daemon.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.daemon.agent.AgentLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * packaging/debian/tandem.service against the daemon's own numbers: the stop timeout covers the
 * daemon's hand-over deadline, the watchdog period leaves room for several feeds, reload is SIGHUP.
 * (`systemd-analyze verify` runs on the installed unit in packaging/test-deb.)
 */
class ServiceUnitTest {
    private static final Path UNIT = Path.of(System.getProperty("user.dir"), "packaging/debian/tandem.service");

    @Test
    void the_unit_matches_the_daemon() throws Exception {
        Map<String, String> service = new LinkedHashMap<>();
        for (String line : Files.readAllLines(UNIT)) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                service.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        assertThat(service.get("Type")).isEqualTo("notify");
        assertThat(service.get("ExecReload")).isEqualTo("/bin/kill -HUP $MAINPID");
        assertThat(service.get("ExecStart")).startsWith("/usr/sbin/tandem run --quiet");
        long stopS = Long.parseLong(service.get("TimeoutStopSec"));
        assertThat(stopS).as("the hand-over deadline and one resource stop's limit fit in TimeoutStopSec")
                .isGreaterThan(FatalError.RELEASE_DEADLINE_S).isGreaterThan(AgentLookup.DEFAULT_TIMEOUT_MS / 1000);
        long watchdogMs = Long.parseLong(service.get("WatchdogSec")) * 1000;
        assertThat(watchdogMs).as("at least 10 feeds per watchdog period").isGreaterThanOrEqualTo(10 * ServiceNotifier.STATUS_PERIOD_MS);
        assertThat(service.get("RestartPreventExitStatus")).isEqualTo(Daemon.CONFIG_ERROR + " " + Daemon.ALREADY_RUNNING);
    }
}
