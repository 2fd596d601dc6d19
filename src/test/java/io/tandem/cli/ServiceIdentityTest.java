package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.daemon.os.NotifySocket;
import io.tandem.lab.ExecResult;
import io.tandem.lab.Poll;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real daemon as systemd runs it (Type=notify): NOTIFY_SOCKET and WATCHDOG_USEC in its
 * environment, a listening datagram socket in their place. Also what ps shows (comm {@code tandem},
 * argv[0] {@code tandem} through bin/tandem) and the log ident.
 */
class ServiceIdentityTest {
    @TempDir
    Path dir;

    @Test
    void the_daemon_notifies_ready_status_watchdog_and_stopping() throws Exception {
        String name = "@tandem-service-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean reading = new java.util.concurrent.atomic.AtomicBoolean(true);
        try (NotifySocket systemd = NotifySocket.bind(name); LoopbackNode node = new LoopbackNode(dir.resolve("node"))) {
            // systemd reads at once; so does this reader (the kernel's queue holds only 10 datagrams here)
            Thread reader = new Thread(() -> {
                while (reading.get()) {
                    try {
                        systemd.receive().ifPresent(seen::add);
                    } catch (java.io.IOException e) {
                        seen.add("receive failed: " + e.getMessage());
                        return;
                    }
                }
            }, "notify-reader");
            reader.start();
            node.start(Map.of("NOTIFY_SOCKET", name, "WATCHDOG_USEC", "2000000"), List.of());
            String ready = awaitMessage(seen, m -> m.startsWith("READY=1\n"));
            long pid = node.pid();
            assertThat(ready).isEqualTo("READY=1\nSTATUS=" + ready.split("\n")[1].substring(7) + "\nMAINPID=" + pid);
            assertThat(node.ask("ping").exitCode()).as("the control socket answers when READY is sent").isZero();
            node.settled();
            awaitMessage(seen, m -> m.equals("STATUS=active, holds [all], peer loop2 dead"));
            assertThat(seen).filteredOn("WATCHDOG=1"::equals).isNotEmpty();

            assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip()).isEqualTo("tandem");

            ExecResult stop = new ExecResult(node.ask("stop", "--wait", "30").exitCode(), "", "");
            assertThat(stop.exitCode()).isZero();
            awaitMessage(seen, "STOPPING=1\nSTATUS=stopping: handing the groups over to the peer"::equals);
            assertThat(seen.indexOf("STOPPING=1\nSTATUS=stopping: handing the groups over to the peer"))
                    .isGreaterThan(seen.indexOf("STATUS=active, holds [all], peer loop2 dead"));
            reading.set(false);
            reader.join();
            String log = Files.readString(node.dir.resolve("ha-log"));
            assertThat(log).contains(" heartbeat: [" + pid + "]: info: Heartbeat shutdown complete.");
        }
    }

    @Test
    void log_ident_names_the_daemon_lines_and_bin_tandem_sets_argv0() throws Exception {
        try (LoopbackNode node = new LoopbackNode(dir.resolve("node"))) {
            List<String> cmd = new ArrayList<>(List.of(TestProcesses.CHECKOUT.resolve("bin/tandem").toString(), "start",
                    "--run-dir", node.runDir().toString(), "--log-ident", "tandem"));
            cmd.addAll(node.daemonOptions());
            ExecResult started = TestProcesses.run(cmd, Map.of("TANDEM_CLASSPATH", System.getProperty("java.class.path")), dir);
            assertThat(started.exitCode()).as(started.toString()).isZero();
            long pid = node.pid();
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            assertThat(new String(cmdline, StandardCharsets.UTF_8).split("\0")[0]).isEqualTo("tandem");
            assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip()).isEqualTo("tandem");
            node.settled();
            String log = Files.readString(node.dir.resolve("ha-log"));
            assertThat(log).contains(" tandem: [" + pid + "]: info: Heartbeat generation: ");
            assertThat(log).doesNotContain(" heartbeat: [" + pid + "]");
        }
    }

    @Test
    void log_ident_from_tandem_cf_and_the_option_wins_over_it() throws Exception {
        try (LoopbackNode node = new LoopbackNode(dir.resolve("node"))) {
            Files.writeString(node.dir.resolve("etc/tandem.cf"), "log_ident tandem\n");
            node.start();
            long pid = node.pid();
            node.settled();
            assertThat(Files.readString(node.dir.resolve("ha-log"))).contains(" tandem: [" + pid + "]: info: Heartbeat generation: ")
                    .doesNotContain(" heartbeat: [" + pid + "]");
        }
        try (LoopbackNode node = new LoopbackNode(dir.resolve("node2"))) {
            Files.writeString(node.dir.resolve("etc/tandem.cf"), "log_ident tandem\n");
            node.start(Map.of(), List.of("--log-ident", "hb-compat"));
            long pid = node.pid();
            node.settled();
            assertThat(Files.readString(node.dir.resolve("ha-log"))).contains(" hb-compat: [" + pid + "]: info: Heartbeat generation: ");
        }
    }

    @Test
    void a_bad_log_ident_is_refused() throws Exception {
        ExecResult r = TestProcesses.run(TestProcesses.tandem(System.getProperty("java.class.path"),
                List.of("run", "--log-ident", "a b", "-c", dir.toString())), Map.of(), dir);
        assertThat(r).isEqualTo(new ExecResult(2, "",
                "tandem: --log-ident: a log ident is 1 to 32 letters, digits, '_', '.' or '-', not 'a b'\n"));
    }

    private static String awaitMessage(List<String> seen, java.util.function.Predicate<String> wanted) {
        Poll.untilOrElse(Duration.ofSeconds(30), () -> seen.stream().anyMatch(wanted), () -> "no such notification; seen: " + seen);
        return seen.stream().filter(wanted).findFirst().orElseThrow();
    }
}
