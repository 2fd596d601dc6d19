package io.tandem.resources;

import java.util.Objects;

/**
 * How this node fences a dead peer before it takes the peer's groups (docs/split-brain.md, "Fencing").
 *
 * @param device            the STONITH device as the log names it ({@code external/ipmi}); empty when none is configured
 * @param takeoverOnFailure {@code stonith_failure_takeover yes}: after a failed fence, take over anyway (unsafe)
 * @param raceDelayMs       how long a node without precedence waits before it fences (see {@link #precedes})
 * @param firstRetryMs      pause after the first failed fence; it doubles after each further failure ...
 * @param maxRetryMs        ... up to this
 * @param checkIntervalMs   how often the device's status is asked ({@code stonith -S}, {@link DeviceCheck}); 0: never
 */
public record FencingPolicy(String device, boolean takeoverOnFailure, long raceDelayMs, long firstRetryMs, long maxRetryMs,
                            long checkIntervalMs) {
    /** The pause of a node without precedence before it fences, unless tandem.cf's {@code fence_delay} says otherwise. */
    public static final long RACE_DELAY_MS = 10_000;
    public static final long FIRST_RETRY_MS = 5_000;
    public static final long MAX_RETRY_MS = 60_000;
    /** The device's status is asked every minute unless tandem.cf's {@code stonith_check_interval} says otherwise. */
    public static final long CHECK_INTERVAL_MS = 60_000;

    /** No STONITH device: heartbeat's "No STONITH device configured." and an unfenced takeover. */
    public static final FencingPolicy NONE = new FencingPolicy("", false, RACE_DELAY_MS, FIRST_RETRY_MS, MAX_RETRY_MS, 0);

    public FencingPolicy {
        Objects.requireNonNull(device, "device");
        if (raceDelayMs < 0 || firstRetryMs <= 0 || maxRetryMs < firstRetryMs || checkIntervalMs < 0) {
            throw new IllegalArgumentException("bad fencing delays: race " + raceDelayMs + " ms, retry " + firstRetryMs
                    + " to " + maxRetryMs + " ms, check every " + checkIntervalMs + " ms");
        }
    }

    /** A configured device with the documented delays. */
    public static FencingPolicy stonith(String device, boolean takeoverOnFailure) {
        if (device.isEmpty()) {
            throw new IllegalArgumentException("a STONITH device needs a name");
        }
        return new FencingPolicy(device, takeoverOnFailure, RACE_DELAY_MS, FIRST_RETRY_MS, MAX_RETRY_MS, CHECK_INTERVAL_MS);
    }

    /** The same with another race delay (tandem.cf's {@code fence_delay}; 0: every node fences at once). */
    public FencingPolicy withRaceDelay(long ms) {
        return new FencingPolicy(device, takeoverOnFailure, ms, firstRetryMs, maxRetryMs, checkIntervalMs);
    }

    /** The same with another device status interval (tandem.cf's {@code stonith_check_interval}; 0: never). */
    public FencingPolicy withCheckInterval(long ms) {
        return new FencingPolicy(device, takeoverOnFailure, raceDelayMs, firstRetryMs, maxRetryMs, ms);
    }

    /** The same with {@code stonith_failure_takeover} as given. */
    public FencingPolicy withTakeoverOnFailure(boolean takeover) {
        return new FencingPolicy(device, takeover, raceDelayMs, firstRetryMs, maxRetryMs, checkIntervalMs);
    }

    /** Whether the device's status is checked periodically. */
    public boolean checksDevice() {
        return configured() && checkIntervalMs > 0;
    }

    public boolean configured() {
        return !device.isEmpty();
    }

    /** The same with other delays (the simulator scales them). */
    public FencingPolicy withDelays(long race, long firstRetry, long maxRetry) {
        return new FencingPolicy(device, takeoverOnFailure, race, firstRetry, maxRetry, checkIntervalMs);
    }

    /** The pause before the next try after {@code failures} failed ones: 5 s, 10 s, 20 s, 40 s, 60 s, 60 s, ... */
    public long retryDelay(int failures) {
        long d = firstRetryMs;
        for (int i = 1; i < failures && d < maxRetryMs; i++) {
            d *= 2;
        }
        return Math.min(d, maxRetryMs);
    }

    /**
     * Whether {@code node} fences at once when both sides may shoot (a heartbeat cable cut with the fence
     * device on another network): the home node of the first haresources group does, by
     * {@link Precedence#keeps}; every other node waits {@link #raceDelayMs} first, so that the node that
     * would keep the groups after a heal is also the one that survives the race. Without groups, the first
     * node of ha.cf's {@code node} lines fences at once.
     */
    public static boolean precedes(java.util.List<GroupSpec> groups, java.util.List<String> nodes, String node) {
        return groups.isEmpty() ? !nodes.isEmpty() && nodes.get(0).equals(node) : Precedence.keeps(groups.get(0), node);
    }
}
