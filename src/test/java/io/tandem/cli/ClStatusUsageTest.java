package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.lab.ExecResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tandem's cl_status (bin/cl_status through the perl client, and the Java command) against heartbeat
 * 3.0.6's real /usr/bin/cl_status on this machine, where no cluster manager runs: the same standard
 * output and exit code; heartbeat's standard error carries a log prefix (date, host, pid, "ERROR: "),
 * so the texts after it are compared.
 */
class ClStatusUsageTest {
    static final Path HEARTBEATS = Path.of("/usr/bin/cl_status");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "cl_status {0}")
    @ValueSource(strings = {"", "-h", "--help", "frobnicate", "-m hbstatus", "-v", "hbstatus", "listnodes", "nodestatus node1"})
    void answers_as_heartbeats_cl_status_does(String args) throws Exception {
        assumeTrue(Files.isExecutable(HEARTBEATS), "skipped: heartbeat's cl_status is not installed");
        assumeTrue(TestProcesses.run(List.of(HEARTBEATS.toString(), "hbstatus"), Map.of(), dir).exitCode() == 1,
                "skipped: a heartbeat answers here, and this test compares the answers without one");
        List<String> words = args.isEmpty() ? List.of() : List.of(args.split(" "));
        ExecResult heartbeat = TestProcesses.run(with(List.of(HEARTBEATS.toString()), words), Map.of(), dir);
        Path run = Files.createDirectories(dir.resolve("run")); // no daemon here
        ExecResult perl = TestProcesses.run(with(List.of(TestProcesses.CHECKOUT.resolve("bin/cl_status").toString()), words),
                Map.of("TANDEM_RUN_DIR", run.toString()), dir);
        List<String> javaArgs = new ArrayList<>(List.of("cl_status", "--run-dir=" + run));
        javaArgs.addAll(words);
        ExecResult java = TestProcesses.run(TestProcesses.tandem(System.getProperty("java.class.path"), javaArgs), Map.of(), dir);
        for (ExecResult tandem : List.of(perl, java)) {
            assertThat(tandem.exitCode()).as("exit code; heartbeat: %s, tandem: %s", heartbeat, tandem).isEqualTo(heartbeat.exitCode());
            assertThat(tandem.stdout()).isEqualTo(heartbeat.stdout());
            if (heartbeat.stderr().contains("ERROR: ")) {
                assertThat(tandem.stderr().lines().findFirst().orElse(""))
                        .isEqualTo(heartbeat.stderr().lines().findFirst().orElse("").replaceFirst("^.*?ERROR: ", ""));
            }
        }
    }

    private static List<String> with(List<String> command, List<String> args) {
        List<String> all = new ArrayList<>(command);
        all.addAll(args);
        return all;
    }
}
