package io.tandem.daemon.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlSocketTest {
    @TempDir
    Path dir;

    @Test
    void a_request_reaches_the_handler_and_the_reply_comes_back() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "the control socket serves only root; run as root");
        Path sock = dir.resolve("control.sock");
        try (ControlServer server = new ControlServer(sock,
                words -> CompletableFuture.completedFuture(ControlReply.fail(3, "got " + words + "\n")))) {
            ControlReply r = ControlClient.request(sock, List.of("standby", "all"));
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.err()).isEqualTo("got [standby, all]\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock))).isEqualTo("rw-------");
        }
    }

    @Test
    void no_daemon_means_an_io_error_not_a_hang() {
        assertThatThrownBy(() -> ControlClient.request(dir.resolve("none.sock"), List.of("status")))
                .isInstanceOf(IOException.class);
    }

    @Test
    void a_non_root_peer_is_refused() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run a client as another user");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux) to drop privileges");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs python3 as a small non-root client");
        Path sock = dir.resolve("control.sock");
        try (ControlServer server = new ControlServer(sock, words -> CompletableFuture.completedFuture(ControlReply.ok("secret\n")))) {
            Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-rw-rw-"));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    "/usr/bin/python3", "-c",
                    "import socket,sys;s=socket.socket(socket.AF_UNIX);s.connect(sys.argv[1]);s.sendall(b'status\\n');"
                            + "s.shutdown(socket.SHUT_WR);print(s.makefile().read(),end='')", sock.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            assertThat(out).startsWith("4 0 ").contains("tandem: permission denied: only root may control the daemon (you are nobody)\n")
                    .doesNotContain("secret");
        }
    }
}
