package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.lab.Poll;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ha.cf {@code respawn} lines on a real daemon ({@code tandem run} on the loopback): the client runs as
 * the named user (as root: nobody), is started again when it exits, not when it exits with 100, and is
 * stopped with the daemon (issue 17). The rate limit is {@code RespawnRuleTest}'s.
 */
class RespawnTest {
    @TempDir
    Path dir;

    @Test
    void clients_run_as_their_user_are_respawned_and_stopped_with_the_daemon() throws Exception {
        String user = TestProcesses.ROOT ? "nobody" : System.getProperty("user.name");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path runs = writable(dir.resolve("runs"));
        Path once = writable(dir.resolve("once"));
        // one client lives a second and exits 1: respawned; one exits 100 at once: never again
        Path flaky = script(bin.resolve("flaky"), "echo \"$(id -un) $$ $1\" >> " + runs + "\nsleep 1\nexit 1\n");
        Path done = script(bin.resolve("done"), "echo \"$(id -un) $$\" >> " + once + "\nexit 100\n");
        Path lasting = script(bin.resolve("lasting"), "echo $$ > " + dir.resolve("lasting.pid") + "\nexec sleep 300\n");
        writable(dir.resolve("lasting.pid"));
        try (LoopbackNode node = new LoopbackNode(dir.resolve("node"))) {
            Path haCf = node.dir.resolve("etc/ha.cf");
            Files.writeString(haCf, Files.readString(haCf) + "respawn " + user + " " + flaky + " arg1\nrespawn " + user + " " + done
                    + "\nrespawn " + user + " " + lasting + "\nrespawn hacluster /usr/lib/heartbeat/ipfail\n");
            node.start();
            Poll.until(Duration.ofSeconds(60), "three runs of the flaky client", () -> lines(runs).size() >= 3);
            List<String> seen = lines(runs);
            assertThat(seen).allSatisfy(l -> assertThat(l).startsWith(user + " ").endsWith(" arg1"));
            assertThat(seen.stream().map(l -> l.split(" ")[1]).distinct()).as("a new process each time").hasSameSizeAs(seen);
            assertThat(lines(once)).hasSize(1).allSatisfy(l -> assertThat(l).startsWith(user + " "));
            Poll.until(Duration.ofSeconds(30), "the lasting client's pid", () -> !lines(dir.resolve("lasting.pid")).isEmpty());
            long lastingPid = Long.parseLong(lines(dir.resolve("lasting.pid")).get(0).strip());
            assertThat(ProcessHandle.of(lastingPid).map(ProcessHandle::isAlive)).contains(true);

            assertThat(node.ask("stop", "--wait", "30").exitCode()).isZero();
            assertThat(ProcessHandle.of(lastingPid).map(ProcessHandle::isAlive).orElse(false)).as("stopped with the daemon").isFalse();
            String log = Files.readString(node.dir.resolve("ha-log"), StandardCharsets.UTF_8);
            assertThat(log).contains("Starting child client \"" + flaky + " arg1\"", "Client " + flaky + " arg1 exited with return code 1.",
                    "Respawning client \"" + flaky + " arg1\":", "Client " + done + " exited with return code 100: not respawned",
                    "killing " + lasting + " process group " + lastingPid + " with signal 15",
                    "respawn: Tandem does not run /usr/lib/heartbeat/ipfail");
            assertThat(log).doesNotContain("Starting child client \"/usr/lib/heartbeat/ipfail");
            int after = lines(runs).size();
            Thread.sleep(2_500); // longer than a flaky run and its pause: nothing restarts it after the stop
            assertThat(lines(runs)).hasSize(after);
            assertThat(lines(once)).hasSize(1);
        }
    }

    @Test
    void check_and_start_refuse_an_unknown_user_and_a_program_that_cannot_run() throws Exception {
        try (LoopbackNode node = new LoopbackNode(dir.resolve("node"))) {
            Path haCf = node.dir.resolve("etc/ha.cf");
            String before = Files.readString(haCf);
            int first = before.split("\n").length + 1;
            Files.writeString(haCf, before + "respawn no-such-user-ux /bin/true\nrespawn root /nonexistent/ux-client -v\n");
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            // checked on the node itself (a user or program this host lacks is an error only there)
            io.tandem.daemon.os.LocalHostFacts local = new io.tandem.daemon.os.LocalHostFacts();
            io.tandem.config.HostFacts asNode = new io.tandem.config.HostFacts() {
                @Override
                public String hostname() {
                    return LoopbackNode.NAME;
                }

                @Override
                public boolean interfaceExists(String name) {
                    return local.interfaceExists(name);
                }
            };
            int rc = CheckCommand.run(node.dir.resolve("etc"), LoopbackNode.NAME, asNode,
                    new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(rc).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains(
                    haCf + ":" + first + ": Invalid uid [no-such-user-ux] specified for client child",
                    haCf + ":" + (first + 1) + ": Client child command [/nonexistent/ux-client] is not executable");
        }
    }

    private static Path writable(Path file) throws IOException {
        Files.writeString(file, "");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        return file;
    }

    private static Path script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
