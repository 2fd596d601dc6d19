package io.tandem.daemon.process;

/**
 * heartbeat's rule for a {@code respawn} client that exited (its MCP's managed-child handling, restated):
 * <ul>
 * <li>during shutdown, or when the client exits with status {@value #NO_RESPAWN_EXIT}, it is not started again;</li>
 * <li>otherwise it is started again; a client that ran less than {@value #SHORT_RUN_MS} ms counts as a short
 * run, a longer run resets the count;</li>
 * <li>after more than {@value #MAX_SHORT_RUNS} short runs in a row it is "respawning too fast" and left
 * stopped (until the daemon restarts);</li>
 * <li>a restart after a short run waits {@value #SHORT_RUN_PAUSE_MS} ms first.</li>
 * </ul>
 * Pure: the caller gives the times.
 */
public final class RespawnRule {
    public static final int NO_RESPAWN_EXIT = 100;
    public static final long SHORT_RUN_MS = 30_000;
    public static final int MAX_SHORT_RUNS = 10;
    public static final long SHORT_RUN_PAUSE_MS = 1_000;

    /** What to do; {@code shortRuns} is the new count of short runs in a row. */
    public record Decision(Action action, int shortRuns, long delayMs) {
    }

    public enum Action { RESTART, TOO_FAST, EXITED_100, SHUTTING_DOWN }

    private RespawnRule() {
    }

    /**
     * @param exitCode     the client's exit status
     * @param ranMs        how long it ran
     * @param shortRuns    short runs in a row before this one
     * @param shuttingDown the daemon is stopping
     */
    public static Decision onExit(int exitCode, long ranMs, int shortRuns, boolean shuttingDown) {
        if (shuttingDown) {
            return new Decision(Action.SHUTTING_DOWN, shortRuns, 0);
        }
        if (exitCode == NO_RESPAWN_EXIT) {
            return new Decision(Action.EXITED_100, shortRuns, 0);
        }
        int count = ranMs < SHORT_RUN_MS ? shortRuns + 1 : 0;
        if (count > MAX_SHORT_RUNS) {
            return new Decision(Action.TOO_FAST, 0, 0);
        }
        return new Decision(Action.RESTART, count, count > 0 ? SHORT_RUN_PAUSE_MS : 0);
    }
}
