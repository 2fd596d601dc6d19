package io.tandem.daemon.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.config.StonithDevice;
import io.tandem.daemon.process.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cluster-glue's real stonith command, with its "null" device (it resets the hosts of its list and nothing else). */
class StonithRunnerTest {
    private final ProcessRunner processes = new ProcessRunner(500);
    private final List<String> logged = new CopyOnWriteArrayList<>();

    @BeforeEach
    void needsStonith() {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/stonith")), "skipped: cluster-glue's stonith command is not installed");
    }

    @AfterEach
    void close() {
        processes.close();
    }

    @Test
    void a_stonith_host_line_runs_stonith_with_its_parameters_in_a_private_file() throws Exception {
        StonithDevice d = new StonithDevice("*", "null", "", "node1 node2", 1);
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> before = leftovers(tmp);
        StonithRunner.Outcome o = new StonithRunner(processes, d, logged::add).reset("node1").join();
        assertThat(o.ok()).isTrue();
        assertThat(o.detail()).isEmpty();
        assertThat(leftovers(tmp)).as("parameter files left behind").isEqualTo(before);
    }

    private static List<Path> leftovers(Path tmp) throws Exception {
        try (var s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("tandem-stonith-")).sorted().toList();
        }
    }

    @Test
    void a_stonith_line_runs_stonith_with_its_file(@TempDir Path dir) throws Exception {
        Path cfg = Files.writeString(dir.resolve("null.cfg"), "node1 node2\n");
        StonithDevice d = new StonithDevice("*", "null", cfg.toString(), "", 1);
        assertThat(StonithRunner.argv(d, cfg, "node2")).containsExactly("/usr/sbin/stonith", "-t", "null", "-F", cfg.toString(),
                "-T", "reset", "node2");
        assertThat(new StonithRunner(processes, d, logged::add).reset("node2").join().ok()).isTrue();
    }

    @Test
    void a_failure_says_how_the_command_ended() {
        StonithDevice d = new StonithDevice("*", "null", "", "", 1);
        StonithRunner.Outcome o = new StonithRunner(processes, d, logged::add).reset("node1").join();
        assertThat(o.ok()).isFalse();
        // the null device needs its host list: without it, stonith refuses the configuration
        assertThat(o.detail()).startsWith("stonith -t null -T reset node1 exited with status ");
    }

    @Test
    void an_unknown_device_type_fails() {
        StonithDevice d = new StonithDevice("*", "external/no-such-plugin-fen", "", "x", 1);
        StonithRunner.Outcome o = new StonithRunner(processes, d, logged::add).reset("node1").join();
        assertThat(o.ok()).isFalse();
        assertThat(o.detail()).startsWith("stonith -t external/no-such-plugin-fen -T reset node1 exited with status ");
    }

    @Test
    void the_status_check_runs_stonith_dash_S_and_says_why_it_failed() throws Exception {
        StonithDevice good = new StonithDevice("*", "null", "", "node1 node2", 1);
        assertThat(StonithRunner.statusArgv(good, Path.of("/p"))).containsExactly("/usr/sbin/stonith", "-t", "null", "-F", "/p", "-S");
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> before = leftovers(tmp);
        StonithRunner.Outcome ok = new StonithRunner(processes, good, logged::add).status().join();
        assertThat(ok.ok()).isTrue();
        assertThat(leftovers(tmp)).as("parameter files left behind").isEqualTo(before);
        StonithRunner.Outcome bad = new StonithRunner(processes, new StonithDevice("*", "external/no-such-plugin-fck", "", "x", 1),
                logged::add).status().join();
        assertThat(bad.ok()).isFalse();
        assertThat(bad.detail()).startsWith("stonith -t external/no-such-plugin-fck -S exited with status ");
        assertThat(logged).as("a status check logs no output lines itself").isEmpty();
    }
}
