package io.tandem.daemon.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.daemon.agent.AgentLookup;
import io.tandem.daemon.agent.AgentOutcome;
import io.tandem.daemon.agent.AgentRunner;
import io.tandem.daemon.agent.FileAgentCatalog;
import io.tandem.daemon.process.ProcessRunner;
import io.tandem.resources.ResourceOp;
import io.tandem.resources.ResourceOp.Action;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event history's details of a real script's run: its exit code, and its last output lines when it failed. */
class OpDetailsTest {
    @TempDir
    Path dir;

    private AgentOutcome run(String name, String body) throws Exception {
        Path rd = Files.createDirectories(dir.resolve("resource.d"));
        Path script = rd.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (ProcessRunner processes = new ProcessRunner(1_000)) {
            AgentRunner runner = new AgentRunner(processes, new AgentLookup(rd.toString(), dir.resolve("init.d").toString(),
                    AgentLookup.OCF_ROOT, 20_000), new FileAgentCatalog(), Map.of(), List.of());
            return runner.run(new ResourceOp("g", name, Action.START)).get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_failed_start_gives_its_exit_code_and_its_last_words_escaped() throws Exception {
        Map<String, String> d = OpDetails.of(run("Broken", "echo starting\necho 'no config \033[31m/etc/x\033[0m'\nexit 6\n"));
        assertThat(d).containsEntry("exitCode", "6");
        assertThat(d.get("output")).isEqualTo("starting | no config \\x1b[31m/etc/x\\x1b[0m");
    }

    @Test
    void a_good_start_gives_its_exit_code_only() throws Exception {
        assertThat(OpDetails.of(run("Fine", "echo all good\nexit 0\n"))).isEqualTo(Map.of("exitCode", "0"));
    }
}
