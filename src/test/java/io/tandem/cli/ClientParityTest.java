package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.daemon.lifecycle.DaemonPaths;
import io.tandem.lab.ExecResult;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two control clients are one transport: libexec/tandem-control (perl, what bin/tandem uses) and
 * the Java commands, run against the same real daemon (a {@link LoopbackNode}, no root needed), give
 * the same standard output, standard error and exit code, byte for byte, for every control command —
 * and so without a daemon, and for a user the socket is closed to. {@code tandem status} carries
 * times (uptime, last check), which are masked; everything else is compared as it is. A few answers
 * are also checked against their expected text, so that two equal failures cannot pass.
 */
class ClientParityTest {
    private static final Path PERL_CLIENT = TestProcesses.CHECKOUT.resolve("libexec/tandem-control");

    @TempDir
    Path dir;

    /** Where the answers differ: the case, then both. */
    private final List<String> differences = new ArrayList<>();
    /** The Java client's answer per case. */
    private final Map<String, ExecResult> answers = new LinkedHashMap<>();
    private String classPath = System.getProperty("java.class.path");
    private boolean asNobody;

    @BeforeEach
    void needsPerl() {
        assumeTrue(TestProcesses.onPath("perl"), "skipped: perl is not installed, so there is no perl client (libexec/tandem-control) to compare");
    }

    @Test
    void every_control_command_answers_alike_from_a_running_daemon() throws Exception {
        try (LoopbackNode node = new LoopbackNode(dir.resolve("node")).start().settled()) {
            Path run = node.runDir();
            String self = LoopbackNode.NAME;
            String peer = LoopbackNode.PEER;
            for (String c : List.of("ping", "cl_status hbstatus", "cl_status hbstatus -v", "cl_status listnodes", "cl_status listnodes -n",
                    "cl_status listnodes -p", "cl_status listnodes -v", "cl_status nodestatus " + self, "cl_status nodestatus " + peer,
                    "cl_status -m nodestatus " + peer, "cl_status nodestatus -m " + peer, "cl_status nodestatus nosuch",
                    "cl_status nodetype " + peer, "cl_status listhblinks " + self, "cl_status listhblinks nosuch",
                    "cl_status hblinkstatus " + peer + " lo", "cl_status hblinkstatus " + peer + " nosuch", "cl_status rscstatus",
                    "cl_status rscstatus -m", "cl_status hbparameter -p deadtime", "cl_status hbparameter -p nosuch", "cl_status",
                    "cl_status frobnicate", "cl_status -h", "cl_status --help", "status --bogus", "status --json extra", "reload extra",
                    "ping extra", "standby x", "hb_standby x", "takeover a b", "cleanup", "cleanup a b", "cleanup nosuch",
                    "cleanup " + node.group, "stop --wait abc", "stop extra", "events --since 1h", "events --json", "events --bogus",
                    "events --since x", "why", "why --json", "why nosuch", "why a b", "metrics extra")) {
                compare(run, words(c));
            }
            compare(run, List.of("hb_takeover", "")); // an empty word arrives as one
            compare(run, List.of("cleanup", "--", "--run-dir")); // after --, --run-dir is an argument (as picocli reads it)
            compareStatus(run, List.of("status"));
            compareStatus(run, List.of("status", "--json"));
            // heartbeat's names through bin/ (bin/tandem hands them to the perl client)
            bin(run, "cl_status", "nodestatus", peer);
            bin(run, "hb_standby", "x");
            bin(run, "cl_status", "hbparameter", "-p", "deadtime");
            // these change the node's state, but not their own answers
            for (String c : List.of("reload", "takeover", "hb_takeover foreign", "standby local", "hb_standby failback", "standby")) {
                compare(run, words(c));
            }
        }
        assertThat(differences).isEmpty();
        expect("ping", 0, "", "");
        expect("cl_status hbstatus", 0, "Heartbeat is running on this machine.\n", "");
        expect("cl_status nodestatus " + LoopbackNode.PEER, 1, "dead\n", ""); // heartbeat prints the answer on stdout, exit 1
        expect("cl_status hbparameter -p deadtime", 0, "1\n", "");
        expect("hb_standby x", 1, "", "hb_standby: wrong resources(x).\nusage:\nhb_standby [all|foreign|local|failback]\n");
        expect("hb_takeover ", 1, "", "hb_takeover: wrong resources().\nusage:\nhb_takeover [all|foreign|local|failback]\n");
        expect("standby", 0, "", "Going standby [all].\n");
        expect("hb_standby failback", 0, "", "Going standby [foreign].\n");
        expect("takeover", 0, "", "");
        assertThat(answers.get("status --json").stdout()).startsWith("{\"node\":\"" + LoopbackNode.NAME + "\"");
        assertThat(answers.get("cleanup nosuch").exitCode()).isEqualTo(1);
        assertThat(answers.get("cl_status nodestatus nosuch").exitCode()).isEqualTo(11);
    }

    @Test
    void stop_answers_alike_and_returns_once_the_daemon_is_gone() throws Exception {
        LoopbackNode node = new LoopbackNode(dir.resolve("node"));
        List<ExecResult> stops = new ArrayList<>();
        for (boolean perl : new boolean[] {true, false}) {
            try (node) {
                node.start();
                long pid = node.pid();
                String run = node.runDir().toString();
                ExecResult r = TestProcesses.run(perl ? perl(run, List.of("stop")) : java(run, List.of("stop")), Map.of(), dir);
                assertThat(TestProcesses.ended(pid)).as("the daemon has ended when stop returns").isTrue();
                stops.add(r);
            }
        }
        assertThat(stops.get(0)).isEqualTo(stops.get(1)).isEqualTo(new ExecResult(0, "Tandem stopped.\n", ""));
    }

    @Test
    void without_a_daemon_both_say_so_alike() throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        List<String> cases = List.of("status", "status --json", "cl_status hbstatus", "cl_status listnodes", "cl_status nodestatus hbstatus",
                "stop", "ping", "hb_standby", "hb_standby x", "cleanup x", "reload", "events", "why", "metrics");
        for (String c : cases) {
            compare(run, words(c));
        }
        compare(run + "//", List.of("ping")); // the socket's path written as Java writes it
        // a socket file nobody listens on any more (a daemon killed with SIGKILL): the same
        try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(DaemonPaths.controlSocket(run)));
        }
        for (String c : cases) {
            compare(run, words(c));
        }
        assertThat(differences).isEmpty();
        String socket = DaemonPaths.controlSocket(run).toString();
        expect("status", 3, "", "tandem: no daemon is running here (no answer on " + socket + ")\n");
        expect("stop", 0, "Tandem already stopped.\n", "");
        expect("cl_status hbstatus", 1, "Heartbeat is stopped on this machine.\n", "");
        expect("cl_status nodestatus hbstatus", 1, "Heartbeat is stopped on this machine.\n", "");
        expect("cl_status listnodes", 1, "", "Cannot signon with heartbeat\nREASON: the cluster manager is not running on this machine\n");
    }

    @Test
    void a_user_the_socket_is_closed_to_is_told_permission_denied() throws Exception {
        assumeTrue(TestProcesses.ROOT, "skipped: needs root (the daemon as root, the clients as nobody); as another user the socket is open to its daemon's user");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "skipped: setpriv (util-linux) is needed to run the clients as nobody");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        classPath = TestProcesses.readableClassPath(Files.createDirectories(dir.resolve("cp")));
        asNobody = true;
        List<String> cases = List.of("status", "cl_status hbstatus", "stop", "ping", "hb_standby");
        try (LoopbackNode node = new LoopbackNode(dir.resolve("node")).start()) {
            Path run = node.runDir();
            for (String c : cases) { // the node's directory is closed to others
                compare(run, words(c));
            }
            for (Path d : List.of(node.dir, run)) { // the socket itself (mode 600) is
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            for (String c : cases) {
                compare(run, words(c));
            }
            Files.setPosixFilePermissions(DaemonPaths.controlSocket(run), PosixFilePermissions.fromString("rw-rw-rw-"));
            for (String c : cases) { // the daemon refuses the user (SO_PEERCRED): the same answer
                compare(run, words(c));
            }
            assertThat(node.ask("ping").exitCode()).as("the daemon still runs").isZero();
        }
        assertThat(differences).isEmpty();
        for (String c : cases) {
            expect(c, 4, "", "tandem: permission denied: only root may control the daemon (you are nobody)\n");
        }
    }

    /** A daemon from before this reply format answered "EXIT\n" and one text: both clients still print it alike. */
    @Test
    void an_older_daemons_answer_is_printed_alike() throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(DaemonPaths.controlSocket(run)));
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        try (SocketChannel c = server.accept()) {
                            ByteBuffer in = ByteBuffer.allocate(4096);
                            while (c.read(in) >= 0 && in.hasRemaining()) {
                                // to the end of the request
                            }
                            String verb = new String(in.array(), 0, in.position(), StandardCharsets.UTF_8).split("\0")[0];
                            c.write(ByteBuffer.wrap((verb.equals("status") ? "0\nTandem on old: up\n" : "2\nunknown request: " + verb + "\n")
                                    .getBytes(StandardCharsets.UTF_8)));
                        }
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            t.setDaemon(true);
            t.start();
            compare(run, List.of("status"));
            compare(run, List.of("ping"));
        }
        assertThat(differences).isEmpty();
        expect("status", 0, "Tandem on old: up\n", "");
        expect("ping", 2, "", "unknown request: ping\n");
    }

    private static List<String> words(String c) {
        return List.of(c.split(" "));
    }

    /** Runs both clients with the same arguments ({@code --run-dir} after the command's name) and notes any difference. */
    private void compare(Path run, List<String> args) throws IOException, InterruptedException {
        compare(run.toString(), args);
    }

    private void compare(String run, List<String> args) throws IOException, InterruptedException {
        ExecResult perl = TestProcesses.run(perl(run, args), Map.of(), dir);
        ExecResult java = TestProcesses.run(java(run, args), Map.of(), dir);
        note(String.join(" ", args), perl, java);
    }

    /** status twice alike with its times masked (a state may change between two calls: up to three tries). */
    private void compareStatus(Path run, List<String> args) throws IOException, InterruptedException {
        ExecResult perl = null;
        ExecResult java = null;
        for (int i = 0; i < 3 && (perl == null || !perl.equals(java)); i++) {
            perl = masked(TestProcesses.run(perl(run.toString(), args), Map.of(), dir));
            java = masked(TestProcesses.run(java(run.toString(), args), Map.of(), dir));
        }
        note(String.join(" ", args), perl, java);
    }

    /** bin/COMMAND (which bin/tandem hands to the perl client) against the Java command of that name. */
    private void bin(Path run, String command, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(TestProcesses.CHECKOUT.resolve("bin").resolve(command).toString()));
        cmd.addAll(List.of(args));
        ExecResult viaBin = TestProcesses.run(cmd, Map.of("TANDEM_RUN_DIR", run.toString()), dir);
        List<String> javaArgs = new ArrayList<>(List.of(command));
        javaArgs.addAll(List.of(args));
        note("bin/" + command + " " + String.join(" ", args), viaBin, TestProcesses.run(java(run.toString(), javaArgs), Map.of(), dir));
    }

    private void note(String what, ExecResult perl, ExecResult java) {
        answers.put(what, java);
        if (!perl.equals(java)) {
            differences.add(what + ":\n  perl: " + show(perl) + "\n  java: " + show(java));
        }
    }

    private void expect(String what, int code, String out, String err) {
        assertThat(answers.get(what)).as(what).isEqualTo(new ExecResult(code, out, err));
    }

    private static String show(ExecResult r) {
        return "exit " + r.exitCode() + ", stdout [" + r.stdout() + "], stderr [" + r.stderr() + "]";
    }

    private static ExecResult masked(ExecResult r) {
        String out = r.stdout().replaceAll("\\b\\d+[smhd](\\d+[smhd])?\\b", "T")
                .replaceAll("\"(uptime_ms|last_check_ms_ago|last_failure_ms_ago|banned_for_ms)\":\\d+", "\"$1\":T");
        return new ExecResult(r.exitCode(), out, r.stderr());
    }

    private List<String> perl(String run, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("perl", PERL_CLIENT.toString()));
        cmd.addAll(withRunDir(run, args));
        return asNobody ? TestProcesses.asNobody(cmd) : cmd;
    }

    private List<String> java(String run, List<String> args) {
        List<String> cmd = TestProcesses.tandem(classPath, withRunDir(run, args));
        return asNobody ? TestProcesses.asNobody(cmd) : cmd;
    }

    private static List<String> withRunDir(String run, List<String> args) {
        List<String> all = new ArrayList<>(args.subList(0, 1));
        all.addAll(List.of("--run-dir=" + run));
        all.addAll(args.subList(1, args.size()));
        return all;
    }
}
