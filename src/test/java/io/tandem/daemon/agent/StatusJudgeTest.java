package io.tandem.daemon.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.resources.OpResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Status judged as heartbeat judges resource.d scripts, and by LSB and OCF exit codes. */
class StatusJudgeTest {
    private static OpResult script(String... lines) {
        return StatusJudge.judge(AgentKind.HEARTBEAT_SCRIPT, 0, List.of(lines));
    }

    @Test
    void resource_d_scripts_are_judged_by_text_with_the_exit_code_ignored() {
        assertThat(script("INFO: IPaddr Running OK")).isEqualTo(OpResult.RUNNING);
        assertThat(script("INFO: IPaddr Resource is stopped")).isEqualTo(OpResult.NOT_RUNNING);
        assertThat(script("httpd is running")).isEqualTo(OpResult.RUNNING);
        assertThat(script("OK")).isEqualTo(OpResult.RUNNING);
        assertThat(script("apache2 is not running ... failed!")).isEqualTo(OpResult.NOT_RUNNING);
        assertThat(script("NOT   Running")).isEqualTo(OpResult.NOT_RUNNING);
        // the glob needs a blank after "not": a line break does not count, so this is "running"
        assertThat(script("Not", "running")).isEqualTo(OpResult.RUNNING);
        assertThat(script("ok")).isEqualTo(OpResult.NOT_RUNNING);
        assertThat(script()).isEqualTo(OpResult.NOT_RUNNING);
        assertThat(StatusJudge.judge(AgentKind.HEARTBEAT_SCRIPT, 7, List.of("Running OK"))).isEqualTo(OpResult.RUNNING);
        assertThat(StatusJudge.judge(AgentKind.HEARTBEAT_SCRIPT, 0, List.of("stopped"))).isEqualTo(OpResult.NOT_RUNNING);
    }

    @Test
    void lsb_exit_codes() {
        assertThat(StatusJudge.judge(AgentKind.LSB, 0, List.of("is not running"))).isEqualTo(OpResult.RUNNING);
        for (int stopped = 1; stopped <= 3; stopped++) {
            assertThat(StatusJudge.judge(AgentKind.LSB, stopped, List.of("is running"))).isEqualTo(OpResult.NOT_RUNNING);
        }
        assertThat(StatusJudge.judge(AgentKind.LSB, 4, List.of())).isEqualTo(OpResult.FAILED);
        assertThat(StatusJudge.judge(AgentKind.LSB, 137, List.of())).isEqualTo(OpResult.FAILED);
    }

    @Test
    void ocf_monitor_exit_codes() {
        assertThat(StatusJudge.judge(AgentKind.OCF, 0, List.of())).isEqualTo(OpResult.RUNNING);
        assertThat(StatusJudge.judge(AgentKind.OCF, 8, List.of())).isEqualTo(OpResult.RUNNING);
        assertThat(StatusJudge.judge(AgentKind.OCF, 7, List.of("running"))).isEqualTo(OpResult.NOT_RUNNING);
        assertThat(StatusJudge.judge(AgentKind.OCF, 1, List.of())).isEqualTo(OpResult.FAILED);
        assertThat(StatusJudge.judge(AgentKind.OCF, 5, List.of())).isEqualTo(OpResult.FAILED);
    }

    @Test
    void start_and_stop_succeed_only_with_exit_zero() {
        assertThat(StatusJudge.judgeStartStop(0)).isEqualTo(OpResult.OK);
        assertThat(StatusJudge.judgeStartStop(1)).isEqualTo(OpResult.FAILED);
        assertThat(StatusJudge.judgeStartStop(-1)).isEqualTo(OpResult.FAILED);
    }
}
