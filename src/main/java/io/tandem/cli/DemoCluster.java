package io.tandem.cli;

import io.tandem.daemon.control.ControlClient;
import io.tandem.daemon.control.ControlReply;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** The demo's two daemons, their files in a temporary directory, the client, and the narration. */
final class DemoCluster implements AutoCloseable {
    private static final String[] NODES = {"demo1", "demo2"};
    private static final String[] ADDRESSES = {"127.0.0.11", "127.0.0.12"};
    private static final Duration TICK = Duration.ofMillis(100);

    private final int udpPort;
    private final String webAddress;
    private final int webPort;
    private final PrintStream out;
    private final Path dir;
    private final Process[] daemons = new Process[2];
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
    private final long t0 = System.nanoTime();
    private String lastLine = "";
    private boolean closed;

    DemoCluster(int udpPort, String webAddress, int webPort, PrintStream out) throws IOException {
        this.udpPort = udpPort;
        this.webAddress = webAddress;
        this.webPort = webPort;
        this.out = out;
        this.dir = Files.createTempDirectory("tandem-demo");
        String key = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        for (int i = 0; i < 2; i++) {
            Path etc = Files.createDirectories(home(i).resolve("etc"));
            Files.writeString(etc.resolve("ha.cf"), "# Tandem demo node " + NODES[i] + " (no root: ucast on the loopback, a high port)\n"
                    + "logfile " + home(i).resolve("ha-log") + "\nkeepalive 100ms\ndeadtime 1\nwarntime 500ms\ninitdead 2\n"
                    + "udpport " + udpPort + "\nucast lo " + ADDRESSES[0] + "\nucast lo " + ADDRESSES[1] + "\n"
                    + "auto_failback off\nnode " + NODES[0] + "\nnode " + NODES[1] + "\n");
            Path keys = etc.resolve("authkeys");
            Files.createFile(keys, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(keys, "auth 1\n1 md5 " + key + "\n");
            Files.writeString(etc.resolve("haresources"), NODES[0] + " DemoWeb::" + webAddress + "::" + webPort + "\n");
        }
    }

    int run(Duration killAfter, boolean crash) throws IOException, InterruptedException {
        out.println("Tandem demo: nodes " + NODES[0] + " (" + ADDRESSES[0] + ") and " + NODES[1] + " (" + ADDRESSES[1]
                + "), heartbeats by ucast on port " + udpPort + ", service http://" + webAddress + ":" + webPort + "/");
        out.println("files and logs: " + dir);
        for (int i = 0; i < 2; i++) {
            daemons[i] = start(i);
        }
        long servedAt = waitFor(NODES[0], Duration.ofSeconds(30));
        if (servedAt < 0) {
            out.println("the service did not come up on " + NODES[0] + "; see " + home(0).resolve("ha-log"));
            return 1;
        }
        out.println(">>> " + NODES[0] + " serves the page; " + (crash ? "killing" : "stopping") + " it in " + killAfter.toSeconds()
                + " s (press Enter to do it now)");
        long until = System.nanoTime() + killAfter.toNanos();
        while (System.nanoTime() < until && !enterPressed()) {
            show();
            Thread.sleep(TICK.toMillis());
        }
        long stoppedAt = System.nanoTime();
        if (crash) {
            out.println(">>> kill -9 " + NODES[0] + " (pid " + daemons[0].pid() + "): " + NODES[1] + " must notice within deadtime (1 s)");
            daemons[0].destroyForcibly();
        } else {
            out.println(">>> tandem stop on " + NODES[0] + ": it hands the group over, then leaves");
            request(0, "stop");
        }
        long failoverAt = waitFor(NODES[1], Duration.ofSeconds(30));
        if (failoverAt < 0) {
            out.println("no failover to " + NODES[1] + " within 30 s; see " + home(1).resolve("ha-log"));
            return 1;
        }
        out.printf(">>> failover: %s serves the page %d ms after %s was %s%n", NODES[1], (failoverAt - stoppedAt) / 1_000_000,
                NODES[0], crash ? "killed" : "told to stop");
        for (int k = 0; k < 10; k++) {
            show();
            Thread.sleep(TICK.toMillis());
        }
        return 0;
    }

    /** Polls every 100 ms, printing changes, until the page names {@code node}; returns nanoTime then, or -1. */
    private long waitFor(String node, Duration limit) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < until) {
            if (node.equals(show())) {
                return System.nanoTime();
            }
            Thread.sleep(TICK.toMillis());
        }
        return -1;
    }

    /** One observation: each node's state and what the client gets; printed when it changed. Returns the page. */
    private String show() {
        String page = fetch();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < 2; i++) {
            ControlReply status = request(i, "cl_status", "nodestatus", NODES[i]);
            ControlReply peer = request(i, "cl_status", "nodestatus", NODES[1 - i]);
            String state = status.exitCode() == RunDirOption.NOT_RUNNING ? "not running"
                    : status.output().strip() + " (sees " + NODES[1 - i] + " " + (peer.output().isBlank() ? "?" : peer.output().strip()) + ")";
            line.append(String.format("%s: %-28s ", NODES[i], state));
        }
        line.append("| client: ").append(page.isEmpty() ? "(no answer)" : "served by " + page);
        String text = line.toString();
        if (!text.equals(lastLine)) {
            out.printf("[%6.1f s] %s%n", (System.nanoTime() - t0) / 1e9, text);
            lastLine = text;
        }
        return page;
    }

    private String fetch() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + webAddress + ":" + webPort + "/"))
                    .timeout(Duration.ofMillis(300)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body().strip() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private Process start(int i) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(List.of("-XX:+UseSerialGC", "-Xmx48m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "run", "--quiet", "-c", home(i).resolve("etc").toString(),
                "--node", NODES[i], "--state-dir", home(i).resolve("state").toString(), "--run-dir", home(i).resolve("run").toString(),
                "--bind", ADDRESSES[i]));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(home(i).resolve("daemon.out").toFile()).start();
    }

    private ControlReply request(int i, String... words) {
        try {
            return ControlClient.request(home(i).resolve("run/control.sock"), List.of(words));
        } catch (IOException e) {
            return ControlReply.fail(RunDirOption.NOT_RUNNING, "");
        }
    }

    private static boolean enterPressed() {
        try {
            return System.console() != null && System.in.available() > 0 && System.in.read() >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    private Path home(int i) {
        return dir.resolve(NODES[i]);
    }

    /** Stops what still runs and removes the temporary files. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < 2; i++) {
            if (daemons[i] != null && daemons[i].isAlive()) {
                request(i, "stop");
            }
        }
        for (Process p : daemons) {
            if (p != null) {
                try {
                    if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            out.println("could not remove " + dir + ": " + e.getMessage());
        }
    }
}
