package io.tandem.sim;

import io.tandem.resources.GroupSpec;
import io.tandem.resources.OpResult;
import io.tandem.resources.ResourceOp;
import java.util.HashMap;
import java.util.Map;

/**
 * What runs on one simulated machine, whatever its daemon does: each resource, whether it runs or is
 * starting, and the daemon life that started it. A resource counts as running from the moment its start
 * is issued until a stop succeeds. A resource a killed daemon left running belongs to no later life
 * until a status call of a later life finds it (the start-up probe of a restarted daemon asks every
 * resource's status before it joins): from then on it is that life's ({@code adopted}), and the
 * invariants hold for it once {@link Cluster#probeGrace} has passed. One that no status call of the
 * current life found is a leftover: beyond the protocol (only fencing could promise anything about it).
 */
final class Machine {
    static final class Res {
        boolean running;
        boolean starting;
        int life;
        /** A later life's status call found it running and took it on (the start-up probe). */
        boolean adopted;
        /** When a script of a killed daemon last finished on it, or -1. */
        long orphanAt = -1;
    }

    private final Map<String, Res> resources = new HashMap<>();
    /**
     * The warm resources of the cluster (tandem.cf {@code resource NAME warm}): they may run on both
     * nodes, so {@link #holds}, {@link #leftOver} and {@link #adopted} (what exclusivity is about) leave them
     * out; {@link #runsAnything} and {@link #holdsAll} count them.
     */
    private final java.util.Set<String> warm;
    /** The may-run-twice resources (tandem.cf {@code resource NAME may-run-twice}): left out of exclusivity as the warm ones. */
    private final java.util.Set<String> twice;

    Machine(java.util.Set<String> warm, java.util.Set<String> twice) {
        this.warm = warm;
        this.twice = twice;
    }

    Machine(java.util.Set<String> warm) {
        this(warm, java.util.Set.of());
    }

    Machine() {
        this(java.util.Set.of());
    }

    private boolean mayRunTwice(String r) {
        return warm.contains(r) || twice.contains(r);
    }
    /** Starts issued here, by group/resource (for bounds on restarts). */
    final Map<String, Integer> starts = new HashMap<>();

    Res res(String group, String resource) {
        return resources.computeIfAbsent(group + "/" + resource, k -> new Res());
    }

    /** Still part of this machine (not lost to a power-off meanwhile). */
    boolean has(Res r) {
        return resources.containsValue(r);
    }

    /** Power-off: nothing runs any more. */
    void clear() {
        resources.clear();
    }

    /** The resource dies (a crashed service): nothing tells the daemon, its monitoring has to notice. */
    boolean kill(String group, String resource) {
        Res r = resources.get(group + "/" + resource);
        if (r == null || !r.running) {
            return false;
        }
        r.running = false;
        return true;
    }

    boolean runs(String group, String resource) {
        Res r = resources.get(group + "/" + resource);
        return r != null && r.running;
    }

    /** Answers ARP for an address resource: added, or its probe (the start) is out. */
    boolean answersFor(String group, String resource) {
        Res r = resources.get(group + "/" + resource);
        return r != null && (r.running || r.starting);
    }

    /** Runs (or is starting) any resource of the group for daemon life {@code life}. */
    boolean holds(GroupSpec g, int life) {
        for (String r : g.resources()) {
            if (mayRunTwice(r)) {
                continue;
            }
            Res x = resources.get(g.key() + "/" + r);
            if (x != null && (x.running || x.starting) && x.life == life) {
                return true;
            }
        }
        return false;
    }

    /** A resource of the group runs (or was starting) here for a daemon life other than {@code life}. */
    boolean leftOver(GroupSpec g, int life) {
        for (String r : g.resources()) {
            if (mayRunTwice(r)) {
                continue;
            }
            Res x = resources.get(g.key() + "/" + r);
            if (x != null && (x.running || x.starting) && x.life != life) {
                return true;
            }
        }
        return false;
    }

    /** A resource of the group that an earlier life left runs here and life {@code life} took it on (probe). */
    boolean adopted(GroupSpec g, int life) {
        for (String r : g.resources()) {
            if (mayRunTwice(r)) {
                continue;
            }
            Res x = resources.get(g.key() + "/" + r);
            if (x != null && x.adopted && x.life == life && (x.running || x.starting)) {
                return true;
            }
        }
        return false;
    }

    /** A script of a killed daemon changed a resource of the group at or after {@code since}. */
    boolean orphanScriptSince(GroupSpec g, long since) {
        for (String r : g.resources()) {
            Res x = resources.get(g.key() + "/" + r);
            if (x != null && x.orphanAt >= since) {
                return true;
            }
        }
        return false;
    }

    /** Any resource of the group runs here, whichever life started it. */
    boolean runsAny(GroupSpec g) {
        for (String r : g.resources()) {
            Res x = resources.get(g.key() + "/" + r);
            if (x != null && (x.running || x.starting)) {
                return true;
            }
        }
        return false;
    }

    /** Runs (or is starting) any resource of the group for daemon life {@code life}, a warm one too. */
    boolean runsAnything(GroupSpec g, int life) {
        for (String r : g.resources()) {
            Res x = resources.get(g.key() + "/" + r);
            if (x != null && (x.running || x.starting) && x.life == life) {
                return true;
            }
        }
        return false;
    }

    boolean holdsAll(GroupSpec g) {
        return g.resources().stream().allMatch(r -> runs(g.key(), r));
    }

    /** A start is issued for daemon life {@code life}. */
    void starting(Res r, ResourceOp op, int life) {
        r.starting = true;
        r.life = life;
        r.adopted = false;
        starts.merge(op.group() + "/" + op.resource(), 1, Integer::sum);
    }

    /** What the script did to the resource, and its answer. */
    static OpResult outcome(Res r, ResourceOp op, Cluster.Script behaviour, boolean timedOut) {
        switch (op.action()) {
            case START -> {
                r.starting = false;
                if (timedOut || behaviour == Cluster.Script.FAILING) {
                    return OpResult.FAILED;
                }
                r.running = true;
                return OpResult.OK;
            }
            case STOP -> {
                if (behaviour == Cluster.Script.CANNOT_STOP && r.running) {
                    return OpResult.FAILED;
                }
                r.running = false;
                r.starting = false;
                r.adopted = false;
                return OpResult.OK;
            }
            default -> {
                // as the daemon's AgentRunner: a status call killed at its time limit says nothing (FAILED)
                return timedOut ? OpResult.FAILED : r.running ? OpResult.RUNNING : OpResult.NOT_RUNNING;
            }
        }
    }
}
