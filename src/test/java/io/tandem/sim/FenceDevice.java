package io.tandem.sim;

import io.tandem.node.NodeEvent;
import io.tandem.resources.FencingPolicy;
import io.tandem.resources.GroupSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A power switch for {@link Cluster}: a fence takes a while, then powers the victim off (its daemon and
 * every resource gone, as {@link Cluster#powerOff}) and answers the node that asked, or, while the
 * device is {@link #failing}, answers a failure and powers nothing off. It also holds the invariant
 * fencing promises, checked at every start: a node never starts a group that a node it cannot talk to
 * still runs (that node must have been fenced first).
 */
final class FenceDevice {
    final FencingPolicy policy;
    final long minMs;
    final long maxMs;
    boolean failing;
    /** Successful fences: "victim@time". */
    final List<String> fenced = new ArrayList<>();
    int failures;

    FenceDevice(FencingPolicy policy, long minMs, long maxMs) {
        this.policy = policy;
        this.minMs = minMs;
        this.maxMs = maxMs;
    }

    /** {@code by} asked to fence {@code victim}: the answer comes after the device's time, to the same daemon life. */
    void fence(Cluster c, Cluster.Node by, String victim) {
        int life = by.life;
        c.note(by, "FENCE " + victim + (failing ? " (device failing)" : ""));
        c.at(c.now + c.between(minMs, maxMs + 1), () -> {
            boolean ok = !failing;
            if (ok) {
                c.powerOff(victim);
                fenced.add(victim + "@" + c.now);
            } else {
                failures++;
            }
            c.fenceFinished(by, life, new NodeEvent.FenceFinished(victim, ok, ok ? "" : "the power switch does not answer"));
        });
    }

    /** Status checks answered. */
    int statusChecks;

    /**
     * {@code by} asked the device's status ({@code stonith -S}): the answer, after the device's time, says
     * whether it is {@link #failing} then, to the same daemon life.
     */
    void status(Cluster c, Cluster.Node by, String device) {
        int life = by.life;
        c.at(c.now + c.between(minMs, maxMs + 1), () -> {
            statusChecks++;
            boolean ok = !failing;
            c.deviceChecked(by, life, new NodeEvent.DeviceChecked(device, ok, ok ? "" : "the power switch does not answer"));
        });
    }

    /**
     * At every start: no node that {@code n} cannot talk to runs the group in its last daemon life, be that
     * daemon alive, frozen, cut off or killed (its resources still running): such a node must have been
     * fenced (powered off) first. What a killed daemon left behind on a machine whose daemon was started
     * again since is that daemon's business, beyond the protocol (see {@code Cluster.Res}).
     * One exception, for the start-up probe: a copy that the new daemon's probe found and is still
     * settling ({@link Invariants#probing}) on a node the starter is linked to. The two negotiated
     * over that link (the pair counts as unreachable only because one declared the other dead while it
     * ran its probe), so the copy is stopped by its own node's decision, not left to a node nobody
     * reaches; it gets the same grace as between nodes that can talk.
     */
    void checkStart(Cluster c, Cluster.Node n, GroupSpec g) {
        for (Cluster.Node p : c.nodes.values()) {
            if (p != n && !c.canTalk(n, p) && p.holds(g) && !(c.linked(n, p) && c.linked(p, n) && c.invariants.probing(n, p, g))) {
                c.violation(n.name + " starts " + g.key() + " while " + p.name + ", which it cannot reach and did not fence, runs it");
            }
        }
    }
}
