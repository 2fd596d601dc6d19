package io.tandem.bench;

import io.tandem.lab.Lab;
import io.tandem.lab.Poll;
import io.tandem.lab.TandemNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * {@code bench/failover}: the same cluster work (VIP 192.0.2.1 + apache2 on two nodes) run in the
 * namespace lab against Tandem, heartbeat 3.0.6 and keepalived 2.2.7, timed as the client sees it.
 * Per system, profile and repetition, in a fresh lab: both nodes started together until the client
 * is first served; (rep 1) footprint; hb_standby of the owner; graceful stop of the owner (then it
 * rejoins); power-off of the owner. Prints one table and writes docs/benchmarks.md.
 *
 * <p>{@code FailoverBench [--reps N] [--quick] [--window SECONDS] [--systems LIST] [--profiles LIST] [--out FILE]}
 */
public final class FailoverBench {
    static final String N1 = "node1";
    static final String N2 = "node2";
    static final Duration SERVE_TIMEOUT = Duration.ofSeconds(90);
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(90);
    static final String[] SCENARIOS = {"crash", "stop", "standby", "start"};

    private final Results results = new Results();
    private final int reps;
    private final int windowSeconds;

    private FailoverBench(int reps, int windowSeconds) {
        this.reps = reps;
        this.windowSeconds = windowSeconds;
    }

    public static void main(String[] args) throws Exception {
        int reps = 3;
        Integer window = null;
        boolean quick = false;
        Path out = Path.of("docs/benchmarks.md");
        String systemNames = "tandem,heartbeat,keepalived";
        String profileNames = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--reps" -> reps = Integer.parseInt(value(args, ++i, "--reps"));
                case "--window" -> window = Integer.parseInt(value(args, ++i, "--window"));
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                case "--systems" -> systemNames = value(args, ++i, "--systems");
                case "--profiles" -> profileNames = value(args, ++i, "--profiles");
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> {
                    System.err.println("bench/failover: unknown argument '" + args[i] + "' (try --help)");
                    System.exit(2);
                }
            }
        }
        if (quick && !List.of(args).contains("--reps")) {
            reps = 1;
        }
        int windowSeconds = window != null ? window : quick ? 15 : 60;
        var why = Lab.unavailable().or(Lab::heartbeatUnavailable);
        if (why.isPresent()) {
            System.err.println("bench/failover: " + why.get());
            System.exit(1);
        }
        if (!Files.isExecutable(Path.of("/etc/init.d/apache2")) || !Files.isExecutable(Path.of("/usr/sbin/keepalived"))) {
            System.err.println("bench/failover: needs apache2 (/etc/init.d/apache2) and keepalived (/usr/sbin/keepalived)");
            System.exit(1);
        }
        List<Profile> profiles = profiles(profileNames != null ? profileNames : quick ? "fast" : "seed,fast");
        List<ClusterSystem> systems = systems(systemNames);
        FailoverBench bench = new FailoverBench(reps, windowSeconds);
        long started = System.nanoTime();
        for (Profile p : profiles) {
            for (ClusterSystem s : systems) {
                for (int rep = 1; rep <= reps; rep++) {
                    bench.runOnce(s, p, rep);
                }
            }
        }
        long minutes = Math.round((System.nanoTime() - started) / 60e9);
        String table = Report.table(bench.results, profiles, systems);
        System.out.println();
        System.out.println(table);
        String args0 = String.join(" ", args);
        String kept = KeptSections.of(out); // bench/footprint's breakdown, written by hand
        Files.writeString(out, Report.document(table, profiles, reps, windowSeconds, args0, minutes, bench.results.notes()) + kept);
        System.out.println("written: " + out);
    }

    private static final String USAGE =
            "usage: bench/failover [--quick] [--reps N] [--window SECONDS] [--systems tandem,heartbeat,keepalived]"
                    + " [--profiles seed,fast] [--out FILE]";

    /** The systems named in a comma list, in the table's order: Tandem first (the ratios are Tandem / other). */
    private static List<ClusterSystem> systems(String names) {
        List<String> wanted = List.of(names.split(","));
        for (String n : wanted) {
            if (!List.of("tandem", "heartbeat", "keepalived").contains(n)) {
                usageError("unknown system '" + n + "' in --systems (tandem, heartbeat, keepalived)");
            }
        }
        if (!wanted.contains("tandem")) {
            usageError("--systems must include tandem (every ratio is Tandem / other)");
        }
        List<ClusterSystem> all = List.of(new ClusterSystem.Tandem(), new ClusterSystem.Heartbeat(), new ClusterSystem.Keepalived());
        return all.stream().filter(s -> wanted.contains(s.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT))).toList();
    }

    private static List<Profile> profiles(String names) {
        List<Profile> out = new java.util.ArrayList<>();
        for (String n : names.split(",")) {
            switch (n) {
                case "seed" -> out.add(Profile.SEED);
                case "fast" -> out.add(Profile.FAST);
                default -> usageError("unknown profile '" + n + "' in --profiles (seed, fast)");
            }
        }
        return List.copyOf(out);
    }

    private static void usageError(String message) {
        System.err.println("bench/failover: " + message);
        System.exit(2);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            System.err.println("bench/failover: " + option + " needs a value");
            System.exit(2);
        }
        return args[i];
    }

    /** One repetition of every scenario for a system at a profile, in a lab of its own. */
    private void runOnce(ClusterSystem sys, Profile p, int rep) {
        String key = sys.title() + "/" + p.name() + " rep " + rep;
        System.out.println("== " + key);
        Map<String, Double> got = new LinkedHashMap<>();
        try (Lab lab = Lab.start("tb", N1, N2)) {
            for (String n : List.of(N1, N2)) {
                sys.configure(lab, n, p);
                TandemNodes.installApache(lab, n);
            }
            try (ClientProbe probe = ClientProbe.start(lab, ClusterSystem.VIP)) {
                // both nodes started together until the client is first served
                long t0 = System.currentTimeMillis();
                CompletableFuture<Void> a = CompletableFuture.runAsync(() -> sys.start(lab, N1));
                CompletableFuture<Void> b = CompletableFuture.runAsync(() -> sys.start(lab, N2));
                a.join();
                b.join();
                long served = served(probe, null, t0, lab, sys, "start");
                record(sys, p, "start", served, got);
                String owner = probe.firstPageAfter(t0);
                String other = owner.equals(N1) ? N2 : N1;
                overhead(lab, sys, p, "start", t0, served, got);
                settle(lab, sys, owner, other);
                if (rep == 1) {
                    footprint(lab, sys, p);
                }
                if (sys.hasStandby()) {
                    t0 = System.currentTimeMillis();
                    String from = owner;
                    CompletableFuture<Void> cmd = CompletableFuture.runAsync(() -> sys.standby(lab, from));
                    served = served(probe, other, t0, lab, sys, "standby");
                    cmd.join();
                    record(sys, p, "standby", served, got);
                    overhead(lab, sys, p, "standby", t0, served, got);
                    owner = other;
                    other = from;
                    settle(lab, sys, owner, other);
                }
                // graceful stop of the owner; it then comes back and the group stays where it is
                t0 = System.currentTimeMillis();
                String stopped = owner;
                CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> sys.stop(lab, stopped));
                served = served(probe, other, t0, lab, sys, "stop");
                stop.join();
                record(sys, p, "stop", served, got);
                overhead(lab, sys, p, "stop", t0, served, got);
                owner = other;
                other = stopped;
                sys.start(lab, other);
                settle(lab, sys, owner, other);
                // power-off of the owner
                t0 = System.currentTimeMillis();
                powerOff(lab, owner);
                served = served(probe, other, t0, lab, sys, "crash");
                record(sys, p, "crash", served, got);
                overhead(lab, sys, p, "crash", t0, served, got);
            }
        } catch (RuntimeException | AssertionError e) {
            results.note(key + ": " + firstLine(e));
            System.out.println("   FAILED: " + e);
        }
        System.out.println("   " + got);
    }

    private long served(ClientProbe probe, String node, long t0, Lab lab, ClusterSystem sys, String what) {
        OptionalLong ms = probe.servedBy(node, t0, SERVE_TIMEOUT);
        if (ms.isEmpty()) {
            throw new IllegalStateException(what + ": the client was not served by " + (node == null ? "any node" : node) + " within "
                    + SERVE_TIMEOUT.toSeconds() + " s; logs:\n" + logs(lab));
        }
        return ms.getAsLong();
    }

    private void record(ClusterSystem sys, Profile p, String scenario, long ms, Map<String, Double> got) {
        results.add(p.name(), scenario, sys.title(), ms);
        got.put(scenario, (double) ms);
    }

    /** Tandem's overhead: client-seen time minus detection (crash) minus time inside resource scripts. */
    private void overhead(Lab lab, ClusterSystem sys, Profile p, String scenario, long t0, long servedMs, Map<String, Double> got) {
        if (!(sys instanceof ClusterSystem.Tandem)) {
            return;
        }
        long t1 = t0 + servedMs;
        // the scripts finish and log just before the client's answer: let the log writer catch up
        Poll.within(Duration.ofSeconds(2), () -> false);
        TandemTimeline tl = new TandemTimeline(List.of(lab.read(N1, "/var/log/ha-debug"), lab.read(N2, "/var/log/ha-debug")));
        long detection = scenario.equals("crash") ? tl.detection(t0, t1) : 0;
        long scripts = tl.scripts(t0, t1);
        if (detection < 0) {
            results.note(p.name() + " " + scenario + ": no 'is dead' line in Tandem's log between the crash and the client's answer");
            return;
        }
        long overhead = servedMs - detection - scripts;
        System.out.printf("   Tandem %s %s: served after %d ms, detection %d, scripts %d, overhead %d; its log:%n%s", p.name(), scenario, servedMs,
                detection, scripts, overhead, tl.story(t0, t1));
        results.add(p.name(), "overhead:" + scenario, sys.title(), overhead);
        results.add(p.name(), "detection:" + scenario, sys.title(), detection);
        results.add(p.name(), "scripts:" + scenario, sys.title(), scripts);
        got.put("overhead:" + scenario, (double) overhead);
    }

    private void footprint(Lab lab, ClusterSystem sys, Profile p) {
        int slices = Math.max(1, windowSeconds / 5);
        long slice = windowSeconds * 1000L / slices;
        Footprint.Samples s = Footprint.measure(lab, List.of(N1, N2), sys.comm(), slices, slice);
        s.rssMb().forEach(v -> results.add(p.name(), "rss", sys.title(), v));
        s.pssMb().forEach(v -> results.add(p.name(), "pss", sys.title(), v));
        s.cpuPercent().forEach(v -> results.add(p.name(), "cpu", sys.title(), v));
    }

    private static void settle(Lab lab, ClusterSystem sys, String owner, String other) {
        Poll.untilOrElse(SETTLE_TIMEOUT, () -> sys.settled(lab, owner, other),
                () -> sys.title() + ": the group did not settle on " + owner + " (" + sys.state(lab) + ")\n" + logs(lab));
    }

    /** Links down, every process of the node killed, the VIP gone with the machine. */
    private static void powerOff(Lab lab, String node) {
        lab.setLink(node, "eth0", false);
        lab.setLink(node, "eth1", false);
        lab.pids(node).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        lab.ip(node, "addr", "del", ClusterSystem.VIP + "/24", "dev", "eth0");
    }

    private static String logs(Lab lab) {
        StringBuilder sb = new StringBuilder();
        for (String n : List.of(N1, N2)) {
            String log = lab.haLog(n);
            List<String> lines = log.lines().toList();
            sb.append("--- ").append(n).append(" ha-log (last 30 lines):\n");
            lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(l -> sb.append(l).append('\n'));
        }
        return sb.toString();
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Samples keyed by profile, row and system. */
    static final class Results {
        private final Map<String, List<Double>> samples = new LinkedHashMap<>();
        private final List<String> notes = new ArrayList<>();

        void add(String profile, String row, String system, double value) {
            samples.computeIfAbsent(profile + "|" + row + "|" + system, k -> new ArrayList<>()).add(value);
        }

        Stats stats(String profile, String row, String system) {
            return Stats.of(samples.getOrDefault(profile + "|" + row + "|" + system, List.of()));
        }

        void note(String text) {
            notes.add(text);
        }

        List<String> notes() {
            return notes;
        }
    }
}
