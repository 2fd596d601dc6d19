package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.daemon.control.ControlReply;
import io.tandem.daemon.control.ControlServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** heartbeat's dashed cl_status arguments reach the daemon as they are. */
class ClStatusArgumentsTest {
    @Test
    void dashedArgumentsArePassedThrough(@TempDir Path dir) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "skipped: the control socket answers root only and this is not root");
        List<List<String>> seen = new CopyOnWriteArrayList<>();
        try (ControlServer server = new ControlServer(dir.resolve("control.sock"), words -> {
            seen.add(List.copyOf(words));
            return CompletableFuture.completedFuture(ControlReply.ok("ok\n"));
        })) {
            assertThat(Main.run("cl_status", "--run-dir", dir.toString(), "listnodes", "-v")).isZero();
            assertThat(Main.run("cl_status", "--run-dir", dir.toString(), "hbparameter", "-p", "deadtime")).isZero();
            assertThat(Main.run("cl_status", "--run-dir", dir.toString(), "nodestatus", "-m", "node1")).isZero();
            // heartbeat's cl_status wants the sub-command first and refuses "-m" there itself (exit 11), as the client does
            assertThat(Main.run("cl_status", "--run-dir", dir.toString(), "-m", "nodestatus", "node1")).isEqualTo(11);
        }
        assertThat(seen).containsExactly(List.of("cl_status", "listnodes", "-v"), List.of("cl_status", "hbparameter", "-p", "deadtime"),
                List.of("cl_status", "nodestatus", "-m", "node1"));
    }
}
