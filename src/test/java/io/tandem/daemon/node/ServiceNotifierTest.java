package io.tandem.daemon.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.daemon.control.ControlReply;
import io.tandem.daemon.control.ControlServer;
import io.tandem.daemon.lifecycle.ServiceManager;
import io.tandem.daemon.loop.DaemonClock;
import io.tandem.daemon.loop.EventLoop;
import io.tandem.daemon.os.NotifySocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watchdog is fed from the event loop: while the loop is stuck in one event, no WATCHDOG=1
 * reaches systemd (which then kills the daemon); READY waits for the control socket; the status
 * line is sent when it changes.
 */
class ServiceNotifierTest {
    @TempDir
    Path dir;

    private final List<String> problems = new ArrayList<>();

    @Test
    void ready_once_the_control_socket_answers_then_status_changes_and_watchdog_from_the_loop() throws Exception {
        String name = "@tandem-notifier-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        AtomicReference<String> summary = new AtomicReference<>("active, holds [none], peer node2 up");
        Path socket = dir.resolve("control.sock");
        try (NotifySocket systemd = NotifySocket.bind(name);
             ServiceManager manager = ServiceManager.fromEnvironment(Map.of("NOTIFY_SOCKET", name, "WATCHDOG_USEC", "200000"),
                     ProcessHandle.current().pid(), problems::add);
             EventLoop loop = new EventLoop("test-loop", new DaemonClock(), e -> problems.add(e.toString()));
             ControlServer control = new ControlServer(socket, words -> CompletableFuture.completedFuture(ControlReply.ok("")))) {
            ServiceNotifier notifier = new ServiceNotifier(manager, loop, summary::get);
            notifier.controlSocketOpen(socket);
            assertThat(systemd.receive()).contains("READY=1\nSTATUS=active, holds [none], peer node2 up\nMAINPID="
                    + ProcessHandle.current().pid());
            assertThat(next(systemd)).isEqualTo("WATCHDOG=1");
            assertThat(next(systemd)).isEqualTo("WATCHDOG=1"); // fed every 100 ms (half of WATCHDOG_USEC)

            summary.set("active, holds [all], peer node2 dead");
            assertThat(untilNot(systemd, "WATCHDOG=1")).isEqualTo("STATUS=active, holds [all], peer node2 dead");

            // a hung event loop: nothing feeds the watchdog until it runs again
            CountDownLatch hung = new CountDownLatch(1);
            CountDownLatch inside = new CountDownLatch(1);
            loop.post(now -> {
                inside.countDown();
                try {
                    hung.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            inside.await();
            // A feed decided just before the loop hung may still arrive (late on a loaded machine): wait for a
            // quiet 300 ms; a notifier that fed a hung loop (every 100 ms) never gives one.
            for (int i = 0; i < 10 && !systemd.drain(300).isEmpty(); i++) {
                // drained
            }
            assertThat(systemd.drain(1000)).as("no WATCHDOG=1 from a hung loop").isEmpty();
            hung.countDown();
            assertThat(next(systemd)).isEqualTo("WATCHDOG=1");

            notifier.stopping();
            notifier.stopping(); // said once
            // STOPPING=1 and the status line's "stopping, " come in either order (a tick may run between the two)
            List<String> after = new ArrayList<>();
            for (int i = 0; i < 100 && !(after.contains("STOPPING=1\nSTATUS=stopping: handing the groups over to the peer")
                    && after.contains("STATUS=stopping, active, holds [all], peer node2 dead")); i++) {
                after.add(untilNot(systemd, "WATCHDOG=1"));
            }
            after.addAll(systemd.drain(500));
            assertThat(after).containsOnlyOnce("STOPPING=1\nSTATUS=stopping: handing the groups over to the peer")
                    .contains("STATUS=stopping, active, holds [all], peer node2 dead");
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void without_systemd_nothing_is_sent_and_no_task_runs() throws Exception {
        try (ServiceManager manager = ServiceManager.fromEnvironment(Map.of(), 1, problems::add);
             EventLoop loop = new EventLoop("test-loop", new DaemonClock(), e -> problems.add(e.toString()))) {
            List<String> asked = new ArrayList<>();
            ServiceNotifier notifier = new ServiceNotifier(manager, loop, () -> {
                asked.add("summary");
                return "x";
            });
            notifier.controlSocketOpen(dir.resolve("no.sock"));
            notifier.stopping();
            loop.ask(() -> 0).get();
            assertThat(asked).isEmpty();
        }
        assertThat(problems).isEmpty();
    }

    private static String next(NotifySocket s) throws Exception {
        for (int i = 0; i < 100; i++) { // 10 s
            var m = s.receive();
            if (m.isPresent()) {
                return m.get();
            }
        }
        throw new AssertionError("no notification within 10 s");
    }

    private static String untilNot(NotifySocket s, String skip) throws Exception {
        for (int i = 0; i < 200; i++) {
            String m = next(s);
            if (!m.equals(skip)) {
                return m;
            }
        }
        throw new AssertionError("only " + skip);
    }
}
