package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's first command, {@code tandem demo}, run as a user without root (as root, the test
 * drops to nobody with setpriv): two daemons on the loopback, the page served by node 1, then node 1
 * stopped or killed and the page served by node 2.
 */
class DemoTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"graceful", "crash"})
    void theDemoFailsOverWithoutRoot(String how, @TempDir Path home) throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "skipped: setpriv (util-linux) is needed to drop root");
        }
        String classPath = root ? TestProcesses.readableClassPath(home) : System.getProperty("java.class.path");
        List<String> cmd = new ArrayList<>();
        if (root) {
            cmd.addAll(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/env", "HOME=" + home));
        }
        int slot = how.equals("crash") ? 1 : 0; // ports and addresses of their own, so both can run back to back
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-XX:TieredStopAtLevel=1",
                "-cp", classPath, "io.tandem.cli.Main", "demo", "--kill-after", "1", "--port", Integer.toString(17794 + slot),
                "--http", "127.0.0." + (101 + slot) + ":" + (18081 + slot)));
        if (how.equals("crash")) {
            cmd.addAll(List.of("--crash", "--keep"));
        }
        Process demo = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        boolean done = demo.waitFor(120, TimeUnit.SECONDS);
        String out = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            demo.destroyForcibly();
        }
        System.out.println(out);
        assertThat(done).as(out).isTrue();
        assertThat(demo.exitValue()).as(out).isZero();
        assertThat(out).contains("client: served by demo1", "client: served by demo2", ">>> failover: demo2 serves the page");
        assertThat(out).doesNotContain("Exception", "\u001b");
        // the folder it names: removed at the end, as it says, or kept with --keep
        java.util.regex.Matcher named = java.util.regex.Pattern.compile("files and logs: (\\S+) \\((.*)\\)").matcher(out);
        assertThat(named.find()).as(out).isTrue();
        Path folder = Path.of(named.group(1));
        if (how.equals("crash")) {
            assertThat(named.group(2)).isEqualTo("kept");
            assertThat(out).contains("files and logs kept in " + folder);
            assertThat(folder.resolve("demo2/ha-log")).as("the log the demo names is there").exists();
            try (var files = Files.walk(folder)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        } else {
            assertThat(named.group(2)).startsWith("removed at the end");
            assertThat(folder).doesNotExist();
        }
    }
}
