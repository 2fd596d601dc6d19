package io.tandem.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LabTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static Lab lab;

    @BeforeAll
    static void startLab() {
        assumeTrue(Lab.unavailable().isEmpty(), () -> "skipped: " + Lab.unavailable().orElse(""));
        lab = Lab.start("tl", "node1", "node2");
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void every_host_has_its_own_hostname_and_nodes_have_eth0_and_eth1() {
        assertThat(lab.exec("node1", T, "hostname").out()).isEqualTo("node1");
        assertThat(lab.exec("node2", T, "hostname").out()).isEqualTo("node2");
        assertThat(lab.exec(Lab.CLIENT, T, "hostname").out()).isEqualTo("client");
        String links = lab.exec("node1", T, "ip", "-br", "-4", "addr").out();
        assertThat(links).containsPattern("eth0@\\S+\\s+UP\\s+192\\.0\\.2\\.11/24").containsPattern("eth1@\\S+\\s+UP\\s+198\\.51\\.100\\.128/24");
        assertThat(lab.exec("node1", T, "cat", "/sys/class/net/eth1/address").ok()).isTrue();
    }

    @Test
    void nodes_reach_each_other_on_both_lans_and_the_client_reaches_them_through_the_gateway() {
        assertThat(lab.exec("node1", T, "ping", "-c1", "-W3", lab.publicAddress("node2")).exitCode()).isZero();
        assertThat(lab.exec("node1", T, "ping", "-c1", "-W3", lab.heartbeatAddress("node2")).exitCode()).isZero();
        assertThat(lab.exec("node2", T, "ping", "-c1", "-W3", Lab.GATEWAY_ADDRESS).exitCode()).isZero();
        ExecResult fromClient = lab.exec(Lab.CLIENT, T, "ping", "-c1", "-W3", lab.publicAddress("node1"));
        assertThat(fromClient.exitCode()).as(fromClient.toString()).isZero();
        assertThat(lab.exec("node1", T, "ping", "-c1", "-W1", "192.0.2.99").exitCode()).isNotZero();
    }

    @Test
    void heartbeat_directories_are_private_to_each_node() throws IOException {
        Files.writeString(lab.path("node1", "/etc/ha.d/lab-marker"), "one\n");
        assertThat(lab.exec("node1", T, "cat", "/etc/ha.d/lab-marker").out()).isEqualTo("one");
        assertThat(lab.exec("node2", T, "test", "-e", "/etc/ha.d/lab-marker").exitCode()).isNotZero();
        assertThat(Path.of("/etc/ha.d/lab-marker")).doesNotExist();
        assertThat(lab.exec("node1", T, "test", "-x", "/etc/ha.d/resource.d/IPaddr").exitCode())
                .as("the package's /etc/ha.d content is there").isEqualTo(Files.exists(Path.of("/etc/ha.d/resource.d/IPaddr")) ? 0 : 1);

        assertThat(lab.exec("node2", T, "sh", "-c", "echo two > /var/run/lab-marker && echo x > /var/log/lab-marker").ok()).isTrue();
        assertThat(lab.read("node2", "/run/lab-marker")).isEqualTo("two\n");
        assertThat(lab.path("node2", "/var/run/lab-marker")).isEqualTo(lab.path("node2", "/run/lab-marker"));
        assertThat(lab.path("node1", "/run/lab-marker")).doesNotExist();
        assertThat(Path.of("/run/lab-marker")).doesNotExist();
        assertThat(Path.of("/var/log/lab-marker")).doesNotExist();
        assertThat(lab.exec("node1", T, "stat", "-c", "%U:%G %a", "/var/run/heartbeat").out())
                .isEqualTo(Files.exists(Path.of("/usr/libexec/heartbeat/heartbeat")) ? "hacluster:haclient 750" : "root:root 755");

        Path www = lab.addPrivateDir("node1", "/var/www");
        Files.writeString(www.resolve("index.html"), "node1 page\n");
        assertThat(lab.exec("node1", T, "cat", "/var/www/index.html").out()).isEqualTo("node1 page");
    }

    @Test
    void a_java_main_of_the_project_runs_inside_a_node() {
        try (LabProcess p = lab.startJava("node2", LabHostMain.class.getName(), "a", "b")) {
            p.awaitLine(T, "hostname node2"::equals, "its host name");
            p.awaitLine(T, "args a b"::equals, "its arguments");
            p.awaitLine(T, "ha.d false"::equals, "its private /etc/ha.d");
        }
    }

    @Test
    void a_lab_left_behind_by_a_killed_jvm_is_cleaned_up_by_the_next_start() {
        String prefix = "tlk";
        Process holder;
        try {
            holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), StaleLabMain.class.getName(), prefix).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        LabProcess stale = new LabProcess("machine", "StaleLabMain", holder);
        try {
            String ready = stale.awaitLine(Duration.ofSeconds(60), l -> l.startsWith("ready"), "ready");
            long sleeper = Long.parseLong(ready.replaceAll("[^0-9]", ""));
            // while its JVM runs, the prefix is taken: a second lab of it neither starts nor cleans the first away
            assertThatThrownBy(() -> Lab.start(prefix, "node1")).hasMessageContaining("lab prefix " + prefix + " is in use");
            assertThatThrownBy(() -> Lab.cleanStale(prefix)).hasMessageContaining("is in use");
            assertThat(namespaces()).contains(prefix + "-n1");
            assertThat(ProcessHandle.of(sleeper).filter(ProcessHandle::isAlive)).isPresent();
            // SIGKILL of the JVM alone (no shutdown hook, the lab stays behind); its descendants, the
            // hosts' inits among them, live on as after a real crash of a test JVM
            holder.destroyForcibly();
            assertThat(stale.waitFor(T)).isEqualTo(137);
            assertThat(namespaces()).contains(prefix + "-n1", prefix + "-sw", prefix + "-gw");
            assertThat(ProcessHandle.of(sleeper)).isPresent();

            Lab.cleanStale(prefix);

            assertThat(namespaces()).noneMatch(ns -> ns.startsWith(prefix + "-"));
            Poll.until(T, "the left-behind daemon to die", () -> gone(sleeper));
            assertThat(Path.of(System.getProperty("java.io.tmpdir"), "tandem-lab-" + prefix)).doesNotExist();
        } finally {
            stale.close();
            Lab.cleanStale(prefix);
        }
    }

    @Test
    void closing_a_lab_removes_its_namespaces_processes_and_files() {
        Lab other = Lab.start("tlc", "n1");
        Path dir = other.path("n1", "/etc/ha.d");
        other.exec("n1", T, "setsid", "-f", "sleep", "600");
        // setsid -f returns before its child has become "sleep"
        Poll.until(T, "the daemon in the lab to start", () -> other.pids("n1", "sleep").size() == 1);
        List<Long> sleepers = other.pids("n1", "sleep");
        assertThat(namespaces()).contains("tlc-n1", "tlc-sw", "tlc-gw", "tlc-cl");

        other.close();

        assertThat(namespaces()).noneMatch(ns -> ns.startsWith("tlc-"));
        Poll.until(T, "the daemon in the lab to die", () -> gone(sleepers.get(0)));
        assertThat(dir).doesNotExist();
    }

    /** Dead (a zombie still being reaped counts as dead) or gone. */
    private static boolean gone(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }

    private static List<String> namespaces() {
        return Lab.run(List.of("ip", "netns", "list")).stdout().lines().map(l -> l.split(" ")[0]).toList();
    }
}
