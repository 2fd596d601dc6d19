package io.tandem.lab.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code bench/faults}: runs the fault campaign in the namespace lab (root) and prints its report.
 * <pre>  --mode tandem|heartbeat|mixed  --seed N  --count N  [--prefix P]  [--out FILE]  [--minutes M]  [--apache2 MODE]</pre>
 * With --minutes no fault starts after M minutes (the report says how many ran). With --apache2 MODE (warm,
 * may-run-twice) the Tandem nodes' tandem.cf says {@code resource apache2 MODE}.
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
        String apache2 = "";
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--mode" -> mode = Mode.parse(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--count" -> count = Integer.parseInt(v);
                case "--prefix" -> prefix = v;
                case "--out" -> out = Path.of(v);
                case "--minutes" -> minutes = Long.parseLong(v);
                case "--apache2" -> {
                    if (!v.matches("[a-z-]{1,32}")) {
                        System.err.println("bench/faults: --apache2 takes a tandem.cf resource mode (warm, may-run-twice), not '" + v + "'");
                        System.exit(2);
                    }
                    apache2 = v;
                }
                default -> {
                    System.err.println("usage: bench/faults --mode tandem|heartbeat|mixed --seed N --count N [--prefix P] [--out FILE] [--minutes M] [--apache2 warm|may-run-twice]");
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
        String tandemCf = apache2.isEmpty() ? "" : "resource apache2 " + apache2 + "\n";
        System.out.printf("fault campaign: mode %s, seed %d, %d faults, lab prefix %s%s%n", mode, seed, count, prefix,
                apache2.isEmpty() ? "" : ", tandem.cf: resource apache2 " + apache2);
        Report report;
        try (TwoNodes cluster = TwoNodes.build(prefix, mode, tandemCf)) {
            report = new Campaign(cluster, seed, count, minutes * 60, System.out).run();
        }
        String text = (apache2.isEmpty() ? "" : "tandem.cf of the Tandem nodes: resource apache2 " + apache2 + "\n\n") + report.full();
        System.out.println(text);
        if (out != null) {
            Files.writeString(out, text);
        }
        System.exit(report.violations().isEmpty() ? 0 : 3);
    }
}
