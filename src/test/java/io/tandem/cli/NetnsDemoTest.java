package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code tandem demo --netns}: a real VIP in network namespaces moves on a stop and on a power-off, and nothing is left behind. */
class NetnsDemoTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"graceful", "crash"})
    void theVipMovesAndEverythingIsRemoved(String how) throws Exception {
        String why = NetnsDemo.unavailable();
        assumeTrue(why == null, () -> "skipped: " + why);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "io.tandem.cli.Main", "demo", "--netns",
                "--kill-after", "1"));
        if (how.equals("crash")) {
            cmd.add("--crash");
        }
        Process demo = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        boolean done = demo.waitFor(150, TimeUnit.SECONDS);
        String out = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            demo.destroyForcibly();
        }
        System.out.println(out);
        assertThat(done).as(out).isTrue();
        assertThat(demo.exitValue()).as(out).isZero();
        assertThat(out).contains("client: served by node1", "client: served by node2", ">>> failover: node2 serves the VIP");
        Process list = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
        String namespaces = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        list.waitFor();
        assertThat(namespaces).doesNotContain(NetnsDemo.PREFIX + "-");
    }
}
