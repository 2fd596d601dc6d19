package io.tandem.sim;

import java.util.PriorityQueue;

/** What happens next on the virtual clock: actions by time, those due at the same time in the order they were scheduled. */
final class Agenda {
    private record Entry(long at, long order, Runnable action) {
    }

    private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    private long order;

    void add(long at, Runnable action) {
        queue.add(new Entry(at, order++, action));
    }

    /** The time of the next action, or {@link Long#MAX_VALUE} when none is due. */
    long next() {
        Entry e = queue.peek();
        return e == null ? Long.MAX_VALUE : e.at;
    }

    /** Removes the next action (due at {@link #next()}). */
    Runnable take() {
        return queue.poll().action;
    }
}
