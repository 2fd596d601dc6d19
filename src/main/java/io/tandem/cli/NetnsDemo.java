package io.tandem.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code tandem demo --netns} (root): the same failover with real networking — two nodes and a
 * client in network namespaces on a "public" bridge (192.0.2.0/24) and a heartbeat bridge
 * (198.51.100.0/24), bcast heartbeats on eth1, a real VIP 192.0.2.1/24 on eth0 (IPaddr) and the
 * DemoWeb page on it; each node gets a private /run. Everything is named {@code tdemo-*} and removed
 * afterwards, also after Ctrl-C.
 */
final class NetnsDemo implements AutoCloseable {
    static final String PREFIX = "tdemo";
    private static final String[] NODES = {"node1", "node2"};
    private static final String VIP = "192.0.2.1";

    private final PrintStream out;
    private final Path dir;
    private final Process[] daemons = new Process[2];
    private final DemoWatch watch;
    private boolean closed;
    private final boolean keep;
    private boolean failed;

    /** @param keep keep the files and logs when the demo ends (they are kept anyway when it fails) */
    NetnsDemo(PrintStream out, boolean keep) throws IOException {
        this.keep = keep;
        this.out = out;
        this.dir = Files.createTempDirectory("tandem-netns-demo");
        this.watch = new DemoWatch(NODES, i -> home(i).resolve("tandem"), this::fetch, out);
    }

    /** Why the demo cannot run here, or null. */
    static String unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "tandem demo --netns needs root (network namespaces); plain `tandem demo` does not";
        }
        for (String tool : List.of("/usr/bin/ip", "/usr/bin/unshare", "/usr/bin/curl")) {
            if (!Files.isExecutable(Path.of(tool)) && !Files.isExecutable(Path.of(tool.replace("/usr/bin", "/bin")))) {
                return "tandem demo --netns needs " + tool.substring(tool.lastIndexOf('/') + 1) + " (apt-get install iproute2 util-linux curl)";
            }
        }
        return null;
    }

    int run(Duration killAfter, boolean crash) throws IOException, InterruptedException {
        clean();
        build();
        String key = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        for (int i = 0; i < 2; i++) {
            configure(i, key);
        }
        out.println("Tandem demo in network namespaces: " + NODES[0] + " (192.0.2.11, heartbeat 198.51.100.11) and " + NODES[1]
                + " (192.0.2.12 / 198.51.100.12), bcast on eth1, VIP " + VIP + " with a page on port 80, client " + PREFIX + "-cl");
        out.println("files and logs: " + dir + (keep ? " (kept)" : " (removed at the end unless the demo fails; --keep keeps them)"));
        for (int i = 0; i < 2; i++) {
            daemons[i] = start(i);
        }
        long served = watch.waitFor(NODES[0], Duration.ofSeconds(40));
        if (served < 0) {
            failed = true;
            out.println("the VIP was not served by " + NODES[0] + "; see " + home(0).resolve("ha-log"));
            return 1;
        }
        out.println(">>> " + NODES[0] + " serves http://" + VIP + "/; " + (crash ? "powering it off" : "stopping it") + " in "
                + killAfter.toSeconds() + " s");
        watch.watch(killAfter);
        long stoppedAt = System.nanoTime();
        if (crash) {
            out.println(">>> power-off of " + NODES[0] + ": cables pulled, daemon killed, its VIP gone with it");
            ip("-n", ns(0), "link", "set", "eth0", "down");
            ip("-n", ns(0), "link", "set", "eth1", "down");
            daemons[0].destroyForcibly();
            ip("-n", ns(0), "addr", "flush", "dev", "eth0");
        } else {
            out.println(">>> tandem stop on " + NODES[0]);
            watch.stop(0);
        }
        long failover = watch.waitFor(NODES[1], Duration.ofSeconds(40));
        if (failover < 0) {
            failed = true;
            out.println("no failover to " + NODES[1] + "; see " + home(1).resolve("ha-log"));
            return 1;
        }
        out.printf(">>> failover: %s serves the VIP %d ms after %s was %s%n", NODES[1], (failover - stoppedAt) / 1_000_000, NODES[0],
                crash ? "powered off" : "told to stop");
        return 0;
    }

    private void build() throws IOException {
        String sw = PREFIX + "-sw";
        ip("netns", "add", sw);
        for (String bridge : List.of(PREFIX + "-pub0", PREFIX + "-hb0")) {
            ip("-n", sw, "link", "add", bridge, "type", "bridge");
            ip("-n", sw, "link", "set", bridge, "up");
        }
        for (int i = 0; i < 2; i++) {
            host(ns(i));
            cable(sw, PREFIX + "-n" + (i + 1) + "e0", PREFIX + "-pub0", ns(i), "eth0", "192.0.2." + (11 + i) + "/24");
            cable(sw, PREFIX + "-n" + (i + 1) + "e1", PREFIX + "-hb0", ns(i), "eth1", "198.51.100." + (11 + i) + "/24");
        }
        host(PREFIX + "-cl");
        cable(sw, PREFIX + "-cle0", PREFIX + "-pub0", PREFIX + "-cl", "eth0", "192.0.2.100/24");
    }

    private void host(String ns) throws IOException {
        ip("netns", "add", ns);
        ip("-n", ns, "link", "set", "lo", "up");
    }

    private void cable(String sw, String swEnd, String bridge, String ns, String dev, String address) throws IOException {
        ip("-n", sw, "link", "add", swEnd, "type", "veth", "peer", "name", dev, "netns", ns);
        ip("-n", sw, "link", "set", swEnd, "master", bridge, "up");
        ip("-n", ns, "addr", "add", address, "brd", "+", "dev", dev);
        ip("-n", ns, "link", "set", dev, "up");
    }

    private void configure(int i, String key) throws IOException {
        Path etc = Files.createDirectories(home(i).resolve("etc"));
        Files.createDirectories(home(i).resolve("run"));
        Files.writeString(etc.resolve("ha.cf"), "logfile " + home(i).resolve("ha-log") + "\nkeepalive 100ms\ndeadtime 1\nwarntime 500ms\n"
                + "initdead 3\nudpport 694\nbcast eth1\nauto_failback off\nnode " + NODES[0] + "\nnode " + NODES[1] + "\n");
        Path keys = etc.resolve("authkeys");
        Files.createFile(keys, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keys, "auth 1\n1 sha1 " + key + "\n");
        Files.writeString(etc.resolve("haresources"), NODES[0] + " IPaddr::" + VIP + "/24/eth0 DemoWeb::" + VIP + "::80\n");
    }

    /** The daemon inside the node's network namespace, with a private /run (pid files, resource-agents state). */
    private Process start(int i) throws IOException {
        List<String> java = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-XX:+UseSerialGC",
                "-Xmx48m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", "--quiet",
                "-c", home(i).resolve("etc").toString(), "--node", NODES[i], "--state-dir", home(i).resolve("state").toString(),
                "--run-dir", home(i).resolve("tandem").toString()));
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns(i), "unshare", "--mount", "--propagation", "private",
                "sh", "-c", "mount --bind \"$0\" /run && exec \"$@\"", home(i).resolve("run").toString()));
        cmd.addAll(java);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(home(i).resolve("daemon.out").toFile()).start();
    }

    /** The client's view: curl in the client namespace ("" when nothing answers). */
    private String fetch() {
        try {
            Process p = new ProcessBuilder("ip", "netns", "exec", PREFIX + "-cl", "curl", "-s", "-m", "0.5", "http://" + VIP + "/")
                    .redirectErrorStream(true).start();
            String body = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? body : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static void ip(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", cmd) + ": " + text.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String ns(int i) {
        return PREFIX + "-n" + (i + 1);
    }

    private Path home(int i) {
        return dir.resolve(NODES[i]);
    }

    /** Removes namespaces of an earlier run that could not clean up (killed with SIGKILL). */
    private static void clean() {
        for (String ns : List.of(ns(0), ns(1), PREFIX + "-cl", PREFIX + "-sw")) {
            try {
                Process pids = new ProcessBuilder("ip", "netns", "pids", ns).redirectErrorStream(true).start();
                for (String pid : new String(pids.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\\s+")) {
                    if (pid.matches("\\d+")) {
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
                pids.waitFor();
                new ProcessBuilder("ip", "netns", "del", ns).redirectErrorStream(true).start().waitFor();
            } catch (IOException e) {
                // nothing to clean
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        watch.stopAll(daemons);
        clean();
        if (keep || failed) {
            out.println("files and logs kept in " + dir);
        } else {
            watch.delete(dir);
        }
    }
}
