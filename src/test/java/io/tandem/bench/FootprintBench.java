package io.tandem.bench;

import io.tandem.lab.Lab;
import io.tandem.lab.Poll;
import io.tandem.lab.TandemNodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bench/footprint --lab}: the Tandem daemon's footprint in the namespace lab, the cluster of
 * bench/failover (two nodes, VIP + apache2, bcast eth1) started as installed ({@code bin/tandem start}:
 * its JVM flags, its class-data archive; TANDEM_JAVA_OPTS and the environment reach it). Per profile
 * and node, with the group settled: RSS and PSS ({@code /proc/PID/smaps_rollup}) and threads at the
 * end of an idle window, the daemon's CPU seconds over the window, the time from {@code tandem start}
 * to its {@code Local status now set to: 'up'} line, and after that (jcmd attaches, which adds a
 * thread; each node has a /tmp of its own for that) GC heap committed, metaspace committed and code cache used. Prints one markdown row per
 * profile (medians of the two nodes' figures) and every node's figures.
 *
 * <p>{@code FootprintBench [--profiles seed,fast] [--window SECONDS] [--prefix ft] [--label TEXT] [--breakdown]}
 * ({@code --breakdown}: then {@code bench/footprint PID} of node1's daemon)
 *
 * <p>{@code FootprintBench --api [options]}: the HTTP API's and an open dashboard's cost instead ({@link ApiFootprintBench})
 */
public final class FootprintBench {
    private static final Pattern UP = Pattern.compile("\"ts\":\"([^\"]+)\".*Local status now set to: 'up'");

    record Node(double rssMb, double pssMb, int threads, double cpuSeconds, long startMs, double heapMb, double metaspaceMb, double codeMb,
            int classes) {
    }

    private FootprintBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--api")) { // bench/footprint --lab --api: the HTTP API's cost (ApiFootprintBench)
            ApiFootprintBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        String profiles = "seed,fast";
        int window = 300;
        String prefix = "ft";
        String label = "current";
        boolean breakdown = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--profiles" -> profiles = args[++i];
                case "--window" -> window = Integer.parseInt(args[++i]);
                case "--prefix" -> prefix = args[++i];
                case "--label" -> label = args[++i];
                case "--breakdown" -> breakdown = true;
                default -> {
                    System.err.println("bench/footprint: unknown argument '" + args[i] + "'");
                    System.exit(2);
                }
            }
        }
        var why = Lab.unavailable();
        if (why.isPresent()) {
            System.err.println("bench/footprint: " + why.get());
            System.exit(1);
        }
        List<String> rows = new ArrayList<>();
        for (String name : profiles.split(",")) {
            Profile p = switch (name) {
                case "seed" -> Profile.SEED;
                case "fast" -> Profile.FAST;
                default -> throw new IllegalArgumentException("unknown profile " + name);
            };
            List<Node> nodes = measure(prefix, p, window, breakdown);
            rows.add(row(label, p, nodes, window));
        }
        System.out.println();
        System.out.println("| step | profile | RSS (MB) | PSS (MB) | heap committed (MB) | metaspace committed (MB) | code cache used (MB) | threads | start → 'up' (ms) | CPU s / " + window + " s idle | classes |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static String row(String label, Profile p, List<Node> n, int window) {
        return String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %d | %.2f | %d |", label, p.name(),
                median(n.stream().mapToDouble(Node::rssMb).toArray()), median(n.stream().mapToDouble(Node::pssMb).toArray()),
                median(n.stream().mapToDouble(Node::heapMb).toArray()), median(n.stream().mapToDouble(Node::metaspaceMb).toArray()),
                median(n.stream().mapToDouble(Node::codeMb).toArray()), (int) median(n.stream().mapToDouble(Node::threads).toArray()),
                (long) median(n.stream().mapToDouble(Node::startMs).toArray()), median(n.stream().mapToDouble(Node::cpuSeconds).toArray()),
                (int) median(n.stream().mapToDouble(Node::classes).toArray()));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static List<Node> measure(String prefix, Profile p, int window, boolean breakdown) throws Exception {
        ClusterSystem.Tandem sys = new ClusterSystem.Tandem();
        String n1 = FailoverBench.N1, n2 = FailoverBench.N2;
        try (Lab lab = Lab.start(prefix, n1, n2)) {
            for (String n : List.of(n1, n2)) {
                sys.configure(lab, n, p);
                TandemNodes.installApache(lab, n);
                // a /tmp of its own: the JVMs' attach sockets (/tmp/.java_pidN) carry the pid inside the node's
                // PID namespace, the same number on both nodes, so jcmd would reach one node's daemon twice
                Path tmp = lab.addPrivateDir(n, "/tmp");
                if (new ProcessBuilder("chmod", "1777", tmp.toString()).start().waitFor() != 0) {
                    throw new IllegalStateException("chmod 1777 " + tmp);
                }
            }
            long t0 = System.currentTimeMillis();
            CompletableFuture<Void> a = CompletableFuture.runAsync(() -> sys.start(lab, n1));
            CompletableFuture<Void> b = CompletableFuture.runAsync(() -> sys.start(lab, n2));
            a.join();
            b.join();
            Poll.untilOrElse(Duration.ofSeconds(120), () -> sys.settled(lab, n1, n2) || sys.settled(lab, n2, n1),
                    () -> "not settled: " + sys.state(lab));
            long[] pids = {TandemNodes.daemonPid(lab, n1), TandemNodes.daemonPid(lab, n2)};
            long[] ticks = {ticks(pids[0]), ticks(pids[1])};
            long w0 = System.nanoTime();
            Thread.sleep(window * 1000L);
            double seconds = (System.nanoTime() - w0) / 1e9;
            List<Node> out = new ArrayList<>();
            String[] names = {n1, n2};
            for (int i = 0; i < 2; i++) {
                double cpu = (ticks(pids[i]) - ticks[i]) / 100.0 * window / seconds;
                long[] mem = smapsKb(pids[i]);
                int threads = threads(pids[i]);
                long start = upMillis(lab.read(names[i], "/var/log/ha-debug")) - t0;
                String heap = jcmd(pids[i], "GC.heap_info");
                String code = jcmd(pids[i], "Compiler.codecache");
                double heapMb = heapCommittedKb(heap) / 1024.0;
                double metaMb = kb(heap, "Metaspace\\s+used \\d+K, committed (\\d+)K") / 1024.0;
                double codeMb = kb(code, "used=(\\d+)Kb") / 1024.0;
                List<String> classes = classNames(jcmd(pids[i], "VM.class_hierarchy"));
                Path list = Path.of("target", "footprint-classes", prefix + "-" + p.name() + "-" + names[i] + ".txt");
                Files.createDirectories(list.getParent());
                Files.write(list, classes);
                Node node = new Node(mem[0] / 1024.0, mem[1] / 1024.0, threads, cpu, start, heapMb, metaMb, codeMb, classes.size());
                System.out.println(p.name() + " " + names[i] + " (pid " + pids[i] + "): " + node);
                out.add(node);
            }
            if (breakdown) { // bench/footprint PID on node1's daemon (NMT too when TANDEM_JAVA_OPTS turned it on)
                new ProcessBuilder(Path.of("bench", "footprint").toAbsolutePath().toString(), Long.toString(pids[0])).inheritIO().start()
                        .waitFor(60, TimeUnit.SECONDS);
            }
            return out;
        }
    }

    /**
     * The loaded classes, hidden ones (lambda proxies, method-handle forms) included, from {@code jcmd VM.class_hierarchy}:
     * one name a line ({@code |  |--java.lang.Object/null}: the name before the loader's address), sorted; written per node
     * to {@code target/footprint-classes/PREFIX-PROFILE-NODE.txt} for a breakdown by package.
     */
    static List<String> classNames(String hierarchy) {
        List<String> names = new ArrayList<>();
        for (String line : hierarchy.split("\n")) {
            String s = line.replaceFirst("^[|\\s-]*", "");
            int slash = s.indexOf('/');
            if (slash > 0) {
                names.add(s.substring(0, slash));
            }
        }
        names.sort(null);
        return names;
    }

    private static long upMillis(String log) {
        Matcher m = UP.matcher(log);
        return m.find() ? Instant.parse(m.group(1)).toEpochMilli() : -1;
    }

    private static long ticks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long[] smapsKb(long pid) throws IOException {
        long rss = 0, pss = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
            String[] f = line.split("\\s+");
            if (f[0].equals("Rss:")) {
                rss = Long.parseLong(f[1]);
            } else if (f[0].equals("Pss:")) {
                pss = Long.parseLong(f[1]);
            }
        }
        return new long[] {rss, pss};
    }

    private static int threads(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring(8).strip());
            }
        }
        return -1;
    }

    /** jcmd against the daemon from outside its namespaces (the attach mechanism finds it through /proc). */
    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + pid + " " + command + ": " + out);
        }
        return out;
    }

    private static long kb(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** SerialGC's heap committed: the sum of its generations' {@code total NK}. */
    private static long heapCommittedKb(String text) {
        long sum = 0;
        Matcher m = Pattern.compile("(?m)^ (def new generation|tenured generation)\\s+total (\\d+)K").matcher(text);
        while (m.find()) {
            sum += Long.parseLong(m.group(2));
        }
        return sum;
    }
}
