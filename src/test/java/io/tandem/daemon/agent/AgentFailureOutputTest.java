package io.tandem.daemon.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.config.Severity;
import io.tandem.daemon.process.ProcessRunner;
import io.tandem.resources.Effect;
import io.tandem.resources.OpResult;
import io.tandem.resources.ResourceOp;
import io.tandem.resources.ResourceOp.Action;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed operation's own output reaches the log at ERROR, bounded and escaped (issue 17). */
class AgentFailureOutputTest {
    private static ProcessRunner processes;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        processes = new ProcessRunner(1_000);
    }

    @AfterAll
    static void stop() {
        processes.close();
    }

    private static List<String> errors(AgentOutcome o) {
        return o.log().stream().filter(l -> l.level() == Severity.ERROR).map(Effect.Log::text).toList();
    }

    @Test
    void heartbeats_ipaddr_says_why_it_refuses_an_address_and_the_log_keeps_it() throws Exception {
        // the real script refuses the address while validating its argument: nothing touches an interface
        assumeTrue(Files.isExecutable(Path.of("/etc/ha.d/resource.d/IPaddr")), "skipped: heartbeat's IPaddr script is not installed");
        AgentRunner runner = AgentRunner.standard(processes, AgentRunner.heartbeatEnvironment("node1", null, null, null));
        AgentOutcome o = runner.run(new ResourceOp("g", "IPaddr::192.168.300.1/24/lo", Action.START)).get(60, TimeUnit.SECONDS);
        assertThat(o.result()).isEqualTo(OpResult.FAILED);
        assertThat(errors(o)).contains("IP address [192.168.300.1] not valid.", "Return code 1 from /etc/ha.d/resource.d/IPaddr");
        assertThat(o.log()).filteredOn(l -> l.text().equals("IP address [192.168.300.1] not valid."))
                .extracting(Effect.Log::source).containsOnly("IPaddr");
    }

    @Test
    void a_flood_of_output_is_cut_to_its_last_lines_and_control_characters_are_escaped() throws Exception {
        Path rd = Files.createDirectory(dir.resolve("resource.d"));
        Path script = rd.resolve("Noisy");
        Files.writeString(script, "#!/bin/sh\ni=0\nwhile [ $i -lt 100 ]; do echo \"line $i\"; i=$((i+1)); done\n"
                + "printf 'ERROR: bad \\033[31mred\\033[0m\\n'\nexit 1\n"); // one stream: the order is the script's
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        AgentRunner runner = new AgentRunner(processes, new AgentLookup(rd.toString(), dir.resolve("init.d").toString(),
                AgentLookup.OCF_ROOT, 20_000), new FileAgentCatalog(), Map.of(), List.of());
        AgentOutcome o = runner.run(new ResourceOp("g", "Noisy", Action.START)).get(60, TimeUnit.SECONDS);
        List<String> errors = errors(o);
        assertThat(errors).hasSize(AgentRunner.MAX_FAILURE_LINES + 2); // the note, the lines, Return code
        assertThat(errors.get(0)).isEqualTo("(81 earlier output lines not shown)");
        assertThat(errors.get(1)).isEqualTo("line 81");
        assertThat(errors).contains("bad \\x1b[31mred\\x1b[0m", "Return code 1 from " + script);
        assertThat(errors).allSatisfy(t -> assertThat(t).doesNotContain("\u001b"));
    }

    @Test
    void a_successful_operation_keeps_its_output_at_debug_level() throws Exception {
        Path rd = Files.createDirectory(dir.resolve("resource.d"));
        Path script = rd.resolve("Fine");
        Files.writeString(script, "#!/bin/sh\necho all good\nexit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        AgentRunner runner = new AgentRunner(processes, new AgentLookup(rd.toString(), dir.resolve("init.d").toString(),
                AgentLookup.OCF_ROOT, 20_000), new FileAgentCatalog(), Map.of(), List.of());
        AgentOutcome o = runner.run(new ResourceOp("g", "Fine", Action.START)).get(60, TimeUnit.SECONDS);
        assertThat(o.result()).isEqualTo(OpResult.OK);
        assertThat(errors(o)).isEmpty();
        assertThat(o.log()).anySatisfy(l -> {
            assertThat(l.text()).isEqualTo("all good");
            assertThat(l.level()).isEqualTo(Severity.DEBUG);
        });
    }
}
