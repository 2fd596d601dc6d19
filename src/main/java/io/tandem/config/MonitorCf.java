package io.tandem.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code /etc/ha.d/tandem-monitor.cf}: how Tandem watches running resources. Optional (heartbeat never
 * reads it); without it every resource is checked with {@link #DEFAULTS}.
 *
 * @param file     where it was read from, or null when there is no such file
 * @param enabled  {@code monitoring on|off}
 * @param defaults the {@code defaults} line over the built-in defaults
 * @param entries  the {@code resource} lines, in file order
 */
public record MonitorCf(String file, boolean enabled, Settings defaults, List<Entry> entries) {
    /** Every 10 s, 20 s timeout, the group moves after 3 failures within 10 minutes. */
    public static final Settings DEFAULTS = new Settings(10_000, 20_000, 3, 600_000);
    /** No file: monitoring on with the defaults. */
    public static final MonitorCf ABSENT = new MonitorCf(null, true, DEFAULTS, List.of());

    public MonitorCf {
        Objects.requireNonNull(defaults, "defaults");
        entries = List.copyOf(entries);
    }

    /**
     * Resolved settings.
     *
     * @param intervalMs       0 = not monitored
     * @param timeoutMs        a check that takes longer is killed and counts as a failure
     * @param threshold        failures within the failure timeout that move the group
     * @param failureTimeoutMs how long a failure counts
     */
    public record Settings(long intervalMs, long timeoutMs, int threshold, long failureTimeoutMs) {
    }

    /**
     * One {@code resource NAME option=value...} line; absent options come from {@code defaults}.
     *
     * @param name the resource as written in haresources, or its script name
     */
    public record Entry(String name, int line, Optional<Long> intervalMs, Optional<Long> timeoutMs, Optional<Integer> threshold,
            Optional<Long> failureTimeoutMs) {
        public Settings over(Settings d) {
            return new Settings(intervalMs.orElse(d.intervalMs()), timeoutMs.orElse(d.timeoutMs()), threshold.orElse(d.threshold()),
                    failureTimeoutMs.orElse(d.failureTimeoutMs()));
        }
    }
}
