package io.tandem.daemon.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ArpSenders} with real processes: a process that names itself {@code send_arp} (or {@code arping})
 * in its {@code /proc/PID/cmdline}, with the address among its words, as IPaddr's send_arp does; it is
 * stopped only when the pid file's process is that program for that address, never another one.
 */
class ArpSendersTest {
    private static final String IP = "192.0.2.9";
    private final List<Process> started = new ArrayList<>();

    @TempDir
    Path dir;

    /** A real process whose command line is {@code name -c <sleep> args...} (bash's exec -a names it). */
    private Process named(String name, String... args) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")) && Files.isExecutable(Path.of("/bin/bash")), "needs bash and python3");
        List<String> argv = new ArrayList<>(List.of("/bin/bash", "-c", "exec -a \"$0\" /usr/bin/python3 -c 'import time; time.sleep(120)' \"$@\"", name));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        started.add(p);
        ArpSenders senders = new ArpSenders();
        io.tandem.lab.Poll.untilOrElse(java.time.Duration.ofSeconds(10), () -> {
            List<String> cmdline = senders.cmdline(p.pid());
            return cmdline.contains("import time; time.sleep(120)") && cmdline.get(0).equals(name);
        }, () -> "process " + name + " did not start");
        return p;
    }

    private static String[] sendArpArgs(Path pidFile, String ip) {
        return new String[] {"-i", "500", "-r", "10", "-p", pidFile.toString(), "eth0", ip, "auto", ip, "ffffffffffff"};
    }

    @AfterEach
    void cleanUp() {
        started.forEach(Process::destroyForcibly); // only what this test started, by its handle
    }

    @Test
    void the_send_arp_of_the_pid_file_is_stopped_when_it_announces_that_address() throws Exception {
        Path pidFile = dir.resolve("send_arp-" + IP);
        Process p = named("/usr/libexec/heartbeat/send_arp", sendArpArgs(pidFile, IP));
        Files.writeString(pidFile, p.pid() + "\n");
        ArpSenders senders = new ArpSenders();
        assertThat(senders.sendArpOf(pidFile, IP)).contains(p.pid());
        assertThat(senders.stop(p.pid(), "send_arp", IP)).isTrue();
        assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(senders.gone(p.pid())).isTrue();
    }

    @Test
    void a_send_arp_for_another_address_is_left_alone() throws Exception {
        Path pidFile = dir.resolve("send_arp-" + IP);
        Process p = named("/usr/libexec/heartbeat/send_arp", sendArpArgs(pidFile, "192.0.2.10"));
        Files.writeString(pidFile, Long.toString(p.pid()));
        ArpSenders senders = new ArpSenders();
        assertThat(senders.sendArpOf(pidFile, IP)).isEmpty();
        assertThat(senders.stop(p.pid(), "send_arp", IP)).as("not that sender: nothing to stop").isTrue();
        assertThat(p.waitFor(300, TimeUnit.MILLISECONDS)).as("still running").isFalse();
        assertThat(p.isAlive()).isTrue();
    }

    @Test
    void a_pid_file_naming_another_program_is_left_alone() throws Exception {
        Path pidFile = dir.resolve("send_arp-" + IP);
        Process p = named("sleeper", sendArpArgs(pidFile, IP));
        Files.writeString(pidFile, Long.toString(p.pid()));
        ArpSenders senders = new ArpSenders();
        assertThat(senders.sendArpOf(pidFile, IP)).isEmpty();
        assertThat(senders.stop(p.pid(), "send_arp", IP)).isTrue();
        assertThat(p.waitFor(300, TimeUnit.MILLISECONDS)).as("still running").isFalse();
        assertThat(p.isAlive()).isTrue();
    }

    @Test
    void a_stale_or_garbled_pid_file_names_nothing() throws Exception {
        Path pidFile = dir.resolve("send_arp-" + IP);
        ArpSenders senders = new ArpSenders();
        assertThat(senders.sendArpOf(pidFile, IP)).as("no pid file").isEmpty();
        Files.writeString(pidFile, "not a pid");
        assertThat(senders.sendArpOf(pidFile, IP)).isEmpty();
        Files.writeString(pidFile, "1");
        assertThat(senders.sendArpOf(pidFile, IP)).as("init is never a sender").isEmpty();
        Process gone = named("/usr/libexec/heartbeat/send_arp", sendArpArgs(pidFile, IP));
        long pid = gone.pid();
        gone.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        Files.writeString(pidFile, Long.toString(pid));
        assertThat(senders.sendArpOf(pidFile, IP)).as("its process is gone").isEmpty();
    }

    @Test
    void only_this_processs_own_arping_for_that_address_is_found_and_stopped() throws Exception {
        Process mine = named("/usr/bin/arping", "-U", "-c", "3", "-I", "eth0", IP);
        Process other = named("/usr/bin/arping", "-U", "-c", "3", "-I", "eth0", "192.0.2.10");
        ArpSenders senders = new ArpSenders();
        assertThat(senders.ownArpings(IP)).containsExactly(mine.pid());
        assertThat(senders.stop(mine.pid(), "arping", IP)).isTrue();
        assertThat(mine.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(other.isAlive()).isTrue();
        assertThat(senders.ownArpings(IP)).isEmpty();
    }

    @Test
    void the_program_is_told_by_the_file_name_of_the_first_word_and_the_address_by_a_whole_word() {
        assertThat(ArpSenders.runs(List.of("/usr/libexec/heartbeat/send_arp", "-i", "500", "eth0", IP), "send_arp", IP)).isTrue();
        assertThat(ArpSenders.runs(List.of("send_arp", IP), "send_arp", IP)).isTrue();
        assertThat(ArpSenders.runs(List.of("/bin/sh", "/usr/libexec/heartbeat/send_arp", IP), "send_arp", IP)).isFalse();
        assertThat(ArpSenders.runs(List.of("send_arp", "192.0.2.99"), "send_arp", "192.0.2.9")).isFalse();
        assertThat(ArpSenders.runs(List.of(IP), "send_arp", IP)).isFalse();
        assertThat(ArpSenders.runs(List.of(), "send_arp", IP)).isFalse();
    }
}
