package io.tandem.daemon.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.daemon.control.ControlClient;
import io.tandem.daemon.control.ControlReply;
import io.tandem.daemon.control.ControlServer;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's run directory (pid file, control socket, output) and state directory (generation,
 * uuid, peers) against a local user who is not root, with a real one: nobody (uid 65534, through
 * setpriv). Root only (the daemon's case); skipped with a message otherwise. The victim of every
 * link is a file of root's with mode 640 standing in for /etc/shadow: it must come out unchanged.
 */
class LocalUserHardeningTest {
    private static final String SETPRIV = "/usr/bin/setpriv";

    @TempDir
    Path tmp;
    private Path victim;

    @BeforeEach
    void rootAndAVictim() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "skipped: needs root (the daemon's user) and a real other user to drop to");
        assumeTrue(Files.isExecutable(Path.of(SETPRIV)), "skipped: setpriv (util-linux) is needed to act as nobody");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path secrets = Files.createDirectory(tmp.resolve("etc"));
        victim = Files.writeString(secrets.resolve("shadow"), "root:secret:19000::::::\n");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-r-----"));
    }

    private void victimUnchanged() throws IOException {
        assertThat(Files.readString(victim)).isEqualTo("root:secret:19000::::::\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(victim))).isEqualTo("rw-r-----");
    }

    /** Runs {@code cmd} as nobody; its exit code. */
    private static int asNobody(String... cmd) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(SETPRIV, "--reuid=65534", "--regid=65534", "--clear-groups"));
        all.addAll(List.of(cmd));
        Process p = new ProcessBuilder(all).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    @Test
    void aRunDirectoryMadeByTheDaemonIsClosedToOtherUsers() throws Exception {
        Path run = PrivateDirectory.ensure(tmp.resolve("var/run/tandem"), "run directory");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(run))).isEqualTo("rwxr-xr-x");
        assertThat(asNobody("/bin/ln", "-s", victim.toString(), run.resolve("tandem.pid.tmp").toString())).isNotZero();
        assertThat(asNobody("/bin/touch", run.resolve("control.sock").toString())).isNotZero();
        assertThat(Files.list(run).count()).isZero();
    }

    @Test
    void aDirectoryAnotherUserMadeOrCanWriteIsRefused() throws Exception {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        assertThat(new ProcessBuilder("/bin/chmod", "1777", shared.toString()).start().waitFor()).isZero(); // like /tmp
        Path theirs = shared.resolve("tandem");
        assertThat(asNobody("/bin/mkdir", "-m", "755", theirs.toString())).isZero();
        assertThatThrownBy(() -> PrivateDirectory.ensure(theirs, "run directory")).isInstanceOf(IOException.class)
                .hasMessageContaining("belongs to uid 65534");
        assertThatThrownBy(() -> Identity.advance(theirs, 1_700_000_000L)).isInstanceOf(IOException.class)
                .hasMessageContaining("state directory").hasMessageContaining("belongs to uid 65534");
        assertThat(Files.exists(theirs.resolve("hb_generation"))).isFalse();

        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> PrivateDirectory.ensure(open, "run directory")).hasMessageContaining("writable by every user");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertThatThrownBy(() -> PrivateDirectory.ensure(open, "run directory")).hasMessageContaining("writable by its group");

        Path link = Files.createSymbolicLink(tmp.resolve("linked"), Files.createDirectory(tmp.resolve("elsewhere")));
        assertThatThrownBy(() -> PrivateDirectory.ensure(link, "run directory")).hasMessageContaining("is a symbolic link");
    }

    @Test
    void linksLeftInTheDirectoriesAreReplacedNeverFollowed() throws Exception {
        Path run = PrivateDirectory.ensure(tmp.resolve("run"), "run directory");
        PidFile pid = new PidFile(run.resolve("tandem.pid"));
        Files.createSymbolicLink(run.resolve("tandem.pid.tmp"), victim);
        Files.createSymbolicLink(run.resolve("tandem.pid"), victim);
        pid.claim();
        assertThat(Files.isRegularFile(pid.path(), LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(pid.runningPid()).contains(ProcessHandle.current().pid());
        victimUnchanged();

        Path socket = run.resolve("control.sock");
        Files.createSymbolicLink(socket, victim);
        try (ControlServer server = new ControlServer(socket, words -> CompletableFuture.completedFuture(ControlReply.ok("pong\n")))) {
            assertThat(Files.isSymbolicLink(socket)).isFalse();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
            assertThat(ControlClient.request(socket, List.of("ping")).out()).isEqualTo("pong\n");
        }
        victimUnchanged();

        Path state = PrivateDirectory.ensure(tmp.resolve("state"), "state directory");
        Files.createSymbolicLink(state.resolve("hb_generation.tmp"), victim);
        Files.createSymbolicLink(state.resolve("hb_uuid.tmp"), victim);
        Identity id = Identity.advance(state, 1_700_000_000L);
        assertThat(id.generation()).isEqualTo(1_700_000_001L);
        assertThat(Identity.advance(state, 1_700_000_000L).generation()).isEqualTo(1_700_000_002L);
        victimUnchanged();

        Path out = run.resolve("tandem.out");
        Files.createSymbolicLink(out, victim);
        PrivateDirectory.clearUnlessRegular(out); // what tandem start does before it sends the daemon's output there
        assertThat(Files.exists(out, LinkOption.NOFOLLOW_LINKS)).isFalse();
        victimUnchanged();
    }

    @Test
    void theControlSocketIsClosedToOtherUsersAndAStaleOneIsReplaced() throws Exception {
        Path run = PrivateDirectory.ensure(tmp.resolve("run"), "run directory");
        Path socket = run.resolve("control.sock");
        ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX); // a daemon that died: its socket stays
        dead.bind(UnixDomainSocketAddress.of(socket));
        dead.close();
        assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS)).isTrue();
        try (ControlServer server = new ControlServer(socket, words -> CompletableFuture.completedFuture(ControlReply.ok("pong\n")))) {
            assertThat(ControlClient.request(socket, List.of("ping")).out()).isEqualTo("pong\n");
            // nobody can reach the directory (755) but not connect to the socket (600)
            int connect = asNobody("/usr/bin/perl", "-MIO::Socket::UNIX", "-e",
                    "IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $ARGV[0]) or exit 7; exit 0", socket.toString());
            assertThat(connect).as("nobody's connect to the control socket").isEqualTo(7);
        }
    }

    @Test
    void aPidFileNamingAnotherUsersProcessIsStale() throws Exception {
        Path code = Files.createDirectory(tmp.resolve("code"));
        Files.writeString(code.resolve("Sleep.java"), "class Sleep { public static void main(String[] a) throws Exception { Thread.sleep(60_000); } }");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process other = new ProcessBuilder(SETPRIV, "--reuid=65534", "--regid=65534", "--clear-groups", java, "-Xmx16m",
                code.resolve("Sleep.java").toString()).redirectErrorStream(true).start();
        try {
            ProcessHandle h = other.toHandle();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!h.info().user().map("nobody"::equals).orElse(false) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(h.info().user()).contains("nobody");
            assertThat(h.info().command().orElse("")).endsWith("java");
            Path run = PrivateDirectory.ensure(tmp.resolve("run"), "run directory");
            PidFile pid = new PidFile(run.resolve("tandem.pid"));
            Files.writeString(pid.path(), other.pid() + "\n", StandardCharsets.US_ASCII);
            assertThat(pid.runningPid()).as("a live java process of nobody's").isEmpty();
            pid.claim();
            assertThat(pid.runningPid()).contains(ProcessHandle.current().pid());
        } finally {
            other.destroyForcibly();
            other.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
