package io.tandem.cli;

import io.tandem.daemon.control.ControlClient;
import io.tandem.daemon.control.ControlReply;
import io.tandem.daemon.lifecycle.DaemonPaths;
import io.tandem.lab.Poll;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One Tandem node on the loopback for the client tests, no root needed: ucast on 127.0.0.1 at a free
 * port, a peer that never answers (dead after initdead 2 s), and a DemoWeb group on another free port
 * that the node then takes. Its files are below one directory: etc/, state/, run/, ha-log.
 */
final class LoopbackNode implements AutoCloseable {
    static final String NAME = "loop1";
    static final String PEER = "loop2";

    final Path dir;
    final String group;
    private Process daemon;

    LoopbackNode(Path dir) throws IOException {
        this.dir = dir;
        int udp;
        int http;
        try (DatagramSocket u = new DatagramSocket(0); ServerSocket t = new ServerSocket(0)) {
            udp = u.getLocalPort();
            http = t.getLocalPort();
        }
        this.group = "DemoWeb::127.0.0.1::" + http;
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(etc.resolve("ha.cf"), "logfile " + dir.resolve("ha-log") + "\nkeepalive 200ms\ndeadtime 1\nwarntime 500ms\n"
                + "initdead 2\nudpport " + udp + "\nucast lo 127.0.0.1\nauto_failback off\nnode " + NAME + "\nnode " + PEER + "\n");
        Path keys = etc.resolve("authkeys");
        Files.createFile(keys, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keys, "auth 1\n1 sha1 loopback-node\n");
        Files.writeString(etc.resolve("haresources"), NAME + " " + group + "\n");
    }

    Path runDir() {
        return dir.resolve("run");
    }

    /** The pid the daemon wrote in its pid file. */
    long pid() throws IOException {
        return Long.parseLong(Files.readString(new DaemonPaths(dir.resolve("etc"), dir.resolve("state"), runDir()).pidFile()).strip());
    }

    /** The options of {@code tandem run} and {@code tandem start} for this node (without --run-dir). */
    List<String> daemonOptions() {
        return List.of("-c", dir.resolve("etc").toString(), "--node", NAME, "--state-dir", dir.resolve("state").toString(),
                "--bind", "127.0.0.1");
    }

    /** Runs the daemon ({@code tandem run}) with this JVM's class path and waits until it answers. */
    LoopbackNode start() throws IOException {
        return start(java.util.Map.of(), List.of());
    }

    /** As {@link #start()}, with more environment variables and more options of {@code tandem run}. */
    LoopbackNode start(java.util.Map<String, String> env, List<String> options) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "--quiet", "--run-dir", runDir().toString()));
        args.addAll(daemonOptions());
        args.addAll(options);
        ProcessBuilder pb = new ProcessBuilder(TestProcesses.tandem(System.getProperty("java.class.path"), args)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("daemon.out").toFile());
        pb.environment().putAll(env);
        daemon = pb.start();
        await(() -> ask("ping").exitCode() == 0, "the daemon to answer (see " + dir.resolve("daemon.out") + ")");
        return this;
    }

    /** Waits until the node holds its group and sees its peer dead: nothing changes by itself then. */
    LoopbackNode settled() {
        await(() -> ask("cl_status", "rscstatus").out().equals("all\n") && ask("cl_status", "nodestatus", PEER).out().equals("dead\n")
                && ask("status").out().contains(" running\n"), "the node to hold its group (see " + dir.resolve("ha-log") + ")");
        return this;
    }

    ControlReply ask(String... words) {
        return ControlClient.ask(DaemonPaths.controlSocket(runDir()), List.of(words));
    }

    private static void await(BooleanSupplier condition, String what) {
        Poll.until(Duration.ofSeconds(30), what, condition);
    }

    /** The daemon process started by {@link #start()}. */
    Process process() {
        return daemon;
    }

    /** Stops whatever daemon still runs with this node's files (also one started by bin/tandem start). */
    @Override
    public void close() {
        ask("stop", "--wait", "20");
        ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(dir.toString())).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
        if (daemon != null) {
            daemon.destroyForcibly();
        }
    }
}
