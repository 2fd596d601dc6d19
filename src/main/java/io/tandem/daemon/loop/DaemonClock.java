package io.tandem.daemon.loop;

/**
 * The time the daemon hands to the core: wall-clock milliseconds at start-up, advanced by the
 * monotonic clock afterwards. Timers therefore never jump when NTP steps the wall clock, while the
 * {@code ts} fields still read as wall time.
 */
public final class DaemonClock {
    private final long wallAtStart;
    private final long nanoAtStart;

    public DaemonClock() {
        this.wallAtStart = System.currentTimeMillis();
        this.nanoAtStart = System.nanoTime();
    }

    public long now() {
        return wallAtStart + (System.nanoTime() - nanoAtStart) / 1_000_000L;
    }

    /** The wall clock as it reads now, for log lines (which must match the rest of the system's logs). */
    public long wallMillis() {
        return System.currentTimeMillis();
    }
}
