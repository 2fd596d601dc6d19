package io.tandem.daemon.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.NotifyCf;
import io.tandem.config.Severity;
import io.tandem.daemon.process.ProcessRunner;
import io.tandem.lab.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notify hooks with real scripts and the real {@link ProcessRunner}: arguments and TANDEM_*
 * variables as documented (values from the network cleaned), the order (notify lines, then
 * notify_dir by name), a hanging hook killed at its timeout and logged while {@link NotifyHooks#fire}
 * never waits for a hook, a failing hook logged with its exit code, and the bounded queue dropping
 * (counted, logged once per interval).
 */
class NotifyHooksTest {
    @TempDir
    Path dir;
    private final ProcessRunner runner = new ProcessRunner(500);
    private final List<String> log = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        runner.close();
    }

    private NotifyHooks hooks(NotifyCf cf) {
        return new NotifyHooks(cf, runner, Map.of("HA_CURHOST", "node1"), "node1", (Severity level, String text) -> log.add(level + " " + text));
    }

    @Test
    void a_hook_gets_its_event_as_arguments_and_variables() throws Exception {
        Path out = dir.resolve("out");
        Path script = script("record", "printf '%s|' \"$#\" \"$1\" \"$2\" \"$TANDEM_EVENT\" \"$TANDEM_GROUP\" \"$TANDEM_PEER\" \"$TANDEM_NODE\" "
                + "\"$TANDEM_STATE\" \"$TANDEM_CAUSE\" \"$TANDEM_TIME\" \"$TANDEM_SEQ\" \"$TANDEM_SUBJECT\" \"$HA_CURHOST\" >>" + out + "\necho >>" + out + "\n");
        NotifyHooks h = hooks(new NotifyCf(List.of(script.toString()), "", 5000));
        h.fire(new HookEvent("node-dead", "node2\nX=1", "", "node2\nX=1", "", "silent 3001 ms\u0007, deadtime 3000 ms", 1_795_992_731_507L, 14), 0);
        Poll.until(Duration.ofSeconds(20), "the hook to run", () -> Files.exists(out) && read(out).endsWith("\n"));
        assertThat(read(out)).isEqualTo("2|node-dead|node2?X=1|node-dead||node2?X=1|node1||silent 3001 ms?, deadtime 3000 ms|"
                + "2026-11-29T22:52:11.507Z|14|node2?X=1|node1|\n");
        Poll.until(Duration.ofSeconds(5), "the run to be counted", () -> h.runs().getOrDefault("ok", 0L) == 1);
    }

    @Test
    void notify_lines_run_first_then_the_directory_by_name() throws Exception {
        Path out = dir.resolve("out");
        Path d = Files.createDirectories(dir.resolve("notify.d"));
        Path first = script("first", "echo first \"$1\" >>" + out + "\n");
        script(d.resolve("20-b"), "echo 20-b >>" + out + "\n");
        script(d.resolve("10-a"), "echo 10-a >>" + out + "\n");
        script(d.resolve(".hidden"), "echo hidden >>" + out + "\n");
        Files.writeString(d.resolve("30-not-executable"), "#!/bin/sh\necho no >>" + out + "\n");
        NotifyHooks h = hooks(new NotifyCf(List.of(first.toString()), d.toString(), 5000));
        h.fire(event("group-acquired", "IPaddr::192.0.2.1"), 0);
        Poll.until(Duration.ofSeconds(20), "three hooks to run", () -> Files.exists(out) && read(out).lines().count() == 3);
        assertThat(read(out)).isEqualTo("first group-acquired\n10-a\n20-b\n");
    }

    @Test
    void a_hanging_hook_is_killed_at_its_timeout_and_fire_never_waits() throws Exception {
        Path release = dir.resolve("release");
        Path started = dir.resolve("started");
        Path out = dir.resolve("out");
        // waits for a file this test writes only after fire() returned, then hangs on node-dead
        Path hang = script("hang", "while [ ! -e " + release + " ]; do sleep 0.05; done\necho \"$1\" >>" + started
                + "\n[ \"$1\" = node-dead ] && exec sleep 600\nexit 0\n");
        Path fail = script("fail", "echo \"broken $1\"\nexit 3\n");
        Path record = script("record", "echo \"$1\" >>" + out + "\n");
        NotifyHooks h = hooks(new NotifyCf(List.of(hang.toString(), fail.toString(), record.toString()), "", 1000));
        h.fire(event("node-dead", "node2"), 0);
        h.fire(event("group-acquired", "g"), 0);
        assertThat(Files.exists(started)).as("fire() returned before any hook could get past its wait").isFalse();
        Files.writeString(release, "go");
        Poll.until(Duration.ofSeconds(30), "both events' hooks to run", () -> Files.exists(out) && read(out).lines().count() == 2);
        assertThat(read(out)).isEqualTo("node-dead\ngroup-acquired\n");
        assertThat(read(started)).isEqualTo("node-dead\ngroup-acquired\n");
        assertThat(log).contains("ERROR Notify hook " + hang + " node-dead node2 timed out after 1000 ms: process group killed",
                "WARN Notify hook " + fail + " node-dead node2 returned 3: broken node-dead");
        Poll.until(Duration.ofSeconds(5), "the runs to be counted", () -> h.runs().getOrDefault("ok", 0L) == 3);
        assertThat(h.runs()).containsEntry("timeout", 1L).containsEntry("failed", 2L);
    }

    @Test
    void a_full_queue_drops_counts_and_logs_once_per_interval() throws Exception {
        Path release = dir.resolve("release");
        Path wait = script("wait", "while [ ! -e " + release + " ]; do sleep 0.05; done\n");
        NotifyHooks h = hooks(new NotifyCf(List.of(wait.toString()), "", 60_000));
        int extra = 5;
        for (int i = 0; i < NotifyHooks.MAX_QUEUED + extra; i++) {
            h.fire(event("node-dead", "n" + i), 1000 + i);
        }
        assertThat(h.dropped()).isEqualTo(extra);
        assertThat(log.stream().filter(l -> l.contains("dropped the hooks"))).hasSize(1)
                .first().asString().contains("dropped the hooks of 1 event(s), 1 since the start (last: node-dead n64)");
        h.fire(event("node-dead", "later"), 2000 + NotifyHooks.DROP_LOG_MS);
        assertThat(log.stream().filter(l -> l.contains("dropped the hooks"))).hasSize(2).last().asString()
                .contains("of " + extra + " event(s), " + (extra + 1) + " since the start (last: node-dead later)");
        Files.writeString(release, "go");
        Poll.until(Duration.ofSeconds(60), "the queued hooks to run", () -> h.runs().getOrDefault("ok", 0L) == NotifyHooks.MAX_QUEUED);
    }

    @Test
    void a_missing_script_is_an_error_and_no_hooks_means_nothing_runs() throws Exception {
        NotifyHooks h = hooks(new NotifyCf(List.of(dir.resolve("missing").toString()), "", 5000));
        h.fire(event("node-dead", "node2"), 0);
        Poll.until(Duration.ofSeconds(20), "the error to be counted", () -> h.runs().getOrDefault("error", 0L) == 1);
        assertThat(log).contains("ERROR Notify hook " + dir.resolve("missing") + " node-dead node2: not an executable file");
        NotifyHooks none = hooks(NotifyCf.NONE);
        none.fire(event("node-dead", "node2"), 0);
        assertThat(none.runs()).isEmpty();
        assertThat(none.dropped()).isZero();
    }

    private static HookEvent event(String event, String subject) {
        boolean group = event.startsWith("group-");
        return new HookEvent(event, subject, group ? subject : "", group ? "" : subject, group ? "running" : "", "cause", 0, 1);
    }

    private Path script(String name, String body) throws IOException {
        return script(dir.resolve(name), body);
    }

    private static Path script(Path p, String body) throws IOException {
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
