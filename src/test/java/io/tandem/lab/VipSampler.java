package io.tandem.lab;

import static io.tandem.lab.TandemNodes.holds;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The lab's dual-VIP sampler: asks two nodes in turn whether they hold an address, every
 * {@code periodMs}, until closed. It counts the samples with the address on both, how long that lasted,
 * when it was last on both or on neither-or-both, whether the second node ever held it, and the largest
 * gap between samples (each sample is two {@code ip} calls, slower on a loaded machine).
 */
public final class VipSampler implements AutoCloseable {
    public final AtomicInteger samples = new AtomicInteger();
    public final AtomicInteger bothSamples = new AtomicInteger();
    public final AtomicLong bothMs = new AtomicLong();
    /** {@link System#nanoTime()} of the last sample with the address on both nodes (0: never). */
    public final AtomicLong lastBothAt = new AtomicLong();
    /** {@link System#nanoTime()} of the last sample where the address was not on exactly one node. */
    public final AtomicLong lastNotOneAt = new AtomicLong();
    public final AtomicBoolean secondHeld = new AtomicBoolean();
    public final AtomicLong maxGapMs = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Lab lab;
    private final String first;
    private final String second;
    private final String address;
    private final long periodMs;
    private final Thread thread = new Thread(this::loop, "vip-sampler");

    public VipSampler(Lab lab, String first, String second, String address, long periodMs) {
        this.lab = lab;
        this.first = first;
        this.second = second;
        this.address = address;
        this.periodMs = periodMs;
        thread.start();
    }

    private void loop() {
        long last = System.nanoTime();
        while (running.get()) {
            boolean a = holds(lab, first, address);
            boolean b = holds(lab, second, address);
            long now = System.nanoTime();
            samples.incrementAndGet();
            maxGapMs.accumulateAndGet((now - last) / 1_000_000, Math::max);
            if (b) {
                secondHeld.set(true);
            }
            if (a && b) {
                bothSamples.incrementAndGet();
                bothMs.addAndGet((now - last) / 1_000_000);
                lastBothAt.set(now);
            }
            if (a == b) {
                lastNotOneAt.set(now);
            }
            last = now;
            LockSupport.parkNanos(periodMs * 1_000_000);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join();
    }
}
