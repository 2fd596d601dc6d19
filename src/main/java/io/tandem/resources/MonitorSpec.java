package io.tandem.resources;

/**
 * How one resource is watched while it runs.
 *
 * @param intervalMs       time between two checks (after the previous one finished); 0 = not monitored
 * @param timeoutMs        a check that takes longer is killed and counts as a failure
 * @param threshold        failures within {@code failureTimeoutMs} after which the group leaves this
 *                         node instead of being restarted in place (Pacemaker's migration-threshold)
 * @param failureTimeoutMs how long a failure counts (Pacemaker's failure-timeout); a node where the
 *                         group failed {@code threshold} times is not chosen again until enough of them
 *                         expired, or until {@code tandem cleanup}
 */
public record MonitorSpec(long intervalMs, long timeoutMs, int threshold, long failureTimeoutMs) {
    /** Every 10 s, 20 s timeout, 3 failures within 10 minutes move the group. */
    public static final MonitorSpec DEFAULT = new MonitorSpec(10_000, 20_000, 3, 600_000);

    public MonitorSpec {
        if (intervalMs < 0) {
            throw new IllegalArgumentException("interval must not be negative: " + intervalMs);
        }
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("timeout must be positive: " + timeoutMs);
        }
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1: " + threshold);
        }
        if (failureTimeoutMs <= 0) {
            throw new IllegalArgumentException("failure timeout must be positive: " + failureTimeoutMs);
        }
    }

    public boolean monitored() {
        return intervalMs > 0;
    }
}
