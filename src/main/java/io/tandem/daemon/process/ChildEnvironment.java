package io.tandem.daemon.process;

import java.util.List;
import java.util.Map;

/**
 * The daemon's environment as its children get it: what belongs to the daemon's own process stays
 * with it. systemd's notification socket is the daemon's (as sd_notify's unset_environment), and so
 * is the malloc arena limit that bin/tandem sets for the JVM ({@code MALLOC_ARENA_MAX=2}, marked by
 * {@code TANDEM_MALLOC_ARENA_MAX=launcher}): a resource such as apache2 runs with the arenas it
 * would have under heartbeat. A {@code MALLOC_ARENA_MAX} the operator set (no mark) is passed on.
 */
public final class ChildEnvironment {
    /** Set by bin/tandem when it, not the operator, put {@code MALLOC_ARENA_MAX} in the environment. */
    public static final String ARENA_MARK = "TANDEM_MALLOC_ARENA_MAX";

    private ChildEnvironment() {
    }

    /** Removes the daemon's own variables from a script's environment (a ProcessBuilder's map). */
    public static void clean(Map<String, String> env) {
        env.keySet().removeAll(List.of("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"));
        withoutLauncherArenas(env);
    }

    /** Removes bin/tandem's {@code MALLOC_ARENA_MAX} (and its mark) from a child's environment; the operator's stays. */
    public static void withoutLauncherArenas(Map<String, String> env) {
        if ("launcher".equals(env.remove(ARENA_MARK))) {
            env.remove("MALLOC_ARENA_MAX");
        }
    }
}
