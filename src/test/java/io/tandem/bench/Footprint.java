package io.tandem.bench;

import io.tandem.lab.Lab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Memory and CPU of a system's daemon processes per node (apache2 and scripts excluded): RSS and PSS
 * from {@code /proc/PID/smaps_rollup} at the end of each slice, CPU (user + system ticks of
 * {@code /proc/PID/stat}) over each slice as a percentage of one core. Each slice gives one sample
 * per node, so the spread covers both nodes and the whole window.
 */
final class Footprint {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    record Samples(List<Double> rssMb, List<Double> pssMb, List<Double> cpuPercent) {
    }

    private Footprint() {
    }

    static Samples measure(Lab lab, List<String> nodes, String comm, int slices, long sliceMillis) {
        List<Double> rss = new ArrayList<>(), pss = new ArrayList<>(), cpu = new ArrayList<>();
        for (int s = 0; s < slices; s++) {
            List<long[]> before = new ArrayList<>();
            for (String n : nodes) {
                before.add(new long[] {ticks(lab.pids(n, comm))});
            }
            long t0 = System.nanoTime();
            java.util.concurrent.locks.LockSupport.parkNanos(sliceMillis * 1_000_000); // the measuring window itself
            double seconds = (System.nanoTime() - t0) / 1e9;
            for (int i = 0; i < nodes.size(); i++) {
                List<Long> pids = lab.pids(nodes.get(i), comm);
                cpu.add(100.0 * (ticks(pids) - before.get(i)[0]) / TICKS_PER_SECOND / seconds);
                long[] mem = memoryKb(pids);
                rss.add(mem[0] / 1024.0);
                pss.add(mem[1] / 1024.0);
            }
        }
        return new Samples(rss, pss, cpu);
    }

    private static long ticks(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                sum += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
            } catch (IOException | RuntimeException e) {
                // the process ended between listing and reading
            }
        }
        return sum;
    }

    private static long[] memoryKb(List<Long> pids) {
        long rss = 0, pss = 0;
        for (long pid : pids) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                    String[] f = line.trim().split("\\s+");
                    if (f[0].equals("Rss:")) {
                        rss += Long.parseLong(f[1]);
                    } else if (f[0].equals("Pss:")) {
                        pss += Long.parseLong(f[1]);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the process ended between listing and reading
            }
        }
        return new long[] {rss, pss};
    }
}
