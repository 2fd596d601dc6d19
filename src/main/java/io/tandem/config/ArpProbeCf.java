package io.tandem.config;

import java.util.Locale;
import java.util.OptionalLong;

/**
 * Tandem's optional {@code tandem-arp.cf} (heartbeat does not read it): how the address of an
 * {@code IPaddr}/{@code IPaddr2} resource is probed with ARP before it is added (docs/split-brain.md).
 * One directive per line, {@code #} starts a comment:
 * <pre>
 * probe on|off
 * probe_count N        1-10 ARP probes
 * probe_interval T     between two probes, 10 ms to 2 s
 * probe_window T       from the first probe to the end of listening, at least the probes, at most 10 s
 * </pre>
 * T as in ha.cf ({@code 100ms}, {@code 1}: seconds). Every error names the file and line.
 *
 * @param enabled    whether starts of address resources are probed
 * @param count      probes sent
 * @param intervalMs between probes
 * @param windowMs   from the first probe to the end of listening
 */
public record ArpProbeCf(boolean enabled, int count, long intervalMs, long windowMs) {
    public static final String FILE = "tandem-arp.cf";
    /** Three probes 100 ms apart, answers awaited 300 ms: RFC 5227's timing (about 7 s) is too slow for a failover. */
    public static final ArpProbeCf DEFAULTS = new ArpProbeCf(true, 3, 100, 300);

    public static ArpProbeCf parse(String file, String text) {
        boolean enabled = DEFAULTS.enabled();
        int count = DEFAULTS.count();
        long interval = DEFAULTS.intervalMs();
        long window = DEFAULTS.windowMs();
        int windowLine = 0;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int no = i + 1;
            String line = lines[i];
            int hash = line.indexOf('#');
            String[] w = (hash >= 0 ? line.substring(0, hash) : line).trim().split("[ \t]+");
            if (w.length == 1 && w[0].isEmpty()) {
                continue;
            }
            if (w.length != 2) {
                throw new ConfigException(file, no, "'" + w[0] + "' takes one value");
            }
            switch (w[0].toLowerCase(Locale.ROOT)) {
                case "probe" -> {
                    if (!w[1].equals("on") && !w[1].equals("off")) {
                        throw new ConfigException(file, no, "'probe' takes on or off");
                    }
                    enabled = w[1].equals("on");
                }
                case "probe_count" -> {
                    if (!w[1].matches("[0-9]{1,2}") || Integer.parseInt(w[1]) < 1 || Integer.parseInt(w[1]) > 10) {
                        throw new ConfigException(file, no, "'probe_count' takes a number from 1 to 10");
                    }
                    count = Integer.parseInt(w[1]);
                }
                case "probe_interval" -> interval = time(file, no, w, 10, 2_000);
                case "probe_window" -> {
                    window = time(file, no, w, 10, 10_000);
                    windowLine = no;
                }
                default -> throw new ConfigException(file, no, "unknown directive '" + w[0]
                        + "' (known: probe, probe_count, probe_interval, probe_window)");
            }
        }
        if (enabled && window < interval * (count - 1)) {
            throw new ConfigException(file, Math.max(windowLine, 1), "probe_window " + window + " ms is shorter than the " + count
                    + " probes " + interval + " ms apart");
        }
        return new ArpProbeCf(enabled, count, interval, window);
    }

    private static long time(String file, int no, String[] w, long min, long max) {
        OptionalLong ms = TimeValue.parseMs(w[1]);
        if (ms.isEmpty() || ms.getAsLong() < min || ms.getAsLong() > max) {
            throw new ConfigException(file, no, "'" + w[0] + "' takes a time from " + min + " ms to " + TimeValue.format(max)
                    + " (e.g. 100ms)");
        }
        return ms.getAsLong();
    }
}
