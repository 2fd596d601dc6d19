package io.tandem.bench;

/** Parsing of a process's /proc files: CPU ticks of {@code stat}, memory of {@code smaps_rollup}, threads of {@code status}. */
final class ProcReadings {
    static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private ProcReadings() {
    }

    /** utime + stime (fields 14 and 15) of {@code /proc/PID/stat}; the command name may hold spaces and parentheses. */
    static long cpuTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** A {@code Key:  N kB} line of {@code /proc/PID/smaps_rollup} (Rss, Pss, ...), in kB; -1 when absent. */
    static long kb(String smapsRollup, String key) {
        for (String line : smapsRollup.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 2 && f[0].equals(key + ":")) {
                return Long.parseLong(f[1]);
            }
        }
        return -1;
    }

    /** {@code Threads:} of {@code /proc/PID/status}; -1 when absent. */
    static int threads(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring(8).strip());
            }
        }
        return -1;
    }
}
