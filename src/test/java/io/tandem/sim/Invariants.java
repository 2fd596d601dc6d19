package io.tandem.sim;

import io.tandem.resources.GroupSpec;
import io.tandem.resources.Messages;
import io.tandem.resources.ResourceSet;
import io.tandem.wire.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a {@link Cluster} run must keep; a failure is a {@link Cluster.Violation} with the seed and the
 * trace. docs/simulation.md lists what is asserted for two nodes and for three.
 *
 * <p>For every node count: one script at a time on a node (in {@link Shell}); a node that leaves after a
 * graceful stop (or says {@code shutdone}) runs nothing; no busy loop (in {@link Shell}); once quiet,
 * every running node sees every other running node as {@code active}.
 *
 * <p>For two nodes only (heartbeat v1 tracks one "other" node, so exclusivity and liveness are
 * promised for two): exclusivity, release before start, what a node reports of its holdings is true
 * ({@link #claim}), and once quiet every group held.
 */
final class Invariants {
    private final Cluster c;
    /** Pairs that lost each other (a partition, a freeze, a false death) in their current lives: no exclusivity promised. */
    private final Set<String> split = new HashSet<>();

    Invariants(Cluster c) {
        this.c = c;
    }

    static String pair(Cluster.Node a, Cluster.Node b) {
        return a.name.compareTo(b.name) < 0 ? a.name + "|" + b.name : b.name + "|" + a.name;
    }

    void split(Cluster.Node a, Cluster.Node b) {
        split.add(pair(a, b));
    }

    boolean isSplit(Cluster.Node a, Cluster.Node b) {
        return split.contains(pair(a, b));
    }

    /** A new life of {@code n}: what it lost with its peers in its old life no longer counts. */
    void restarted(Cluster.Node n) {
        for (Cluster.Node p : c.nodes.values()) {
            split.remove(pair(n, p));
        }
    }

    /** Heartbeat v1 tracks one "other" node: it promises exclusivity and liveness for two nodes only. */
    boolean promised() {
        return c.nodes.size() == 2;
    }

    /** The protocol promises these two agree: both run, neither frozen, no cut and no split in their current lives. */
    boolean canTalk(Cluster.Node a, Cluster.Node b) {
        return promised() && a != b && a.live() && b.live() && !isSplit(a, b) && c.linked(a, b);
    }

    /** Sets a pair apart when one declares the other dead while it runs: a false death, a split. */
    void watchDeaths(Cluster.Node n) {
        for (Cluster.Node p : c.nodes.values()) {
            if (p == n) {
                continue;
            }
            String status = n.core.membership().nodeStatus(p.name);
            String before = n.peerStatus.put(p.name, status);
            if ("dead".equals(status) && !"dead".equals(before)) {
                n.diedAt.putIfAbsent(p.name, c.now);
                if (p.up()) {
                    c.observer.declaredDeadWhileUp(n, p);
                    c.note(n, "declared " + p.name + " dead while it runs: split");
                    split(n, p);
                }
            }
        }
    }

    /** (c) a start while a connected node still runs the group: the stop did not finish first. */
    void startsAlone(Cluster.Node n, GroupSpec g) {
        for (Cluster.Node p : c.nodes.values()) {
            if (canTalk(n, p) && p.holds(g) && !n.leftOver(g) && !p.leftOver(g) && !probing(n, p, g)) {
                c.violation(n.name + " starts " + g.key() + " while " + p.name + " still runs it");
            }
        }
    }

    /**
     * A restarted node's start-up probe found the group left running by its killed daemon, and the
     * probe, the negotiation and the stop of that copy may still be under way: {@link Cluster#probeGrace};
     * or that copy's stop failed.
     */
    boolean probing(Cluster.Node a, Cluster.Node b, GroupSpec g) {
        if (stuckLeftOver(a, g) || stuckLeftOver(b, g)) {
            return true;
        }
        return (a.adopted(g) || b.adopted(g)) && c.now < Math.max(a.lifeStart, b.lifeStart) + c.probeGrace();
    }

    /** A found copy whose stop failed: it runs on, only fencing could end it (the node logs it CRIT). */
    private static boolean stuckLeftOver(Cluster.Node n, GroupSpec g) {
        return n.adopted(g) && n.failedHere.contains(g.key());
    }

    /** (a) after every event: two nodes that can talk, past the grace, never both run a group. */
    void check() {
        for (Cluster.Node a : c.nodes.values()) {
            for (Cluster.Node b : c.nodes.values()) {
                if (a.name.compareTo(b.name) >= 0 || !canTalk(a, b) || c.now < Math.max(a.lifeStart, b.lifeStart) + c.settings.grace()) {
                    continue;
                }
                for (GroupSpec g : c.settings.groups()) {
                    if (a.holds(g) && b.holds(g) && !a.leftOver(g) && !b.leftOver(g) && !probing(a, b, g)) {
                        c.violation(a.name + " and " + b.name + " both run " + g.key());
                    }
                }
            }
        }
    }

    /** A node that leaves after a graceful stop runs nothing. */
    void leftCleanly(Cluster.Node n) {
        for (GroupSpec g : c.settings.groups()) {
            if (n.runsAnything(g)) {
                c.violation(n.name + " left the cluster still running " + g.key());
            }
        }
    }

    /**
     * What a node says of its holdings is true: {@code shutdone} comes with nothing running; with two
     * nodes, a stable full {@code resource} message names every group it runs (but one whose start or
     * stop failed in this life: it may hold that one against its will, see docs/simulation.md; or a copy
     * the start-up probe found and has not yet settled, {@link #unsettledFind}) and an {@code ip-request-resp ok=OK} to the other node
     * comes with the group stopped here; none of this once the two split (as for exclusivity: a split
     * brain is not resolved after it heals, and what a node then says of its holdings is not promised).
     */
    void claim(Cluster.Node n, Message m) {
        String t = m.type();
        if (t.equals(Messages.SHUTDONE)) {
            leftCleanly(n);
        } else if (c.nodes.values().stream().noneMatch(p -> canTalk(n, p))) {
            return; // three nodes (local and foreign, "the other node": a two-node notion) or a split (below)
        } else if (t.equals(Messages.RESOURCE) && "full".equals(m.getOr(Messages.RTYPE, "")) && "1".equals(m.getOr(Messages.ISSTABLE, ""))) {
            ResourceSet held = ResourceSet.parse(m.getOr(Messages.RSC_HOLD, "none")).orElseThrow();
            for (GroupSpec g : c.settings.groups()) {
                ResourceSet kind = g.preferredBy(n.name) ? ResourceSet.LOCAL : ResourceSet.FOREIGN;
                if (!held.intersects(kind) && n.holds(g) && !n.failedHere.contains(g.key()) && !unsettledFind(n, g)) {
                    c.violation(n.name + " reports holding " + held.wire() + " (stable) but runs " + g.key());
                }
            }
        } else if (t.equals(Messages.IP_REQUEST_RESP) && "OK".equals(m.getOr(Messages.OK, "")) && !m.getOr(Message.DEST, "").equals(n.name)) {
            for (GroupSpec g : c.settings.groups()) {
                if (g.key().equals(m.getOr(Messages.IPADDR, "")) && n.holds(g)) {
                    c.violation(n.name + " let " + m.getOr(Message.DEST, "") + " take " + g.key() + " while running it");
                }
            }
        }
    }

    /**
     * A copy of the group that a killed daemon left here and the start-up probe of this life found, not
     * yet kept or stopped: the node reports what the negotiation gives it, and decides about the found
     * copy only once the negotiation has settled (docs/ownership.md, start flow). Until then the copy is
     * not a holding the report must name; past {@link Cluster#probeGrace} after the restart it is (kept
     * and reported, or stopped).
     */
    private boolean unsettledFind(Cluster.Node n, GroupSpec g) {
        return n.adopted(g) && c.now < n.lifeStart + c.probeGrace();
    }

    /**
     * (b) once quiet, two nodes: every group runs completely on some running node, unless one of its
     * scripts failed in a running node's current life (without monitoring such a group may stay down, as
     * in heartbeat v1: the node that failed keeps claiming it) or a killed daemon left it running on a
     * machine (heartbeat asks the status of a group's first resource only, so a half-running group counts
     * as held).
     */
    void held() {
        if (!promised()) {
            return;
        }
        for (GroupSpec g : c.settings.groups()) {
            boolean eligible = c.nodes.values().stream().anyMatch(Cluster.Node::live)
                    && c.nodes.values().stream().noneMatch(n -> n.live() && n.failedHere.contains(g.key()))
                    && c.nodes.values().stream().noneMatch(n -> n.leftOver(g));
            boolean held = c.nodes.values().stream().anyMatch(n -> n.live() && n.holdsAll(g));
            if (eligible && !held) {
                c.violation("nobody holds " + g.key() + " in a quiet cluster");
            }
        }
    }

    /** Once quiet, any node count: every running node sees every other running node it is linked to as {@code active}. */
    void agreed() {
        for (Cluster.Node a : c.nodes.values()) {
            for (Cluster.Node b : c.nodes.values()) {
                if (a != b && a.live() && b.live() && c.linked(a, b) && !"active".equals(a.core.membership().nodeStatus(b.name))) {
                    c.violation(a.name + " sees " + b.name + " as " + a.core.membership().nodeStatus(b.name) + " in a quiet cluster");
                }
            }
        }
    }

    /**
     * Every group runs completely on exactly one running node and partly on none (what the ownership
     * tests ask of a settled two-node cluster with working scripts); the problems found, or none.
     */
    List<String> ownershipProblems() {
        List<String> problems = new ArrayList<>();
        for (GroupSpec g : c.settings.groups()) {
            int owners = 0;
            for (Cluster.Node n : c.nodes.values()) {
                if (n.up() && n.holdsAll(g)) {
                    owners++;
                } else if (n.up() && n.holds(g)) {
                    problems.add(n.name + " runs group " + g.key() + " only partly");
                }
            }
            if (c.nodes.values().stream().anyMatch(Cluster.Node::up) && owners != 1) {
                problems.add("group " + g.key() + " runs on " + owners + " nodes");
            }
        }
        return problems;
    }
}
