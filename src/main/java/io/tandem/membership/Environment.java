package io.tandem.membership;

/**
 * What the engine takes from the machine without doing I/O itself: random numbers (retransmit
 * delays, ACK triggers) and the load average for the {@code ld} field. The daemon reads
 * /proc/loadavg; the simulator returns fixed text and seeded numbers.
 */
public interface Environment {
    /** A uniformly random number in [0, bound). */
    long random(long bound);

    /** /proc/loadavg without its newline, or {@code n/a}. */
    String loadAverage();
}
