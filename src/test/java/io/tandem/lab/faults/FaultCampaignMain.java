package io.tandem.lab.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code bench/faults}: runs the fault campaign in the namespace lab (root) and prints its report.
 * <pre>  --mode tandem|heartbeat|mixed  --seed N  --count N  [--prefix P]  [--out FILE]  [--minutes M]</pre>
 * With --minutes no fault starts after M minutes (the report says how many ran).
 * Prefixes default to flt (tandem; also FaultCampaignLabTest's, never both at once), flh (heartbeat), flm (mixed); the report also goes to FILE.
 */
public final class FaultCampaignMain {
    private FaultCampaignMain() {
    }

    public static void main(String[] args) throws IOException {
        Mode mode = Mode.TANDEM;
        long seed = System.currentTimeMillis();
        int count = 200;
        String prefix = null;
        Path out = null;
        long minutes = Long.MAX_VALUE / 60;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--mode" -> mode = Mode.parse(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--count" -> count = Integer.parseInt(v);
                case "--prefix" -> prefix = v;
                case "--out" -> out = Path.of(v);
                case "--minutes" -> minutes = Long.parseLong(v);
                default -> {
                    System.err.println("usage: bench/faults --mode tandem|heartbeat|mixed --seed N --count N [--prefix P] [--out FILE] [--minutes M]");
                    System.exit(2);
                }
            }
            i++;
        }
        if (prefix == null) {
            prefix = switch (mode) {
                case TANDEM -> "flt";
                case HEARTBEAT -> "flh";
                case MIXED -> "flm";
            };
        }
        if (io.tandem.lab.Lab.unavailable().isPresent()) {
            System.err.println("bench/faults: the lab is unavailable: " + io.tandem.lab.Lab.unavailable().get());
            System.exit(1);
        }
        System.out.printf("fault campaign: mode %s, seed %d, %d faults, lab prefix %s%n", mode, seed, count, prefix);
        Report report;
        try (TwoNodes cluster = TwoNodes.build(prefix, mode)) {
            report = new Campaign(cluster, seed, count, minutes * 60, System.out).run();
        }
        String text = report.full();
        System.out.println(text);
        if (out != null) {
            Files.writeString(out, text);
        }
        System.exit(report.violations().isEmpty() ? 0 : 3);
    }
}
