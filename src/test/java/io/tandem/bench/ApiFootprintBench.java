package io.tandem.bench;

import io.tandem.lab.Lab;
import io.tandem.lab.LabProcess;
import io.tandem.lab.Poll;
import io.tandem.lab.TandemNodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * {@code bench/footprint --lab --api}: what the HTTP API and an open dashboard cost, in one invocation
 * (three fresh labs back to back, so the variants share the machine's conditions): bench/failover's
 * two-node cluster through {@code bin/tandem} (a) without the API (the reference), (b) with the API on
 * node1 ({@code http_listen 127.0.0.1:PORT}, a mode-600 token file), (c) with the API and a
 * {@link DashboardClient} in node1 (an SSE stream held open + RATE requests/s). Over the same idle window
 * per node: the daemon's CPU seconds, RSS, PSS and threads at the end, and from a
 * {@link HeartbeatSampler} on each node the late and lost heartbeats of the window and the oldest peer
 * heartbeat seen once a second. Prints one markdown row per variant and node, ratios against (a).
 *
 * <p>{@code FootprintBench --api [--profile fast|seed] [--window SECONDS] [--rate N] [--prefix abx]}
 */
final class ApiFootprintBench {
    static final int PORT = 8694;
    private static final String TOKEN_FILE = "/etc/ha.d/tandem-token";

    enum Variant {
        REFERENCE("(a) no API"), API("(b) API on node1"), DASHBOARD("(c) API + dashboard client");

        final String title;

        Variant(String title) {
            this.title = title;
        }
    }

    record NodeFigures(String node, double rssMb, double pssMb, double cpuSeconds, int threads, HeartbeatReadings.Window heartbeats) {
    }

    record Run(Variant variant, List<NodeFigures> nodes, String client) {
    }

    private ApiFootprintBench() {
    }

    static void main(String[] args) throws Exception {
        Profile profile = Profile.FAST;
        int window = 180, rate = 10;
        String prefix = "abx";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--profile" -> profile = "seed".equals(args[++i]) ? Profile.SEED : Profile.FAST;
                case "--window" -> window = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--prefix" -> prefix = args[++i];
                default -> {
                    System.err.println("bench/footprint --lab --api: unknown argument '" + args[i] + "'");
                    System.exit(2);
                }
            }
        }
        var why = Lab.unavailable();
        if (why.isPresent()) {
            System.err.println("bench/footprint: " + why.get());
            System.exit(1);
        }
        Instant started = Instant.now();
        List<Run> runs = new ArrayList<>();
        for (Variant v : Variant.values()) {
            Run run = measure(prefix, profile, v, window, rate);
            runs.add(run);
        }
        System.out.println();
        System.out.println("started " + started + ", profile " + profile.name() + ", window " + window + " s, " + rate + " requests/s");
        System.out.println(table(runs, window));
        for (Run r : runs) {
            if (r.client() != null) {
                System.out.println(r.variant().title + ": " + r.client());
            }
        }
    }

    static String table(List<Run> runs, int window) {
        StringBuilder out = new StringBuilder("| variant | node | RSS (MB) | PSS (MB) | threads | CPU s / " + window
                + " s | late heartbeats | lost heartbeats | oldest heartbeat seen (ms) | RSS / (a) | PSS / (a) | CPU / (a) |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<NodeFigures> ref = runs.get(0).nodes();
        for (Run r : runs) {
            for (int i = 0; i < r.nodes().size(); i++) {
                NodeFigures n = r.nodes().get(i), a = ref.get(i);
                out.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %d | %.2f | %d | %d | %d | %.2f | %.2f | %.2f |%n", r.variant().title,
                        n.node(), n.rssMb(), n.pssMb(), n.threads(), n.cpuSeconds(), n.heartbeats().lateDelta(), n.heartbeats().lostDelta(),
                        n.heartbeats().worstAgeMs(), n.rssMb() / a.rssMb(), n.pssMb() / a.pssMb(), n.cpuSeconds() / a.cpuSeconds()));
            }
        }
        return out.toString();
    }

    private static Run measure(String prefix, Profile p, Variant v, int window, int rate) throws Exception {
        ClusterSystem.Tandem sys = new ClusterSystem.Tandem();
        String n1 = FailoverBench.N1, n2 = FailoverBench.N2;
        List<String> names = List.of(n1, n2);
        try (Lab lab = Lab.start(prefix, n1, n2)) {
            for (String n : names) {
                sys.configure(lab, n, p);
                TandemNodes.installApache(lab, n);
            }
            if (v != Variant.REFERENCE) {
                Path token = lab.path(n1, TOKEN_FILE);
                Files.createFile(token, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(token, "abx-footprint-token-" + Long.toHexString(System.nanoTime()) + "\n");
                Files.writeString(lab.path(n1, "/etc/ha.d/tandem.cf"), "http_listen 127.0.0.1:" + PORT + "\nhttp_token_file " + TOKEN_FILE + "\n");
            }
            CompletableFuture<Void> a = CompletableFuture.runAsync(() -> sys.start(lab, n1));
            CompletableFuture<Void> b = CompletableFuture.runAsync(() -> sys.start(lab, n2));
            a.join();
            b.join();
            Poll.untilOrElse(Duration.ofSeconds(120), () -> sys.settled(lab, n1, n2) || sys.settled(lab, n2, n1),
                    () -> "not settled: " + sys.state(lab));
            if (v != Variant.REFERENCE) {
                Poll.until(Duration.ofSeconds(30), "'HTTP API listening' in node1's log",
                        () -> lab.read(n1, "/var/log/ha-debug").contains("HTTP API listening on"));
            }
            List<LabProcess> samplers = new ArrayList<>();
            for (String n : names) {
                samplers.add(lab.startJava(n, HeartbeatSampler.class.getName()));
            }
            LabProcess client = v == Variant.DASHBOARD
                    ? lab.startJava(n1, DashboardClient.class.getName(), Integer.toString(PORT), TOKEN_FILE, Integer.toString(rate))
                    : null;
            for (LabProcess s : samplers) {
                s.awaitLine(Duration.ofSeconds(60), l -> l.startsWith("ready"), "the heartbeat sampler on " + s.host());
            }
            if (client != null) {
                client.awaitLine(Duration.ofSeconds(60), l -> l.equals("ready"), "the dashboard client");
            }
            long[] pids = {TandemNodes.daemonPid(lab, n1), TandemNodes.daemonPid(lab, n2)};
            long[] ticks = {ticks(pids[0]), ticks(pids[1])};
            long w0 = System.nanoTime();
            Thread.sleep(window * 1000L);
            double seconds = (System.nanoTime() - w0) / 1e9;
            double[] cpu = new double[2];
            for (int i = 0; i < 2; i++) {
                cpu[i] = (ticks(pids[i]) - ticks[i]) / ProcReadings.TICKS_PER_SECOND * window / seconds;
            }
            String clientLine = null;
            if (client != null) {
                client.println("stop");
                clientLine = client.awaitLine(Duration.ofSeconds(30), l -> l.startsWith("client "), "the dashboard client's figures");
            }
            List<NodeFigures> out = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                samplers.get(i).println("stop");
                String line = samplers.get(i).awaitLine(Duration.ofSeconds(30), l -> l.startsWith("window "), "the sampler's window on " + names.get(i));
                String smaps = proc(pids[i], "smaps_rollup");
                NodeFigures f = new NodeFigures(names.get(i), ProcReadings.kb(smaps, "Rss") / 1024.0, ProcReadings.kb(smaps, "Pss") / 1024.0, cpu[i],
                        ProcReadings.threads(proc(pids[i], "status")), HeartbeatReadings.Window.parse(line.substring("window ".length())));
                System.out.println(v.title + " " + names.get(i) + " (pid " + pids[i] + "): " + f);
                out.add(f);
            }
            return new Run(v, out, clientLine);
        }
    }

    private static String proc(long pid, String file) throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(pid), file));
    }

    private static long ticks(long pid) throws IOException {
        return ProcReadings.cpuTicks(proc(pid, "stat"));
    }
}
