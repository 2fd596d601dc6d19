package io.tandem.daemon.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.daemon.os.NotifySocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify against a real listening AF_UNIX datagram socket, as systemd's: a path and an abstract name. */
class ServiceManagerTest {
    private static final long PID = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    private final List<String> problems = new ArrayList<>();

    @Test
    void without_notify_socket_nothing_is_sent_and_no_watchdog_is_asked() {
        ServiceManager m = ServiceManager.fromEnvironment(Map.of("WATCHDOG_USEC", "1000000"), PID, problems::add);
        assertThat(m.active()).isFalse();
        m.ready("active");
        m.watchdog();
        assertThat(problems).isEmpty();
    }

    @Test
    void ready_status_stopping_and_watchdog_reach_a_socket_path() throws Exception {
        String path = dir.resolve("notify").toString();
        try (NotifySocket systemd = NotifySocket.bind(path);
             ServiceManager m = ServiceManager.fromEnvironment(Map.of("NOTIFY_SOCKET", path), PID, problems::add)) {
            assertThat(m.active()).isTrue();
            m.ready("active, holds [all], peer node2 active");
            assertThat(systemd.receive()).contains("READY=1\nSTATUS=active, holds [all], peer node2 active\nMAINPID=" + PID);
            m.status("active, holds [none], peer node2 dead");
            assertThat(systemd.receive()).contains("STATUS=active, holds [none], peer node2 dead");
            m.watchdog();
            assertThat(systemd.receive()).contains("WATCHDOG=1");
            m.stopping("stopping: handing the groups over to the peer");
            assertThat(systemd.receive()).contains("STOPPING=1\nSTATUS=stopping: handing the groups over to the peer");
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void an_abstract_namespace_address_starting_with_at_works() throws Exception {
        String name = "@tandem-test-" + PID + "-" + System.nanoTime();
        try (NotifySocket systemd = NotifySocket.bind(name);
             ServiceManager m = ServiceManager.fromEnvironment(Map.of("NOTIFY_SOCKET", name), PID, problems::add)) {
            m.watchdog();
            assertThat(systemd.receive()).contains("WATCHDOG=1");
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void watchdog_usec_is_honoured_for_this_pid_only() {
        assertThat(ServiceManager.fromEnvironment(Map.of("NOTIFY_SOCKET", "@x", "WATCHDOG_USEC", "20000000"), PID, problems::add)
                .watchdogMillis()).isEqualTo(OptionalLong.of(20_000));
        assertThat(ServiceManager.fromEnvironment(Map.of("NOTIFY_SOCKET", "@x", "WATCHDOG_USEC", "20000000", "WATCHDOG_PID",
                Long.toString(PID)), PID, problems::add).watchdogMillis()).isEqualTo(OptionalLong.of(20_000));
        assertThat(ServiceManager.fromEnvironment(Map.of("NOTIFY_SOCKET", "@x", "WATCHDOG_USEC", "20000000", "WATCHDOG_PID",
                Long.toString(PID + 1)), PID, problems::add).watchdogMillis()).isEmpty();
        assertThat(ServiceManager.fromEnvironment(Map.of("NOTIFY_SOCKET", "@x"), PID, problems::add).watchdogMillis()).isEmpty();
        assertThat(problems).isEmpty();
        assertThat(ServiceManager.fromEnvironment(Map.of("NOTIFY_SOCKET", "@x", "WATCHDOG_USEC", "soon"), PID, problems::add)
                .watchdogMillis()).isEmpty();
        assertThat(problems).containsExactly("WATCHDOG_USEC=soon is not a number of microseconds; the systemd watchdog is not fed");
    }

    @Test
    void a_socket_nobody_listens_on_is_reported_once() {
        String path = dir.resolve("nobody").toString();
        try (ServiceManager m = ServiceManager.fromEnvironment(Map.of("NOTIFY_SOCKET", path), PID, problems::add)) {
            m.ready("active");
            m.watchdog();
            m.watchdog();
        }
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).startsWith("Cannot notify systemd on NOTIFY_SOCKET " + path + ": ");
        assertThat(Optional.of(problems.get(0))).hasValueSatisfying(p -> assertThat(p).contains("No such file"));
    }
}
