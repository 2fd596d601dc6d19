package io.tandem.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** bench/failover's command line. A bad option ends the program with a message and exit code 2. */
record BenchOptions(int reps, int windowSeconds, Path out, List<ClusterSystem> systems, List<Profile> profiles, List<ApacheMode> modes,
        String labPrefix, String arpNote) {
    static final String USAGE = "usage: bench/failover [--quick] [--reps N] [--window SECONDS] [--systems tandem,heartbeat,keepalived]"
            + " [--profiles seed,fast] [--modes classic,warm,...] [--lab-prefix PREFIX] [--out FILE]\n"
            + "  --modes: how apache2 runs; classic (default: as heartbeat runs it), or a tandem.cf mode word for\n"
            + "           'resource apache2 WORD' (warm, may-run-twice, ...); heartbeat runs classic only\n"
            + "  --lab-prefix: the lab's namespace prefix (default tb), 1-6 lower-case letters\n"
            + "  --arp-probe COUNT/INTERVALms/WINDOWms | off: Tandem's tandem-arp.cf (its duplicate-address probe; default:\n"
            + "           none, Tandem's defaults 3/100ms/300ms); the tables name it";

    /** The options, or null for --help. */
    static BenchOptions parse(String[] args) {
        int reps = 3;
        Integer window = null;
        boolean quick = false;
        Path out = Path.of("docs/benchmarks.md");
        String systemNames = "tandem,heartbeat,keepalived";
        String profileNames = null;
        String modeNames = "classic";
        String prefix = "tb";
        String arp = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--reps" -> reps = number(value(args, ++i, "--reps"), "--reps");
                case "--window" -> window = number(value(args, ++i, "--window"), "--window");
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                case "--systems" -> systemNames = value(args, ++i, "--systems");
                case "--profiles" -> profileNames = value(args, ++i, "--profiles");
                case "--modes" -> modeNames = value(args, ++i, "--modes");
                case "--lab-prefix" -> prefix = value(args, ++i, "--lab-prefix");
                case "--arp-probe" -> arp = value(args, ++i, "--arp-probe");
                case "-h", "--help" -> {
                    return null;
                }
                default -> usageError("unknown argument '" + args[i] + "' (try --help)");
            }
        }
        if (quick && !List.of(args).contains("--reps")) {
            reps = 1;
        }
        if (!prefix.matches("[a-z]{1,6}")) {
            usageError("--lab-prefix must be 1-6 lower-case letters, not '" + prefix + "'");
        }
        int windowSeconds = window != null ? window : quick ? 15 : 60;
        String arpCf = "";
        String arpNote = "";
        if (arp != null) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,2})/([0-9]{1,4})ms/([0-9]{1,5})ms").matcher(arp);
            if (arp.equals("off")) {
                arpCf = "probe off\n";
                arpNote = ", Tandem ARP probe off";
            } else if (m.matches()) {
                arpCf = "probe_count " + m.group(1) + "\nprobe_interval " + m.group(2) + "ms\nprobe_window " + m.group(3) + "ms\n";
                arpNote = ", Tandem ARP probe " + m.group(1) + "×" + m.group(2) + " ms in " + m.group(3) + " ms";
            } else {
                usageError("--arp-probe takes COUNT/INTERVALms/WINDOWms (e.g. 2/20ms/50ms) or off, not '" + arp + "'");
            }
        }
        return new BenchOptions(reps, windowSeconds, out, systems(systemNames, arpCf),
                profiles(profileNames != null ? profileNames : quick ? "fast" : "seed,fast"), modes(modeNames), prefix, arpNote);
    }

    /** The systems named in a comma list, in the table's order: Tandem first (the ratios are Tandem / other). */
    private static List<ClusterSystem> systems(String names, String tandemArpCf) {
        List<String> wanted = List.of(names.split(","));
        for (String n : wanted) {
            if (!List.of("tandem", "heartbeat", "keepalived").contains(n)) {
                usageError("unknown system '" + n + "' in --systems (tandem, heartbeat, keepalived)");
            }
        }
        if (!wanted.contains("tandem")) {
            usageError("--systems must include tandem (every ratio is Tandem / other)");
        }
        List<ClusterSystem> all = List.of(new ClusterSystem.Tandem(tandemArpCf), new ClusterSystem.Heartbeat(), new ClusterSystem.Keepalived());
        return all.stream().filter(s -> wanted.contains(s.getClass().getSimpleName().toLowerCase(Locale.ROOT))).toList();
    }

    private static List<Profile> profiles(String names) {
        List<Profile> out = new ArrayList<>();
        for (String n : names.split(",")) {
            switch (n) {
                case "seed" -> out.add(Profile.SEED);
                case "fast" -> out.add(Profile.FAST);
                default -> usageError("unknown profile '" + n + "' in --profiles (seed, fast)");
            }
        }
        return List.copyOf(out);
    }

    private static List<ApacheMode> modes(String names) {
        List<ApacheMode> out = new ArrayList<>();
        for (String n : names.split(",")) {
            try {
                ApacheMode m = ApacheMode.of(n);
                if (!out.contains(m)) {
                    out.add(m);
                }
            } catch (IllegalArgumentException e) {
                usageError(e.getMessage() + " in --modes");
            }
        }
        return List.copyOf(out);
    }

    private static int number(String s, String option) {
        if (!s.matches("[0-9]{1,6}") || Integer.parseInt(s) < 1) {
            usageError(option + " needs a positive number, not '" + s + "'");
        }
        return Integer.parseInt(s);
    }

    private static void usageError(String message) {
        System.err.println("bench/failover: " + message);
        System.exit(2);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            usageError(option + " needs a value");
        }
        return args[i];
    }
}
