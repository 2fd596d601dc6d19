package io.tandem.sim;

import io.tandem.node.NodeEvent;
import io.tandem.config.FailbackMode;
import io.tandem.resources.GroupSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Random schedules for {@link Cluster}: from one seed, a cluster of 2 or 3 nodes with two groups, a
 * run of faults and commands a few seconds apart, then a quiet phase (every node started, links
 * healed, scripts repaired) after which every group must be held. {@code main} is bench/simulate.
 */
final class Schedules {
    static final long KEEPALIVE = 500, DEADTIME = 2_000, INITDEAD = 4_000;
    static final long SCRIPT_MIN = 50, SCRIPT_MAX = 500, SCRIPT_TIMEOUT = 3_000;
    /** Long enough for initdead, RQSTDELAY (10 s), the 30 s standby after a failed start and the scripts. */
    static final long QUIET = 60_000;
    private static final String[] WHICH = {"all", "local", "foreign", "failback"};

    private Schedules() {
    }

    /** What a run did. */
    record Outcome(long simulatedMs, long events, Cluster cluster) {
        String trace() {
            return cluster.trace();
        }
    }

    static Cluster.Settings settings(int nodes, FailbackMode mode) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            names.add("n" + i);
        }
        List<GroupSpec> groups = List.of(GroupSpec.of("n1", "10.0.0.10", "web"), GroupSpec.of("n2", "10.0.0.20", "db"));
        return new Cluster.Settings(names, KEEPALIVE, DEADTIME, INITDEAD, mode, groups, SCRIPT_MIN, SCRIPT_MAX, SCRIPT_TIMEOUT);
    }

    /** One random schedule of {@code steps} faults; throws {@link Cluster.Violation} when an invariant fails. */
    static Outcome run(long seed, int nodes, int steps) {
        return run(seed, nodes, steps, java.util.Set.of());
    }

    /** The same with warm resources (tandem.cf, {@link WarmSimulationTest}); with none it is exactly {@link #run(long, int, int)}. */
    static Outcome run(long seed, int nodes, int steps, java.util.Set<String> warm) {
        return run(seed, nodes, steps, warm, java.util.Set.of());
    }

    /** The same with may-run-twice resources too ({@link MayRunTwiceSimulationTest}). */
    static Outcome run(long seed, int nodes, int steps, java.util.Set<String> warm, java.util.Set<String> twice) {
        Cluster c = new Cluster(seed, settings(nodes, seed % 2 == 0 ? FailbackMode.ON : FailbackMode.OFF));
        c.warm.addAll(warm);
        c.mayRunTwice.addAll(twice);
        c.maxDelay = 1 + c.random.nextInt(40);
        List<String> names = c.settings.names();
        List<String> resources = c.settings.groups().stream().flatMap(g -> g.resources().stream()).toList();
        for (String n : names) {
            c.at(c.between(0, 3_000), () -> c.start(n));
        }
        c.runUntil(c.between(5_000, 20_000));
        for (int i = 0; i < steps; i++) {
            String n = names.get(c.random.nextInt(names.size()));
            int kind = c.random.nextInt(100);
            if (kind < 8) {
                c.kill(n);
            } else if (kind < 12) {
                c.powerOff(n);
            } else if (kind < 30) {
                c.start(n);
            } else if (kind < 38) {
                c.operator(n, new NodeEvent.Shutdown());
            } else if (kind < 42) {
                String o = names.get(c.random.nextInt(names.size()));
                if (!o.equals(n)) {
                    c.cutLink(n, o);
                }
            } else if (kind < 44) {
                c.isolate(n);
            } else if (kind < 50) {
                c.heal();
            } else if (kind < 53) {
                c.freeze(n, c.between(500, 3 * DEADTIME));
            } else if (kind < 65) {
                c.operator(n, new NodeEvent.Standby(WHICH[c.random.nextInt(WHICH.length)]));
            } else if (kind < 73) {
                c.operator(n, new NodeEvent.Takeover(WHICH[c.random.nextInt(WHICH.length)]));
            } else if (kind < 83) {
                Cluster.Script[] all = Cluster.Script.values();
                // a repair half the time: most scripts work
                Cluster.Script s = c.random.nextBoolean() ? Cluster.Script.OK : all[c.random.nextInt(all.length)];
                c.script(n, resources.get(c.random.nextInt(resources.size())), s);
            } else if (kind < 90) {
                c.loss = c.random.nextInt(4) == 0 ? c.random.nextDouble() * 0.2 : 0;
                c.duplicate = c.random.nextDouble() * 0.1;
                c.maxDelay = 1 + c.random.nextInt(200);
            }
            c.runUntil(c.now + c.between(200, 8_000));
        }
        // quiet: everything repaired and running
        c.heal();
        c.loss = 0;
        for (String n : names) {
            resources.forEach(r -> c.nodes.get(n).scripts.remove(r));
        }
        c.runUntil(c.now + 3 * DEADTIME);
        for (String n : names) {
            c.start(n);
        }
        c.runUntil(c.now + QUIET);
        c.checkHeld();
        c.checkAgreed();
        return new Outcome(c.now, c.events, c);
    }

    /**
     * bench/simulate: {@code [--seeds N] [--from S] [--nodes 2|3|both] [--steps K] [--seed S --trace]}.
     * Prints schedules per second and simulated hours; a violation prints its seed and trace, exit 1.
     */
    public static void main(String[] args) {
        int seeds = 2_000;
        long from = 1;
        String which = "both";
        int steps = Campaign.STEPS;
        Long single = null;
        boolean trace = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--from" -> from = Long.parseLong(args[++i]);
                case "--nodes" -> which = args[++i];
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--seed" -> single = Long.parseLong(args[++i]);
                case "--trace" -> trace = true;
                default -> {
                    System.err.println("usage: bench/simulate [--seeds N] [--from S] [--nodes 2|3|both] [--steps K] [--seed S [--trace]]");
                    System.exit(2);
                }
            }
        }
        if (single != null) {
            from = single;
            seeds = 1;
        }
        List<Integer> sizes = which.equals("both") ? List.of(2, 3) : List.of(Integer.parseInt(which));
        long started = System.nanoTime();
        long simulated = 0;
        int runs = 0;
        for (long s = from; s < from + seeds; s++) {
            for (int size : sizes) {
                try {
                    simulated += run(s, size, steps).simulatedMs();
                    runs++;
                } catch (Cluster.Violation v) {
                    System.out.println(size + " nodes, " + v.getMessage());
                    System.exit(1);
                }
            }
        }
        if (trace) {
            System.out.println("no violation (a run's trace is printed only when it fails)");
        }
        double secs = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "%d schedules (%s nodes, %d steps) in %.1f s: %.0f schedules/s, %.1f simulated hours%n", runs,
                which, steps, secs, runs / secs, simulated / 3.6e6);
    }
}
