package io.tandem.daemon.agent;

import io.tandem.resources.OpResult;
import java.util.List;
import java.util.regex.Pattern;

/** Turns a status call's exit code and output into {@link OpResult#RUNNING}, {@code NOT_RUNNING} or {@code FAILED}. */
public final class StatusJudge {
    /** ResourceManager's {@code *[Nn][Oo][Tt]\ *[Rr]unning*}. */
    private static final Pattern NOT_RUNNING = Pattern.compile("[Nn][Oo][Tt] .*[Rr]unning", Pattern.DOTALL);
    private static final Pattern RUNNING = Pattern.compile("[Rr]unning|OK");

    public static final int OCF_SUCCESS = 0;
    public static final int OCF_NOT_RUNNING = 7;
    public static final int OCF_RUNNING_MASTER = 8;
    public static final int LSB_STOPPED = 3;

    private StatusJudge() {
    }

    /**
     * Judges one status (OCF: monitor) call.
     * <ul>
     * <li>{@link AgentKind#HEARTBEAT_SCRIPT}: as ResourceManager, by the text only, the exit code
     * ignored: "not … running" → not running, else "running"/"Running"/"OK" → running, else not running.</li>
     * <li>{@link AgentKind#LSB}: exit 0 running; 1, 2 (dead with pid/lock file) and 3 stopped; other
     * codes (4 = unknown) failed.</li>
     * <li>{@link AgentKind#OCF}: 0 (and 8, running as master) running, 7 not running, others failed.</li>
     * <li>{@link AgentKind#BUILTIN}: 0 running, 3 or 7 not running, others failed.</li>
     * </ul>
     */
    public static OpResult judge(AgentKind kind, int exitCode, List<String> output) {
        switch (kind) {
            case HEARTBEAT_SCRIPT:
                return judgeText(String.join("\n", output));
            case LSB:
                if (exitCode == 0) {
                    return OpResult.RUNNING;
                }
                return exitCode >= 1 && exitCode <= LSB_STOPPED ? OpResult.NOT_RUNNING : OpResult.FAILED;
            case OCF:
                if (exitCode == OCF_SUCCESS || exitCode == OCF_RUNNING_MASTER) {
                    return OpResult.RUNNING;
                }
                return exitCode == OCF_NOT_RUNNING ? OpResult.NOT_RUNNING : OpResult.FAILED;
            default:
                if (exitCode == 0) {
                    return OpResult.RUNNING;
                }
                return exitCode == LSB_STOPPED || exitCode == OCF_NOT_RUNNING ? OpResult.NOT_RUNNING : OpResult.FAILED;
        }
    }

    /** Start and stop: exit code 0 is success, anything else a failure, for every kind. */
    public static OpResult judgeStartStop(int exitCode) {
        return exitCode == 0 ? OpResult.OK : OpResult.FAILED;
    }

    /** The text rule of ResourceManager's {@code we_own_resource}. */
    static OpResult judgeText(String text) {
        if (NOT_RUNNING.matcher(text).find()) {
            return OpResult.NOT_RUNNING;
        }
        return RUNNING.matcher(text).find() ? OpResult.RUNNING : OpResult.NOT_RUNNING;
    }
}
