package io.tandem.cli;

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
import java.util.HexFormat;
import java.util.List;

/** The demo's two daemons, their files in a temporary directory, the client, and the narration. */
final class DemoCluster implements AutoCloseable {
    private static final String[] NODES = {"demo1", "demo2"};
    private static final String[] ADDRESSES = {"127.0.0.11", "127.0.0.12"};

    private final int udpPort;
    private final String webAddress;
    private final int webPort;
    private final PrintStream out;
    private final Path dir;
    private final Process[] daemons = new Process[2];
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
    private final DemoWatch watch;
    private boolean closed;
    private final boolean keep;
    private boolean failed;

    /** @param keep keep the files and logs when the demo ends (they are kept anyway when it fails) */
    DemoCluster(int udpPort, String webAddress, int webPort, PrintStream out, boolean keep) throws IOException {
        this.keep = keep;
        this.udpPort = udpPort;
        this.webAddress = webAddress;
        this.webPort = webPort;
        this.out = out;
        this.dir = Files.createTempDirectory("tandem-demo");
        this.watch = new DemoWatch(NODES, i -> home(i).resolve("run"), this::fetch, out);
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
        out.println("files and logs: " + dir + (keep ? " (kept)" : " (removed at the end unless the demo fails; --keep keeps them)"));
        for (int i = 0; i < 2; i++) {
            daemons[i] = start(i);
        }
        long servedAt = watch.waitFor(NODES[0], Duration.ofSeconds(30));
        if (servedAt < 0) {
            failed = true;
            out.println("the service did not come up on " + NODES[0] + "; see " + home(0).resolve("ha-log"));
            return 1;
        }
        out.println(">>> " + NODES[0] + " serves the page; " + (crash ? "killing" : "stopping") + " it in " + killAfter.toSeconds()
                + " s (press Enter to do it now)");
        long until = System.nanoTime() + killAfter.toNanos();
        while (System.nanoTime() < until && !enterPressed()) {
            watch.show();
            Thread.sleep(DemoWatch.TICK.toMillis());
        }
        long stoppedAt = System.nanoTime();
        if (crash) {
            out.println(">>> kill -9 " + NODES[0] + " (pid " + daemons[0].pid() + "): " + NODES[1] + " must notice within deadtime (1 s)");
            daemons[0].destroyForcibly();
        } else {
            out.println(">>> tandem stop on " + NODES[0] + ": it hands the group over, then leaves");
            watch.stop(0);
        }
        long failoverAt = watch.waitFor(NODES[1], Duration.ofSeconds(30));
        if (failoverAt < 0) {
            failed = true;
            out.println("no failover to " + NODES[1] + " within 30 s; see " + home(1).resolve("ha-log"));
            return 1;
        }
        out.printf(">>> failover: %s serves the page %d ms after %s was %s%n", NODES[1], (failoverAt - stoppedAt) / 1_000_000,
                NODES[0], crash ? "killed" : "told to stop");
        watch.watch(Duration.ofSeconds(1));
        return 0;
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

    /** Stops what still runs and removes the temporary files, unless they are to be kept or the demo failed (its logs say why). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        watch.stopAll(daemons);
        if (keep || failed) {
            out.println("files and logs kept in " + dir);
        } else {
            watch.delete(dir);
        }
    }
}
