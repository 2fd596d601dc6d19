package io.tandem.daemon.metrics;

import java.util.Arrays;

/**
 * A histogram of durations (resource operations) with fixed buckets from 10 ms to 5 min: counts per
 * bucket, their sum and count, as Prometheus' {@code _bucket}/{@code _sum}/{@code _count}. Mutable,
 * used on the event loop; {@link #copy} gives the published snapshot its own.
 */
final class Durations {
    /** Upper bounds in seconds ({@code le}); +Inf is implied. */
    static final double[] BOUNDS = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};

    private final long[] counts = new long[BOUNDS.length + 1];
    private long sumMs;
    private long count;

    void observe(long ms) {
        long v = Math.max(0, ms);
        int i = 0;
        while (i < BOUNDS.length && v > BOUNDS[i] * 1000) {
            i++;
        }
        counts[i]++;
        sumMs += v;
        count++;
    }

    Durations copy() {
        Durations d = new Durations();
        System.arraycopy(counts, 0, d.counts, 0, counts.length);
        d.sumMs = sumMs;
        d.count = count;
        return d;
    }

    long count() {
        return count;
    }

    double sumSeconds() {
        return sumMs / 1000.0;
    }

    /** Observations at most {@code BOUNDS[i]} seconds (cumulative); {@code i == BOUNDS.length}: all. */
    long cumulative(int i) {
        long n = 0;
        for (int k = 0; k <= i; k++) {
            n += counts[k];
        }
        return n;
    }

    @Override
    public String toString() {
        return "Durations" + Arrays.toString(counts);
    }
}
