package io.tandem.resources;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Monitoring bookkeeping of one node: when each running resource is checked next, the check in
 * flight, and the failures that still count (fail counts expire after the failure timeout). Decisions
 * are made by {@link MonitorDecisions}; this class only keeps time and counts.
 */
final class Monitor {
    /** One resource of one group. */
    static final class Entry {
        final String group;
        final String resource;
        final int index;
        MonitorSpec spec;
        long nextAt = -1;
        long lastCheckAt = -1;
        ResourceHealth.State state = ResourceHealth.State.NOT_WATCHED;
        final Deque<Long> failures = new ArrayDeque<>();
        String lastFailure;
        long lastFailureAt = -1;

        Entry(String group, String resource, int index, MonitorSpec spec) {
            this.group = group;
            this.resource = resource;
            this.index = index;
            this.spec = spec;
        }
    }

    private final Map<String, List<Entry>> byGroup = new LinkedHashMap<>();
    private MonitorPolicy policy;
    private ResourceOp pending;
    private Entry pendingEntry;

    Monitor(MonitorPolicy policy, List<GroupSpec> groups) {
        this.policy = policy;
        for (GroupSpec g : groups) {
            List<Entry> list = new ArrayList<>();
            for (int i = 0; i < g.resources().size(); i++) {
                String r = g.resources().get(i);
                list.add(new Entry(g.key(), r, i, policy.spec(r)));
            }
            byGroup.put(g.key(), list);
        }
    }

    MonitorPolicy policy() {
        return policy;
    }

    boolean enabled() {
        return policy.enabled();
    }

    /** New settings; counts and schedules are kept (a changed interval applies from the next check). */
    void policy(MonitorPolicy p) {
        this.policy = p;
        for (List<Entry> list : byGroup.values()) {
            for (Entry e : list) {
                e.spec = p.spec(e.resource);
                if (!e.spec.monitored()) {
                    e.nextAt = -1;
                    if (e.state != ResourceHealth.State.FAILED) {
                        e.state = ResourceHealth.State.NOT_WATCHED;
                    }
                }
            }
        }
    }

    /** The group (or its resources from index {@code from} on) now runs here: schedule checks. */
    void started(String group, int from, long now) {
        for (Entry e : entries(group)) {
            if (e.index < from) {
                continue;
            }
            if (e.spec.monitored()) {
                e.nextAt = now + e.spec.intervalMs();
                e.state = ResourceHealth.State.PENDING;
            } else {
                e.nextAt = -1;
                e.state = ResourceHealth.State.NOT_WATCHED;
            }
        }
    }

    /** For a running group after a settings change: schedule the resources that have no check planned. */
    void rescheduleIdle(String group, long now) {
        for (Entry e : entries(group)) {
            if (e.nextAt < 0 && e.spec.monitored() && e != pendingEntry) {
                e.nextAt = now + e.spec.intervalMs();
                if (e.state == ResourceHealth.State.NOT_WATCHED) {
                    e.state = ResourceHealth.State.PENDING;
                }
            }
        }
    }

    /** The group no longer runs here (or is being restarted): no more checks. */
    void stopped(String group) {
        for (Entry e : entries(group)) {
            e.nextAt = -1;
            if (e.state != ResourceHealth.State.FAILED) {
                e.state = ResourceHealth.State.NOT_WATCHED;
            }
        }
        if (pendingEntry != null && pendingEntry.group.equals(group)) {
            pendingEntry.nextAt = -1;
        }
    }

    /** The check in flight, or null. */
    ResourceOp pending() {
        return pending;
    }

    /** Starts the first check that is due, or returns null. */
    ResourceOp due(long now) {
        if (pending != null) {
            return null;
        }
        Entry best = null;
        for (List<Entry> list : byGroup.values()) {
            for (Entry e : list) {
                if (e.nextAt >= 0 && e.nextAt <= now && (best == null || e.nextAt < best.nextAt)) {
                    best = e;
                }
            }
        }
        if (best == null) {
            return null;
        }
        best.nextAt = -1;
        pendingEntry = best;
        pending = new ResourceOp(best.group, best.resource, ResourceOp.Action.STATUS, best.spec.timeoutMs());
        return pending;
    }

    /** The check {@code op} finished; null if it is not the one in flight. */
    Entry finish(ResourceOp op, OpResult result, long now) {
        if (pending == null || !pending.equals(op)) {
            return null;
        }
        Entry e = pendingEntry;
        pending = null;
        pendingEntry = null;
        e.lastCheckAt = now;
        e.state = result == OpResult.RUNNING ? ResourceHealth.State.OK : ResourceHealth.State.FAILED;
        return e;
    }

    void reschedule(Entry e, long now) {
        e.nextAt = e.spec.monitored() ? now + e.spec.intervalMs() : -1;
    }

    /** Records a failure of the entry. */
    void fail(Entry e, String what, long now) {
        e.failures.addLast(now);
        e.lastFailure = what;
        e.lastFailureAt = now;
        e.state = ResourceHealth.State.FAILED;
    }

    /** A failure that bans the group here at once (a failed start): the count is set to the threshold. */
    void banNow(String group, String resource, String what, long now) {
        for (Entry e : entries(group)) {
            if (e.resource.equals(resource)) {
                fail(e, what, now);
                while (failCount(e, now) < e.spec.threshold()) {
                    e.failures.addLast(now);
                }
            }
        }
    }

    /** Failures of the entry within its failure timeout. */
    int failCount(Entry e, long now) {
        while (!e.failures.isEmpty() && e.failures.peekFirst() + e.spec.failureTimeoutMs() <= now) {
            e.failures.pollFirst();
        }
        return e.failures.size();
    }

    /** Whether some resource of the group reached its threshold here. */
    boolean banned(String group, long now) {
        return bannedUntil(group, now) > now;
    }

    /** When the group may run here again (the last banning failure expires), or -1 if it may now. */
    long bannedUntil(String group, long now) {
        long until = -1;
        for (Entry e : entries(group)) {
            int count = failCount(e, now);
            if (count >= e.spec.threshold()) {
                // the count drops below the threshold when the (count - threshold + 1) oldest have expired
                long t = new ArrayList<>(e.failures).get(count - e.spec.threshold()) + e.spec.failureTimeoutMs();
                until = Math.max(until, t);
            }
        }
        return until;
    }

    /** The worst fail count of the group's resources, with its resource. */
    Entry worst(String group, long now) {
        Entry worst = null;
        for (Entry e : entries(group)) {
            if (worst == null || failCount(e, now) > failCount(worst, now)) {
                worst = e;
            }
        }
        return worst;
    }

    /** {@code tandem cleanup}: forget the group's failures. */
    void clear(String group) {
        for (Entry e : entries(group)) {
            e.failures.clear();
            e.lastFailure = null;
            e.lastFailureAt = -1;
            if (e.state == ResourceHealth.State.FAILED) {
                e.state = e.nextAt >= 0 ? ResourceHealth.State.PENDING : ResourceHealth.State.NOT_WATCHED;
            }
        }
    }

    /** The earliest scheduled check, or -1. */
    long nextDeadline() {
        long d = -1;
        for (List<Entry> list : byGroup.values()) {
            for (Entry e : list) {
                if (e.nextAt >= 0 && (d < 0 || e.nextAt < d)) {
                    d = e.nextAt;
                }
            }
        }
        return d;
    }

    List<ResourceHealth> health(long now) {
        List<ResourceHealth> list = new ArrayList<>();
        for (List<Entry> entries : byGroup.values()) {
            for (Entry e : entries) {
                long until = bannedUntil(e.group, now);
                list.add(new ResourceHealth(e.group, e.resource, e.spec, e.state, e.lastCheckAt, failCount(e, now), e.lastFailure,
                        e.lastFailureAt, until));
            }
        }
        return list;
    }

    private List<Entry> entries(String group) {
        return byGroup.getOrDefault(group, List.of());
    }

    /** A duration for log lines: {@code 30 s}, {@code 2.5 s}. */
    static String seconds(long ms) {
        if (ms % 1000 == 0 || ms >= 10_000) {
            return (ms + 999) / 1000 + " s";
        }
        return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
