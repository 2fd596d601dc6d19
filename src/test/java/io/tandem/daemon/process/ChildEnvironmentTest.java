package io.tandem.daemon.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChildEnvironmentTest {
    @Test
    void theLaunchersArenaLimitStaysWithTheDaemon() {
        Map<String, String> env = new HashMap<>(Map.of("MALLOC_ARENA_MAX", "2", ChildEnvironment.ARENA_MARK, "launcher", "PATH", "/usr/bin",
                "NOTIFY_SOCKET", "/run/systemd/notify"));
        ChildEnvironment.clean(env);
        assertThat(env).containsOnly(Map.entry("PATH", "/usr/bin"));
    }

    @Test
    void anArenaLimitTheOperatorSetIsPassedOn() {
        Map<String, String> env = new HashMap<>(Map.of("MALLOC_ARENA_MAX", "4", "PATH", "/usr/bin"));
        ChildEnvironment.withoutLauncherArenas(env);
        assertThat(env).containsOnly(Map.entry("MALLOC_ARENA_MAX", "4"), Map.entry("PATH", "/usr/bin"));
    }

    @Test
    void aLimitGivenForTheScriptItselfIsKept() throws Exception {
        // the runner cleans the daemon's environment first, then adds the script's own variables
        ProcessResult r = new ProcessRunner().run(List.of("/usr/bin/env"), Map.of("MALLOC_ARENA_MAX", "2"), 5_000).get(10, TimeUnit.SECONDS);
        assertThat(r.exitCode()).isZero();
        assertThat(r.output()).contains("MALLOC_ARENA_MAX=2");
    }
}
