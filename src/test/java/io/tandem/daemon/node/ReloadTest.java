package io.tandem.daemon.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.daemon.control.ControlClient;
import io.tandem.daemon.control.ControlReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real daemon ({@code tandem run}, one node, ucast on the loopback at a high port) is reloaded by
 * SIGHUP and by {@code tandem reload}: new timers are applied, a broken file changes nothing and the
 * daemon keeps running, other changes are reported as needing a restart; {@code tandem restart}
 * brings up a new process.
 */
class ReloadTest {
    @TempDir
    Path dir;
    private boolean started;
    private Process daemon;

    @BeforeEach
    void start() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "skipped: the control socket answers root only and this is not root");
        started = true;
        Files.createDirectories(dir.resolve("etc"));
        writeHaCf("2", 17311);
        Path keys = dir.resolve("etc/authkeys");
        Files.createFile(keys, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keys, "auth 1\n1 sha1 reload-test\n");
        Files.writeString(dir.resolve("etc/haresources"), "");
        daemon = new ProcessBuilder(command("run", "--quiet")).redirectErrorStream(true)
                .redirectOutput(dir.resolve("daemon.out").toFile()).start();
        awaitUp();
    }

    @AfterEach
    void stop() throws Exception {
        if (started) {
            request("stop");
            if (daemon != null) {
                daemon.waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(30), java.util.concurrent.TimeUnit.MILLISECONDS);
                daemon.destroyForcibly();
            }
            ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(dir.toString())).orElse(false))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void sighupAppliesTimersAndReloadReportsWhatNeedsARestart() throws Exception {
        assertThat(request("cl_status", "hbparameter", "-p", "deadtime").out().strip()).isEqualTo("2");

        writeHaCf("3", 17311);
        new ProcessBuilder("kill", "-HUP", Long.toString(daemon.pid())).start().waitFor();
        poll(() -> request("cl_status", "hbparameter", "-p", "deadtime").out().strip().equals("3"), "deadtime 3 after SIGHUP");
        poll(() -> log().contains("Configuration reloaded: keepalive/deadtime/warntime/deadping."), "reload logged");

        Files.setPosixFilePermissions(dir.resolve("etc/authkeys"), PosixFilePermissions.fromString("rw-r--r--"));
        ControlReply refused = request("reload");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("nothing changed", "authkeys", "Bad permissions on keyfile");
        assertThat(request("ping").exitCode()).as("still running").isZero();
        assertThat(request("cl_status", "hbparameter", "-p", "deadtime").out().strip()).isEqualTo("3");

        Files.setPosixFilePermissions(dir.resolve("etc/authkeys"), PosixFilePermissions.fromString("rw-------"));
        Files.writeString(dir.resolve("etc/authkeys"), "auth 2\n2 md5 new-key\n");
        writeHaCf("3", 17312);
        ControlReply reply = request("reload");
        assertThat(reply.exitCode()).isZero();
        assertThat(reply.out()).contains("applied authkeys", "needs a restart: udpport, initdead");
        poll(() -> log().contains("Rereading authentication file."), "the authkeys reload logged (the log is written asynchronously)");

        long before = daemon.pid();
        Process restart = new ProcessBuilder(command("restart")).redirectErrorStream(true).start();
        String out = new String(restart.getInputStream().readAllBytes());
        assertThat(restart.waitFor()).as(out).isZero();
        long after = Long.parseLong(Files.readString(dir.resolve("run/tandem.pid")).strip());
        assertThat(after).isNotEqualTo(before);
        assertThat(request("cl_status", "hbparameter", "-p", "udpport").out().strip()).isEqualTo("17312");
        // started in the background with a logfile: tandem.out is not a second, unrotated copy of the log
        poll(() -> log().lines().filter(l -> l.contains("Configuration validated.")).count() == 2, "the second start logged");
        assertThat(Files.readString(dir.resolve("run/tandem.out"))).doesNotContain("Configuration validated", "heartbeat: [");
    }

    @Test
    void reloadAppliesTandemCfAndRefusesABadOneWithItsLine() throws Exception {
        Files.writeString(dir.resolve("etc/tandem.cf"), "fence_delay 2\nping_tiebreak off\n");
        ControlReply reply = request("reload");
        assertThat(reply.exitCode()).as(reply.err()).isZero();
        assertThat(reply.out()).contains("applied tandem.cf").doesNotContain("needs a restart");
        poll(() -> log().contains("Configuration reloaded: tandem.cf."), "the tandem.cf reload logged");

        Files.writeString(dir.resolve("etc/tandem.cf"), "fence_delay 2\nping_tiebreak maybe\n");
        ControlReply refused = request("reload");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("nothing changed", dir.resolve("etc/tandem.cf") + ":2: Invalid ping_tiebreak value [maybe]");
        assertThat(request("ping").exitCode()).as("still running").isZero();
        assertThat(request("reload").exitCode()).as("still broken, still refused").isEqualTo(1);

        Files.writeString(dir.resolve("etc/tandem.cf"), "fence_delay 2\nping_tiebreak off\n");
        assertThat(request("reload").out()).as("nothing changed since the last good reload").contains("reloaded: nothing to apply");
    }

    private void writeHaCf(String deadtime, int port) throws IOException {
        Files.writeString(dir.resolve("etc/ha.cf"), "logfile " + dir.resolve("ha-log") + "\nkeepalive 500ms\ndeadtime " + deadtime
                + "\nwarntime 1\ninitdead " + (Integer.parseInt(deadtime) * 2) + "\nudpport " + port + "\nucast lo 127.0.0.1\n"
                + "auto_failback off\nnode reload1\nnode reload2\n");
    }

    private List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "io.tandem.cli.Main"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-c", dir.resolve("etc").toString(), "--node", "reload1", "--state-dir", dir.resolve("state").toString(),
                "--run-dir", dir.resolve("run").toString()));
        return cmd;
    }

    private ControlReply request(String... words) {
        try {
            return ControlClient.request(dir.resolve("run/control.sock"), List.of(words));
        } catch (IOException e) {
            return ControlReply.fail(3, e.getMessage());
        }
    }

    private String log() {
        try {
            return Files.exists(dir.resolve("ha-log")) ? Files.readString(dir.resolve("ha-log")) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private void awaitUp() throws IOException {
        poll(() -> request("ping").exitCode() == 0, "the daemon to answer; output: " + dir.resolve("daemon.out"));
    }

    private static void poll(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
        }
    }
}
