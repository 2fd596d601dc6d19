package io.tandem.bench;

import io.tandem.lab.Lab;
import io.tandem.lab.Poll;
import io.tandem.lab.TandemNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * {@code bench/failover}: the same cluster work (VIP 192.0.2.1 + apache2 on two nodes) run in the
 * namespace lab against Tandem, heartbeat 3.0.6 and keepalived 2.2.7, timed as the client sees it.
 * Per system, profile, apache2 mode ({@link ApacheMode}) and repetition, in a fresh lab: both nodes
 * started together until the client is first served; (rep 1, classic) footprint; hb_standby of the
 * owner; graceful stop of the owner (then it rejoins); failback (hb_takeover on the rejoined node);
 * power-off of the owner. Per move: until the other node serves, and the client's longest gap between
 * two served fetches. Prints one table and writes docs/benchmarks.md.
 *
 * <p>Options: {@link BenchOptions#USAGE}.
 */
public final class FailoverBench {
    static final String N1 = "node1";
    static final String N2 = "node2";
    static final Duration SERVE_TIMEOUT = Duration.ofSeconds(90);
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(90);
    /**
     * A power-off hits a node at least this long after its start: in its first 5 s a heartbeat (and a
     * Tandem) node announces dead time + 2 s ({@code dt}) and its peer waits that long, so a node that
     * just restarted (and took the group back) is not a steady-state power-off.
     */
    static final long POWER_OFF_AFTER_START_MS = 8_000;

    /** After a move the client's gap is read over this long past the first answer of the other node. */
    static final long GAP_TAIL_MS = 1000;

    private final Results results = new Results();
    private final int reps;
    private final int windowSeconds;
    private final String labPrefix;
    /** Modes the Tandem under test refused (tandem.cf): their further repetitions are skipped. */
    private final java.util.Set<ApacheMode> refused = new java.util.HashSet<>();

    /** Appended to every setup's name (Tandem's ARP probe when --arp-probe is given). */
    private final String note;

    private FailoverBench(int reps, int windowSeconds, String labPrefix, String note) {
        this.note = note;
        this.reps = reps;
        this.windowSeconds = windowSeconds;
        this.labPrefix = labPrefix;
    }

    public static void main(String[] args) throws Exception {
        BenchOptions o = BenchOptions.parse(args);
        if (o == null) {
            System.out.println(BenchOptions.USAGE);
            return;
        }
        var why = Lab.unavailable().or(Lab::heartbeatUnavailable);
        if (why.isPresent()) {
            System.err.println("bench/failover: " + why.get());
            System.exit(1);
        }
        if (!Files.isExecutable(Path.of("/etc/init.d/apache2")) || !Files.isExecutable(Path.of("/usr/sbin/keepalived"))) {
            System.err.println("bench/failover: needs apache2 (/etc/init.d/apache2) and keepalived (/usr/sbin/keepalived)");
            System.exit(1);
        }
        FailoverBench bench = new FailoverBench(o.reps(), o.windowSeconds(), o.labPrefix(), o.arpNote());
        long started = System.nanoTime();
        List<Setup> setups = new ArrayList<>();
        for (Profile p : o.profiles()) {
            for (ApacheMode mode : o.modes()) {
                setups.add(new Setup(p, mode, o.arpNote()));
                for (ClusterSystem s : o.systems()) {
                    if (!s.runs(mode)) {
                        continue;
                    }
                    for (int rep = 1; rep <= o.reps() && !bench.refused.contains(mode); rep++) {
                        bench.runOnce(s, p, mode, rep);
                    }
                }
            }
        }
        long minutes = Math.round((System.nanoTime() - started) / 60e9);
        String table = Report.table(bench.results, setups, o.systems());
        System.out.println();
        System.out.println(table);
        bench.results.notes().forEach(n -> System.out.println("note: " + n));
        String args0 = withoutOut(args);
        String kept = KeptSections.of(o.out()); // bench/footprint's breakdown, written by hand
        Files.writeString(o.out(), Report.document(table, o.profiles(), o.modes(), o.reps(), o.windowSeconds(), args0, minutes,
                bench.results.notes()) + kept);
        System.out.println("written: " + o.out());
    }

    /** One table section: a timer profile with a way of running apache2. */
    record Setup(Profile profile, ApacheMode mode, String note) {
        String name() {
            return mode.setup(profile) + note;
        }

        /** The classic setup of the same profile (the reference for a system that runs classic only). */
        String classicName() {
            return profile.name() + note;
        }
    }

    /** One repetition of every scenario for a system at a profile and apache2 mode, in a lab of its own. */
    private void runOnce(ClusterSystem sys, Profile p, ApacheMode mode, int rep) {
        String setup = new Setup(p, mode, note).name();
        String key = sys.title() + "/" + setup + " rep " + rep;
        System.out.println("== " + key);
        Map<String, Double> got = new LinkedHashMap<>();
        try (Lab lab = Lab.start(labPrefix, N1, N2)) {
            for (String n : List.of(N1, N2)) {
                sys.configure(lab, n, p, mode);
                TandemNodes.installApache(lab, n);
            }
            for (String n : List.of(N1, N2)) {
                sys.prepare(lab, n, mode);
            }
            Run run = new Run(lab, sys, setup, got);
            try (ClientProbe probe = ClientProbe.start(lab, ClusterSystem.VIP)) {
                // both nodes started together until the client is first served
                long t0 = System.currentTimeMillis();
                Map<String, Long> startedAt = new HashMap<>(Map.of(N1, t0, N2, t0));
                CompletableFuture<Void> a = CompletableFuture.runAsync(() -> sys.start(lab, N1));
                CompletableFuture<Void> b = CompletableFuture.runAsync(() -> sys.start(lab, N2));
                a.join();
                b.join();
                long served = served(probe, null, t0, lab, sys, "start");
                record(sys, setup, "start", served, got);
                String owner = probe.firstPageAfter(t0);
                String other = owner.equals(N1) ? N2 : N1;
                overhead(lab, sys, setup, "start", t0, served, got);
                settle(lab, sys, owner, other, mode);
                if (rep == 1 && mode.classic()) {
                    footprint(lab, sys, setup);
                }
                if (sys.hasStandby()) {
                    String from = owner;
                    run.move(probe, "standby", other, () -> sys.standby(lab, from));
                    owner = other;
                    other = from;
                    settle(lab, sys, owner, other, mode);
                }
                // graceful stop of the owner; it then comes back and the group stays where it is
                String stopped = owner;
                run.move(probe, "stop", other, () -> sys.stop(lab, stopped));
                owner = other;
                other = stopped;
                startedAt.put(other, System.currentTimeMillis());
                sys.start(lab, other);
                settle(lab, sys, owner, other, mode);
                if (sys.hasStandby()) {
                    // failback: the node that was stopped takes the group back (hb_takeover on it)
                    String back = other;
                    run.move(probe, "failback", back, () -> sys.takeover(lab, back));
                    other = owner;
                    owner = back;
                    settle(lab, sys, owner, other, mode);
                }
                // power-off of the owner, once past its start grace (below)
                String dead = owner;
                long grace = startedAt.get(dead) + POWER_OFF_AFTER_START_MS - System.currentTimeMillis();
                if (grace > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(grace * 1_000_000);
                }
                run.move(probe, "crash", other, () -> powerOff(lab, dead));
            }
        } catch (ClusterSystem.ModeRefused e) {
            refused.add(mode);
            results.note(setup + ": " + e.getMessage() + " — the setup is skipped");
            System.out.println("   SKIPPED: " + e.getMessage());
        } catch (RuntimeException | AssertionError e) {
            results.note(key + ": " + firstLine(e));
            System.out.println("   FAILED: " + e);
        }
        System.out.println("   " + got);
    }

    /** The moves of one lab run: a command (or the power cut) until the other node serves. */
    private final class Run {
        private final Lab lab;
        private final ClusterSystem sys;
        private final String setup;
        private final Map<String, Double> got;

        Run(Lab lab, ClusterSystem sys, String setup, Map<String, Double> got) {
            this.lab = lab;
            this.sys = sys;
            this.setup = setup;
            this.got = got;
        }

        /**
         * Runs {@code command} until {@code to} serves (a command in the background, the power-off inline;
         * the clock starts before either); records that time, the client's longest gap between two
         * served fetches and Tandem's overhead.
         */
        void move(ClientProbe probe, String scenario, String to, Runnable command) {
            boolean inline = scenario.equals("crash");
            long t0 = System.currentTimeMillis();
            CompletableFuture<Void> cmd = inline ? CompletableFuture.completedFuture(null) : CompletableFuture.runAsync(command);
            if (inline) {
                command.run();
            }
            long served = served(probe, to, t0, lab, sys, scenario);
            cmd.join();
            record(sys, setup, scenario, served, got);
            long tail = t0 + served + GAP_TAIL_MS - System.currentTimeMillis();
            if (tail > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(tail * 1_000_000);
            }
            long gap = probe.longestGap(t0, t0 + served + GAP_TAIL_MS);
            if (gap >= 0) {
                record(sys, setup, "gap:" + scenario, gap, got);
            }
            overhead(lab, sys, setup, scenario, t0, served, got);
        }
    }

    private long served(ClientProbe probe, String node, long t0, Lab lab, ClusterSystem sys, String what) {
        OptionalLong ms = probe.servedBy(node, t0, SERVE_TIMEOUT);
        if (ms.isEmpty()) {
            throw new IllegalStateException(what + ": the client was not served by " + (node == null ? "any node" : node) + " within "
                    + SERVE_TIMEOUT.toSeconds() + " s; logs:\n" + logs(lab));
        }
        return ms.getAsLong();
    }

    private void record(ClusterSystem sys, String setup, String scenario, long ms, Map<String, Double> got) {
        results.add(setup, scenario, sys.title(), ms);
        got.put(scenario, (double) ms);
    }

    /** Tandem's overhead: client-seen time minus detection (crash) minus time inside resource scripts. */
    private void overhead(Lab lab, ClusterSystem sys, String setup, String scenario, long t0, long servedMs, Map<String, Double> got) {
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
            results.note(setup + " " + scenario + ": no 'is dead' line in Tandem's log between the crash and the client's answer");
            return;
        }
        long overhead = servedMs - detection - scripts;
        System.out.printf("   Tandem %s %s: served after %d ms, detection %d, scripts %d, overhead %d; its log:%n%s", setup, scenario, servedMs,
                detection, scripts, overhead, tl.story(t0, t1));
        results.add(setup, "overhead:" + scenario, sys.title(), overhead);
        results.add(setup, "detection:" + scenario, sys.title(), detection);
        results.add(setup, "scripts:" + scenario, sys.title(), scripts);
        got.put("overhead:" + scenario, (double) overhead);
    }

    private void footprint(Lab lab, ClusterSystem sys, String setup) {
        int slices = Math.max(1, windowSeconds / 5);
        long slice = windowSeconds * 1000L / slices;
        Footprint.Samples s = Footprint.measure(lab, List.of(N1, N2), sys.comm(), slices, slice);
        s.rssMb().forEach(v -> results.add(setup, "rss", sys.title(), v));
        s.pssMb().forEach(v -> results.add(setup, "pss", sys.title(), v));
        s.cpuPercent().forEach(v -> results.add(setup, "cpu", sys.title(), v));
    }

    private static void settle(Lab lab, ClusterSystem sys, String owner, String other, ApacheMode mode) {
        Poll.untilOrElse(SETTLE_TIMEOUT, () -> sys.settled(lab, owner, other, mode),
                () -> sys.title() + ": the group did not settle on " + owner + " (" + sys.state(lab) + ")\n" + logs(lab));
    }

    /** Links down, every process of the node killed, the VIP gone with the machine. */
    private static void powerOff(Lab lab, String node) {
        // both links in one ip process (-batch), so that neither system's link goes down a process start later
        // (keepalived's VRRP runs on eth0, Tandem's and heartbeat's heartbeats on eth1)
        Path batch;
        try {
            batch = Files.createTempFile("power-off-", ".ip");
            Files.writeString(batch, "link set eth0 down\nlink set eth1 down\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        io.tandem.lab.ExecResult cut = lab.ip(node, "-batch", batch.toString());
        batch.toFile().delete();
        if (cut.exitCode() != 0) {
            throw new IllegalStateException("power-off of " + node + ": " + cut);
        }
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

    /** The command line as the report names it: without {@code --out FILE}, a path of the machine it ran on. */
    static String withoutOut(String[] args) {
        java.util.List<String> kept = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out")) {
                i++;
            } else {
                kept.add(args[i]);
            }
        }
        return String.join(" ", kept);
    }
}
