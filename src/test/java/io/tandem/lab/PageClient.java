package io.tandem.lab;

import static io.tandem.lab.TandemNodes.fetch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The lab's client: fetches the page behind an address from the client host every {@code periodMs}
 * until closed, and records when each fetch was made and failed, and how many were answered by a node
 * whose page names {@code watched} (the pages name their node).
 */
public final class PageClient implements AutoCloseable {
    public final AtomicInteger fetches = new AtomicInteger();
    public final AtomicInteger failures = new AtomicInteger();
    public final AtomicInteger fromWatched = new AtomicInteger();
    /** {@link System#nanoTime()} of every fetch and of every failed one. */
    public final List<Long> fetchedAt = Collections.synchronizedList(new ArrayList<>());
    public final List<Long> failedAt = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Lab lab;
    private final String address;
    private final String watched;
    private final long periodMs;
    private final Thread thread = new Thread(this::loop, "client");

    public PageClient(Lab lab, String address, String watched, long periodMs) {
        this.lab = lab;
        this.address = address;
        this.watched = watched;
        this.periodMs = periodMs;
        thread.start();
    }

    private void loop() {
        while (running.get()) {
            long at = System.nanoTime();
            String got = fetch(lab, address);
            fetches.incrementAndGet();
            fetchedAt.add(at);
            if (got.isEmpty()) {
                failures.incrementAndGet();
                failedAt.add(at);
            } else if (got.contains(watched)) {
                fromWatched.incrementAndGet();
            }
            LockSupport.parkNanos(periodMs * 1_000_000);
        }
    }

    /** How many of {@code list} ({@link #fetchedAt} or {@link #failedAt}) were at or after {@code from}. */
    public long count(List<Long> list, long from) {
        synchronized (list) {
            return list.stream().filter(t -> t >= from).count();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join();
    }

    /** The longest time between two served fetches at or after {@code from} (nanoTime), in ms. */
    public long longestGapMs(long from) {
        List<Long> served = new ArrayList<>();
        synchronized (fetchedAt) {
            synchronized (failedAt) {
                for (Long t : fetchedAt) {
                    if (t >= from && !failedAt.contains(t)) {
                        served.add(t);
                    }
                }
            }
        }
        long gap = 0;
        for (int i = 1; i < served.size(); i++) {
            gap = Math.max(gap, served.get(i) - served.get(i - 1));
        }
        return gap / 1_000_000;
    }
}
