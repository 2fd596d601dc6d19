package io.tandem.lab.faults;

import java.util.ArrayList;
import java.util.List;

/** Timestamped events of the campaign (injections, repairs, audit changes), times relative to its start. */
final class Trace {
    record Event(long t, String what) {
    }

    private final long start = System.nanoTime();
    private final List<Event> events = new ArrayList<>();

    synchronized void at(long t, String what) {
        events.add(new Event(t, what));
    }

    void now(String what) {
        at(System.nanoTime(), what);
    }

    long start() {
        return start;
    }

    /** The events between two times, one a line: {@code +12.345s what}. */
    synchronized String between(long from, long to) {
        StringBuilder b = new StringBuilder();
        for (Event e : events) {
            if (e.t >= from && e.t <= to) {
                b.append(String.format("    +%9.3fs %s%n", (e.t - start) / 1e9, e.what));
            }
        }
        return b.toString();
    }

    synchronized void forget(long before) {
        events.removeIf(e -> e.t < before);
    }

    synchronized List<Event> all() {
        return new ArrayList<>(events);
    }
}
