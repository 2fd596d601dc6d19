package io.tandem.daemon.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.daemon.process.ProcessRunner;
import io.tandem.lab.Poll;
import io.tandem.resources.OpResult;
import io.tandem.resources.ResourceOp;
import io.tandem.resources.ResourceOp.Action;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real scripts through the agent runner: an LSB init script, heartbeat-style scripts, an OCF agent. */
class AgentScriptsTest {
    private static ProcessRunner processes;

    @TempDir
    Path dir;
    private Path resourceDir;
    private Path initDir;
    private AgentRunner runner;

    @BeforeAll
    static void start() {
        processes = new ProcessRunner(1_000);
    }

    @AfterAll
    static void stop() {
        processes.close();
    }

    @BeforeEach
    void dirs() throws IOException {
        resourceDir = Files.createDirectory(dir.resolve("resource.d"));
        initDir = Files.createDirectory(dir.resolve("init.d"));
        runner = new AgentRunner(processes, new AgentLookup(resourceDir.toString(), initDir.toString(), AgentLookup.OCF_ROOT, 2_000),
                new FileAgentCatalog(), Map.of("HA_CURHOST", "node1"), List.of());
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private AgentOutcome run(String resource, Action action) throws Exception {
        return runner.run(new ResourceOp("g", resource, action)).get(60, TimeUnit.SECONDS);
    }

    private static List<String> texts(AgentOutcome o) {
        return o.log().stream().map(l -> l.level().word() + ": " + l.text()).toList();
    }

    /** An LSB init script that starts a detached sleep as its daemon, with a pid file. */
    private void lsbService(String name, Path pidFile) throws IOException {
        script(initDir.resolve(name), ""
                + "PIDFILE=" + pidFile + "\n"
                + "running() { [ -s \"$PIDFILE\" ] && kill -0 \"$(cat \"$PIDFILE\")\" 2>/dev/null; }\n"
                + "case \"$1\" in\n"
                + "start) running && exit 0\n"
                + "  setsid sh -c 'echo $$ > \"$0\"; exec sleep 300' \"$PIDFILE\" >/dev/null 2>&1 </dev/null &\n"
                + "  while ! running; do :; done; echo \"Starting " + name + "\"; exit 0;;\n"
                + "stop) running && kill \"$(cat \"$PIDFILE\")\"; rm -f \"$PIDFILE\"; exit 0;;\n"
                + "status) if running; then echo \"" + name + " is running\"; exit 0; else echo \"" + name + " is not running\"; exit 3; fi;;\n"
                + "*) echo \"Usage: $0 {start|stop|status}\"; exit 2;;\n"
                + "esac\n");
    }

    @Test
    void lsb_init_script_start_status_stop() throws Exception {
        Path pidFile = dir.resolve("svc.pid");
        lsbService("tasvc", pidFile);
        try {
            assertThat(run("tasvc", Action.STATUS).result()).isEqualTo(OpResult.NOT_RUNNING);
            AgentOutcome start = run("tasvc", Action.START);
            assertThat(start.result()).as("%s", texts(start)).isEqualTo(OpResult.OK);
            assertThat(texts(start)).contains("info: Running " + initDir.resolve("tasvc") + "  start");
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("the daemon outlives its start script").contains(true);
            AgentOutcome status = run("tasvc", Action.STATUS);
            assertThat(status.result()).isEqualTo(OpResult.RUNNING);
            assertThat(texts(status)).noneMatch(l -> l.startsWith("info: Running"));

            AgentOutcome stop = run("tasvc", Action.STOP);
            assertThat(stop.result()).isEqualTo(OpResult.OK);
            Poll.until(Duration.ofSeconds(10), "daemon " + pid + " to stop", () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
            assertThat(run("tasvc", Action.STATUS).result()).isEqualTo(OpResult.NOT_RUNNING);
            assertThat(run("tasvc", Action.STOP).result()).as("stop when stopped").isEqualTo(OpResult.OK);
        } finally {
            if (Files.exists(pidFile)) {
                ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void lsb_status_is_judged_by_exit_code_and_resource_d_status_by_stdout_text() throws Exception {
        String liar = "echo \"$1: everything is running OK\"; echo 'not running' >&2; exit 3\n";
        script(initDir.resolve("taliar"), liar);
        script(resourceDir.resolve("taliar2"), liar);
        assertThat(run("taliar", Action.STATUS).result()).isEqualTo(OpResult.NOT_RUNNING);
        AgentOutcome text = run("taliar2", Action.STATUS);
        assertThat(text.result()).as("stdout says running; stderr and exit code are ignored").isEqualTo(OpResult.RUNNING);
        assertThat(texts(text)).contains("debug: not running");
    }

    @Test
    void resource_d_scripts_get_their_arguments_and_heartbeats_environment() throws Exception {
        Path out = dir.resolve("args.out");
        script(resourceDir.resolve("Rec"), "echo \"$HA_CURHOST $*\" >> " + out + "\nexit 0\n");
        AgentOutcome start = run("Rec::a1::/x/y::", Action.START);
        assertThat(start.result()).isEqualTo(OpResult.OK);
        assertThat(texts(start)).contains("info: Running " + resourceDir.resolve("Rec") + " a1 /x/y start");
        assertThat(Files.readAllLines(out)).containsExactly("node1 a1 /x/y start");
    }

    @Test
    void failures_timeouts_and_unknown_scripts_are_logged_as_resource_manager_does() throws Exception {
        script(resourceDir.resolve("Bad"), "echo 'cannot start' >&2\nexit 5\n");
        AgentOutcome bad = run("Bad::x", Action.START);
        assertThat(bad.result()).isEqualTo(OpResult.FAILED);
        assertThat(texts(bad)).contains("info: Running " + resourceDir.resolve("Bad") + " x start",
                "ERROR: cannot start", "ERROR: Return code 5 from " + resourceDir.resolve("Bad"));

        Path pid = dir.resolve("hang.pid");
        script(resourceDir.resolve("Hang"), "sleep 300 &\necho $! > " + pid + "\nwait\n");
        AgentOutcome hang = run("Hang", Action.STOP);
        assertThat(hang.result()).isEqualTo(OpResult.FAILED);
        assertThat(texts(hang)).anyMatch(l -> l.startsWith("ERROR: " + resourceDir.resolve("Hang") + "  stop timed out after 2000 ms"));
        long child = Long.parseLong(Files.readString(pid).trim());
        Poll.until(Duration.ofSeconds(10), "the script's child to be killed", () -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
        assertThat(run("Hang", Action.STATUS).result()).isEqualTo(OpResult.FAILED);

        AgentOutcome missing = run("nosuch::a", Action.START);
        assertThat(missing.result()).isEqualTo(OpResult.FAILED);
        assertThat(texts(missing)).containsExactly("ERROR: Cannot locate resource script nosuch");
        assertThat(run("nosuch::a", Action.STATUS).result()).isEqualTo(OpResult.NOT_RUNNING);
    }

    @Test
    void ocf_dummy_agent_start_monitor_stop() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(AgentLookup.OCF_ROOT, "resource.d/heartbeat/Dummy")), "resource-agents' Dummy is not installed");
        Path state = dir.resolve("dummy.state");
        String res = "ocf:heartbeat:Dummy::state=" + state;
        assertThat(run(res, Action.STATUS).result()).isEqualTo(OpResult.NOT_RUNNING);
        AgentOutcome start = run(res, Action.START);
        assertThat(start.result()).as("%s", texts(start)).isEqualTo(OpResult.OK);
        assertThat(texts(start)).contains("info: Running " + AgentLookup.OCF_ROOT + "/resource.d/heartbeat/Dummy  start");
        assertThat(state).exists();
        assertThat(run(res, Action.STATUS).result()).isEqualTo(OpResult.RUNNING);
        assertThat(run(res, Action.STOP).result()).isEqualTo(OpResult.OK);
        assertThat(state).doesNotExist();
        assertThat(run(res, Action.STATUS).result()).isEqualTo(OpResult.NOT_RUNNING);
    }
}
