package io.tandem.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every lab host is one small machine with its own PID namespace and /proc under a reaping init
 * (docs/lab.md): pidof, ps and /proc inside a node see only that node's processes, PID 1 is the
 * node's init, orphans are reaped, daemons live until the lab (or the host's init) ends, and two
 * Debian apache2 instances started by /etc/init.d/apache2 (which uses pidof) run and stop
 * independently. Prefixes "pid" and "pidb".
 */
class PidNamespaceLabTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static final String N1 = "node1";
    private static final String N2 = "node2";
    private static Lab lab;

    @BeforeAll
    static void startLab() {
        assumeTrue(Lab.unavailable().isEmpty(), () -> "skipped: " + Lab.unavailable().orElse(""));
        lab = Lab.start("pid", N1, N2);
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void each_node_sees_only_its_own_processes_and_its_init_as_pid_1() {
        try (LabProcess a = lab.spawn(N1, "sleep", "601"); LabProcess b = lab.spawn(N2, "sleep", "602")) {
            ok(lab.exec(N1, T, "setsid", "-f", "sleep", "603"));
            ok(lab.exec(N2, T, "setsid", "-f", "sleep", "604"));
            Poll.until(T, "two sleeps in each node", () -> lab.pids(N1, "sleep").size() == 2 && lab.pids(N2, "sleep").size() == 2);
            List<Long> mine = lab.pids(N1, "sleep");
            List<Long> theirs = lab.pids(N2, "sleep");
            assertThat(mine).doesNotContainAnyElementsOf(theirs).contains(a.pid());
            assertThat(theirs).contains(b.pid());

            // pidof inside node1 lists node1's two sleeps, in node1's numbering, and none of node2's
            List<Long> pidof = numbers(ok(lab.exec(N1, T, "pidof", "sleep")).out());
            assertThat(pidof).hasSize(2);
            assertThat(pidof.stream().map(p -> lab.machinePid(N1, p).orElseThrow()).toList()).containsExactlyInAnyOrderElementsOf(mine);
            assertThat(numbers(ok(lab.exec(N2, T, "pidof", "sleep")).out()).stream().map(p -> lab.machinePid(N2, p).orElseThrow()).toList())
                    .containsExactlyInAnyOrderElementsOf(theirs);

            // ps (which reads /proc) shows the init, the two sleeps and itself: nothing of node2 or of the machine
            List<String> ps = ok(lab.exec(N1, T, "ps", "-e", "-o", "pid=,comm=")).out().lines().map(String::strip).toList();
            assertThat(ps).containsExactlyInAnyOrder("1 catatonit", local(N1, mine.get(0)) + " sleep", local(N1, mine.get(1)) + " sleep",
                    ps.stream().filter(l -> l.endsWith(" ps")).findFirst().orElse("no ps line"));
            Set<String> procDirs = Set.of(ok(lab.exec(N1, T, "sh", "-c", "cd /proc && echo [0-9]*")).out().split(" "));
            assertThat(procDirs).as("/proc: the init, the sleeps and the shell listing it").hasSize(4)
                    .contains("1", Long.toString(local(N1, mine.get(0))), Long.toString(local(N1, mine.get(1))));
        }
        for (String n : List.of(N1, N2)) {
            assertThat(ok(lab.exec(n, T, "ps", "-o", "args=", "-p", "1")).out()).isEqualTo("catatonit -P");
            assertThat(lab.machinePid(n, 1)).contains(lab.initPid(n));
            assertThat(HostInit.comm(lab.initPid(n))).isEqualTo("catatonit");
        }
        assertThat(lab.initPid(N1)).isNotEqualTo(lab.initPid(N2));
        assertThat(ok(lab.exec(N1, T, "pwd")).out()).as("commands start in /").isEqualTo("/");
        assertThat(lab.pids(Lab.GATEWAY)).as("the gateway runs nothing of the nodes").isEmpty();
    }

    @Test
    void the_init_and_every_entered_command_lead_sessions_of_their_own_so_a_group_kill_stays_in_its_group() {
        // catatonit -P exits on SIGTERM/SIGINT; in the JVM's process group it would get every signal sent to that group
        for (String n : List.of(N1, N2)) {
            assertThat(ok(lab.exec(n, T, "ps", "-o", "pid=,pgid=,sid=", "-p", "1")).out().strip().split("\\s+")).containsExactly("1", "1", "1");
            String[] self = ok(lab.exec(n, T, "sh", "-c", "ps -o pid=,pgid=,sid= -p $$")).out().strip().split("\\s+");
            assertThat(self[1]).as("pgid of an entered command").isEqualTo(self[0]);
            assertThat(self[2]).as("session of an entered command").isEqualTo(self[0]);
        }
        try (LabProcess sleeper = lab.spawn(N2, "sleep", "608")) {
            long pid = sleeper.pid();
            // nsenter's child is the command's pid from the fork on; setsid has run once it has become sleep
            Poll.until(T, "the spawned command to run", () -> "sleep".equals(HostInit.comm(pid)));
            assertThat(statField(pid, 2)).as("pgid of a spawned command").isEqualTo(pid);
            assertThat(statField(pid, 3)).as("session of a spawned command").isEqualTo(pid);
            // kill(0, SIGTERM): the shell's own group, i.e. the shell; no init, no other command, not the JVM
            ExecResult groupKill = lab.exec(N1, T, "sh", "-c", "kill -TERM 0; sleep 5");
            assertThat(groupKill.exitCode()).as(groupKill.toString()).isEqualTo(143);
            assertThat(HostInit.alive(lab.initPid(N1))).isTrue();
            assertThat(HostInit.alive(lab.initPid(N2))).isTrue();
            assertThat(sleeper.isAlive()).isTrue();
            ok(lab.exec(N1, T, "true"));
        }
    }

    @Test
    void an_orphan_is_reaped_by_the_hosts_init() {
        long init = lab.initPid(Lab.CLIENT);
        // the shell exits at once; its background child becomes the init's and exits 0.3 s later
        ok(lab.exec(Lab.CLIENT, T, "sh", "-c", "sleep 0.3 & exit 0"));
        Poll.until(T, "the orphan to run under the client's init", () -> children(init).size() == 1);
        long orphan = children(init).get(0);
        Poll.until(T, "the orphan to exit and be reaped (no zombie left)", () -> !Files.exists(Path.of("/proc", Long.toString(orphan))));
        assertThat(children(init)).isEmpty();
    }

    @Test
    void a_frozen_and_thawed_process_can_still_be_killed_and_its_exit_is_seen() throws Exception {
        LabProcess p = lab.spawn(N2, "sleep", "605");
        try {
            signal("STOP", p.pid());
            Poll.until(T, "the sleep to stop", () -> HostInit.state(p.pid()) == 'T');
            signal("CONT", p.pid());
            Poll.until(T, "the sleep to run again", () -> HostInit.state(p.pid()) == 'S');
            signal("KILL", p.pid());
            assertThat(p.waitFor(T)).isEqualTo(137);
        } finally {
            p.close();
        }
    }

    @Test
    void a_closed_process_leaves_no_zombie_behind() {
        // a JVM takes a moment to die after SIGKILL (a sleep is reaped before nsenter is killed either way)
        LabProcess p = lab.startJava(N1, LabHostMain.class.getName());
        p.awaitLine(T, l -> l.startsWith("hostname"), "its start");
        long pid = p.pid();
        long local = local(N1, pid);
        p.close();
        // its parent nsenter has reaped it before close() returns: a zombie left to the machine's init would
        // keep its pid taken in the node, and a daemon's pid file naming it would look like a running daemon
        assertThat(Path.of("/proc", Long.toString(pid))).as("reaped").doesNotExist();
        assertThat(ok(lab.exec(N1, T, "ps", "-e", "-o", "pid=")).out().lines().map(String::strip)).doesNotContain(Long.toString(local));
    }

    @Test
    void a_daemon_lives_until_teardown_and_killing_a_hosts_init_ends_all_its_processes() throws Exception {
        Lab other = Lab.start("pidb", "n1");
        try {
            ok(other.exec("n1", T, "setsid", "-f", "sleep", "606"));
            ok(other.exec(Lab.GATEWAY, T, "setsid", "-f", "sleep", "607"));
            Poll.until(T, "the daemons to start", () -> other.pids("n1", "sleep").size() == 1 && other.pids(Lab.GATEWAY, "sleep").size() == 1);
            long daemon = other.pids("n1", "sleep").get(0);
            long gwDaemon = other.pids(Lab.GATEWAY, "sleep").get(0);
            ok(other.exec("n1", T, "true"));
            assertThat(HostInit.alive(daemon)).as("the daemon outlives the command that started it").isTrue();
            assertThat(HostInit.state(daemon)).isNotEqualTo('T');

            long init = other.initPid("n1");
            signal("KILL", init);
            Poll.until(T, "every process of n1 to end with its init", () -> !HostInit.alive(daemon) && !HostInit.alive(init));
            assertThat(other.pids("n1")).isEmpty();
            assertThatThrownBy(() -> other.exec("n1", T, "true")).hasMessageContaining("is down");
            assertThat(HostInit.alive(gwDaemon)).as("the gateway's daemon is not n1's").isTrue();

            other.close();
            Poll.until(T, "the gateway's daemon to end with the lab", () -> !HostInit.alive(gwDaemon));
            assertThat(Lab.run(List.of("ip", "netns", "list")).stdout()).doesNotContain("pidb-");
        } finally {
            other.close();
        }
    }

    @Test
    void two_apache2_instances_started_by_debians_init_script_run_and_stop_independently() {
        assumeTrue(Files.isExecutable(Path.of("/etc/init.d/apache2")), "skipped: apache2 is not installed");
        for (String n : List.of(N1, N2)) {
            TandemNodes.installApache(lab, n);
            ok(lab.exec(n, Duration.ofSeconds(60), "/etc/init.d/apache2", "start"));
        }
        try {
            for (String n : List.of(N1, N2)) {
                assertThat(TandemNodes.fetch(lab, lab.publicAddress(n))).isEqualTo(n);
                long master = Long.parseLong(lab.read(n, "/run/apache2/apache2.pid").strip());
                assertThat(numbers(ok(lab.exec(n, T, "pidof", "apache2")).out())).contains(master)
                        .allMatch(p -> lab.pids(n, "apache2").contains(lab.machinePid(n, p).orElseThrow()));
            }
            List<Long> second = lab.pids(N2, "apache2");

            ok(lab.exec(N1, Duration.ofSeconds(60), "/etc/init.d/apache2", "stop"));
            assertThat(lab.pids(N1, "apache2")).isEmpty();
            assertThat(TandemNodes.fetch(lab, lab.publicAddress(N1))).isEmpty();
            // with one PID space, pidof would see node2's apache2 and the script refuses: "There are
            // processes named 'apache2' running which do not match your pid file" (exit 1)
            ExecResult again = ok(lab.exec(N1, Duration.ofSeconds(60), "/etc/init.d/apache2", "stop"));
            assertThat(again.stdout() + again.stderr()).doesNotContain("do not match your pid file");
            assertThat(lab.exec(N1, T, "/etc/init.d/apache2", "status").exitCode()).as("not running").isEqualTo(3);
            assertThat(lab.pids(N2, "apache2")).containsExactlyInAnyOrderElementsOf(second);
            assertThat(TandemNodes.fetch(lab, lab.publicAddress(N2))).isEqualTo(N2);
            assertThat(lab.exec(N2, T, "/etc/init.d/apache2", "status").exitCode()).as("running").isZero();

            ok(lab.exec(N2, Duration.ofSeconds(60), "/etc/init.d/apache2", "stop"));
            assertThat(lab.pids(N2, "apache2")).isEmpty();
        } finally {
            for (String n : List.of(N1, N2)) {
                lab.exec(n, Duration.ofSeconds(60), "/etc/init.d/apache2", "stop");
            }
        }
    }

    private static ExecResult ok(ExecResult r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    private static List<Long> numbers(String text) {
        return Arrays.stream(text.strip().split("\\s+")).filter(s -> s.matches("\\d+")).map(Long::valueOf).toList();
    }

    /** The pid that a host numbers a process of it with (NSpid's last field). */
    private static long local(String host, long machinePid) {
        try {
            String nspid = Files.readAllLines(Path.of("/proc", Long.toString(machinePid), "status")).stream()
                    .filter(l -> l.startsWith("NSpid:")).findFirst().orElseThrow();
            String[] f = nspid.substring(6).strip().split("\\s+");
            long local = Long.parseLong(f[f.length - 1]);
            assertThat(lab.machinePid(host, local)).contains(machinePid);
            return local;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Children of a process (zombies included), from /proc/PID/stat's ppid field. */
    private static List<Long> children(long parent) {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.map(p -> p.getFileName().toString()).filter(s -> s.matches("\\d+")).map(Long::valueOf)
                    .filter(p -> ppid(p) == parent).collect(Collectors.toList());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static long ppid(long pid) {
        return statField(pid, 1);
    }

    /** A numeric field of /proc/PID/stat counted from the state (0): 1 ppid, 2 pgrp, 3 session; -1 when gone. */
    private static long statField(long pid, int index) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[index]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void signal(String name, long pid) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor()).isZero();
    }
}
