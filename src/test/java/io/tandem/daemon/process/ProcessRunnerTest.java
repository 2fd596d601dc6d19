package io.tandem.daemon.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.lab.Poll;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process runner against real scripts: no shell, own process group, group killed on timeout. */
class ProcessRunnerTest {
    private static ProcessRunner runner;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        runner = new ProcessRunner(1_000);
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    private Path script(String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    private static ProcessResult await(List<String> argv, Map<String, String> env, long timeoutMs) throws Exception {
        return runner.run(argv, env, timeoutMs).get(60, TimeUnit.SECONDS);
    }

    @Test
    void arguments_with_spaces_semicolons_and_substitutions_arrive_literally() throws Exception {
        Path s = script("args", "for a in \"$@\"; do printf '<%s>\\n' \"$a\"; done\n");
        Path marker = dir.resolve("marker");
        String dangerous = "$(touch " + marker + ")";
        ProcessResult r = await(List.of(s.toString(), "a b", "x;y", dangerous, "`id`", "*", ""), Map.of(), 10_000);
        assertThat(r.exitCode()).isZero();
        assertThat(r.timedOut()).isFalse();
        assertThat(r.output()).containsExactly("<a b>", "<x;y>", "<" + dangerous + ">", "<`id`>", "<*>", "<>");
        assertThat(marker).doesNotExist();
    }

    @Test
    void stdout_and_stderr_are_captured_and_stdout_is_kept_apart() throws Exception {
        Path s = script("streams", "echo out1\necho err1 >&2\necho out2\nexit 3\n");
        ProcessResult r = await(List.of(s.toString()), Map.of(), 10_000);
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.output()).containsExactlyInAnyOrder("out1", "err1", "out2");
        assertThat(r.stdout()).containsExactly("out1", "out2");
        assertThat(r.succeeded()).isFalse();
    }

    @Test
    void environment_is_added_to_the_inherited_one() throws Exception {
        Path s = script("env", "echo \"$TANDEM_TEST_VAR|${PATH:+path}\"\n");
        ProcessResult r = await(List.of(s.toString()), Map.of("TANDEM_TEST_VAR", "v a;l"), 10_000);
        assertThat(r.output()).containsExactly("v a;l|path");
    }

    @Test
    void the_command_leads_its_own_process_group_and_session() throws Exception {
        Path s = script("group", "ps -o pid=,pgid=,sid= -p $$\n");
        ProcessResult r = await(List.of(s.toString()), Map.of(), 10_000);
        String[] f = r.output().get(0).trim().split("\\s+");
        assertThat(f[1]).isEqualTo(f[0]);
        assertThat(f[2]).isEqualTo(f[0]);
        assertThat(Long.parseLong(f[1])).isNotEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void timeout_kills_the_whole_group_including_a_backgrounded_grandchild_that_ignores_term() throws Exception {
        Path pids = dir.resolve("pids");
        Path s = script("hang", "(trap '' TERM; exec sleep 300) &\necho $! > " + pids + "\nsleep 300 &\necho $! >> " + pids
                + "\necho started\nwait\n");
        ProcessResult r = await(List.of(s.toString()), Map.of(), 1_000);
        assertThat(r.timedOut()).isTrue();
        assertThat(r.succeeded()).isFalse();
        assertThat(r.output()).contains("started");
        List<Long> children = Files.readAllLines(pids).stream().map(String::trim).map(Long::parseLong).toList();
        assertThat(children).hasSize(2);
        for (long pid : children) {
            Poll.until(Duration.ofSeconds(10), "process " + pid + " to be gone",
                    () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
        }
    }

    @Test
    void a_daemon_left_behind_in_another_session_is_not_waited_for() throws Exception {
        Path pidFile = dir.resolve("daemon.pid");
        Path s = script("daemonize", "setsid sh -c 'echo $$ > " + pidFile + "; exec sleep 300' >/dev/null 2>&1 < /dev/null &\n"
                + "while [ ! -s " + pidFile + " ]; do :; done\necho done\n");
        ProcessResult r = await(List.of(s.toString()), Map.of(), 20_000);
        assertThat(r.exitCode()).isZero();
        assertThat(r.output()).containsExactly("done");
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        try {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void a_child_left_holding_stdout_does_not_keep_the_run_open() throws Exception {
        Path pidFile = dir.resolve("holder.pid");
        Path s = script("holder", "sleep 300 &\necho $! > " + pidFile + "\necho bye\nexit 0\n");
        ProcessResult r = await(List.of(s.toString()), Map.of(), 60_000);
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        try {
            assertThat(r.exitCode()).isZero();
            assertThat(r.timedOut()).isFalse();
            assertThat(r.output()).containsExactly("bye");
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void a_missing_program_is_reported_not_thrown() throws Exception {
        ProcessResult r = await(List.of(dir.resolve("nope").toString()), Map.of(), 10_000);
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.succeeded()).isFalse();
        assertThat(String.join("\n", r.output())).contains("nope");
    }
}
