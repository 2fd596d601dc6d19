package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.lab.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * bin/tandem as a new user runs it: {@code start} with {@code --run-dir}, {@code --wait} and
 * {@code --help} (the bash start without a JVM of its own), the same with no perl on the PATH (Java
 * does the start), and help everywhere. bin/tandem runs this JVM's classes (TANDEM_CLASSPATH), so
 * no jar is needed.
 */
class StartScriptTest {
    private static final Pattern STARTED = Pattern.compile("\\Atandem: started \\(pid (\\d+)\\)\n\\z");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "bin/tandem {0}")
    @ValueSource(strings = {"", "--help", "help", "help start", "start --help", "start -h", "status --help", "stop --help", "hb_standby --help",
        "restart --help", "run --help", "ping --help", "check --help", "demo --help"})
    void help_is_printed_with_exit_0(String args) throws Exception {
        ExecResult r = tandem(args.isEmpty() ? List.of() : List.of(args.split(" ")), Map.of());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).startsWith("Usage: tandem");
    }

    @Test
    void a_bad_option_is_named() throws Exception {
        ExecResult wait = tandem(List.of("start", "--wait", "soon"), Map.of());
        assertThat(wait.exitCode()).isEqualTo(2);
        assertThat(wait.stderr()).startsWith("Invalid value for option '--wait': 'soon' is not an int\nUsage: tandem start");
        ExecResult runDir = tandem(List.of("start", "--run-dir"), Map.of());
        assertThat(runDir.exitCode()).isEqualTo(2);
        assertThat(runDir.stderr()).startsWith("Missing required parameter for option '--run-dir' (DIR)");
        ExecResult control = tandem(List.of("cl_status", "listnodes", "--run-dir"), Map.of()); // not sent as a word by the perl client
        assertThat(control.exitCode()).isEqualTo(2);
        assertThat(control.stderr()).startsWith("Missing required parameter for option '--run-dir' (DIR)");
    }

    @Test
    void start_with_run_dir_and_wait_then_stop() throws Exception {
        assumeTrue(TestProcesses.onPath("perl"), "skipped: perl is not installed (the start without perl is tested apart)");
        startAndStop(Map.of());
    }

    @Test
    void start_works_without_perl() throws Exception {
        startAndStop(Map.of("PATH", noPerlPath().toString()));
    }

    @Test
    void a_daemon_that_cannot_start_says_why() throws Exception {
        for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("PATH", noPerlPath().toString()))) {
            try (LoopbackNode node = new LoopbackNode(Files.createTempDirectory(dir, "node"))) {
                Files.writeString(node.dir.resolve("etc/ha.cf"), "frobnicate yes\n", java.nio.file.StandardOpenOption.APPEND);
                ExecResult r = tandem(startArgs(node, List.of("--wait", "30")), env);
                assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
                assertThat(r.stdout()).isEmpty();
                assertThat(r.stderr()).startsWith("tandem: the daemon did not start (exit 1):\ntandem: ").contains("ha.cf:11:");
            }
        }
    }

    /** tandem start (twice: the second says it already runs), status, stop; the forms --run-dir=DIR and --wait N. */
    private void startAndStop(Map<String, String> env) throws Exception {
        try (LoopbackNode node = new LoopbackNode(dir.resolve("node"))) {
            ExecResult started = tandem(startArgs(node, List.of("--wait", "60")), env);
            Matcher m = STARTED.matcher(started.stdout());
            assertThat(m.matches()).as(started.toString()).isTrue();
            assertThat(started.exitCode()).isZero();
            assertThat(started.stderr()).isEmpty();
            long pid = Long.parseLong(m.group(1));
            assertThat(node.pid()).isEqualTo(pid);

            ExecResult again = tandem(startArgs(node, List.of("--wait=5")), env);
            assertThat(again).isEqualTo(new ExecResult(0, "", "tandem: already running as pid " + pid + "\n"));

            ExecResult status = tandem(List.of("status", "--run-dir", node.runDir().toString()), env);
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.stdout()).startsWith("Tandem on " + LoopbackNode.NAME + ": ");

            ExecResult stop = tandem(List.of("stop", "--run-dir=" + node.runDir()), env);
            assertThat(stop).isEqualTo(new ExecResult(0, "Tandem stopped.\n", ""));
            assertThat(TestProcesses.ended(pid)).as("the daemon has ended when stop returns").isTrue();
        }
    }

    private static List<String> startArgs(LoopbackNode node, List<String> more) {
        List<String> args = new ArrayList<>(List.of("start", "--run-dir=" + node.runDir()));
        args.addAll(node.daemonOptions());
        args.addAll(more);
        return args;
    }

    /** A PATH with what bin/tandem needs besides perl: links to bash, java, setsid and the coreutils it calls. */
    private Path noPerlPath() throws IOException {
        Path bin = dir.resolve("no-perl-bin");
        if (Files.isDirectory(bin)) {
            return bin;
        }
        Files.createDirectories(bin);
        Files.createSymbolicLink(bin.resolve("java"), Path.of(TestProcesses.java()));
        for (String tool : List.of("bash", "setsid", "readlink", "dirname", "mkdir", "tail", "sleep")) {
            Path found = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin").stream().map(d -> Path.of(d, tool)).filter(Files::isExecutable)
                    .findFirst().orElseThrow(() -> new AssertionError(tool + " not found"));
            Files.createSymbolicLink(bin.resolve(tool), found);
        }
        assertThat(bin.resolve("perl")).doesNotExist();
        return bin;
    }

    private ExecResult tandem(List<String> args, Map<String, String> env) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(TestProcesses.CHECKOUT.resolve("bin/tandem").toString()));
        cmd.addAll(args);
        Map<String, String> all = new HashMap<>(env);
        all.put("TANDEM_CLASSPATH", System.getProperty("java.class.path"));
        return TestProcesses.run(cmd, all, dir);
    }
}
