package io.tandem.sim;

import io.tandem.config.ResourceRef;
import io.tandem.node.NodeEvent;
import io.tandem.resources.GroupSpec;
import io.tandem.resources.ResourceOp;
import java.util.ArrayList;
import java.util.List;

/**
 * The address model of the whole-cluster simulator: which machine answers ARP for an address. A
 * machine answers for an address resource it runs (added) or is adding (its probe is out): a running
 * daemon's, a frozen daemon's (the kernel still answers) and a killed daemon's leftover alike; a
 * powered-off machine answers nothing. The start of an address resource is the probe: when another
 * machine answers at its end, the start ends {@code ADDRESS_IN_USE} and nothing is added; a start after
 * the peer's {@code done} ({@link ResourceOp#peerReleased()}) is not probed, as in the daemon. A machine
 * that adds or announces an address makes every other machine running it see a conflict. A machine
 * frozen as a whole ({@link Cluster#freezeMachine}) answers nothing and sees nothing.
 *
 * <p>A probe ahead of a start, before a peer's death or at a node's start ({@code NodeEffect.ProbeAddress}), listens for the probe window: it is
 * answered when another machine answers for the address at its beginning or its end, or adds or announces
 * the address in between; its answer reaches the core that asked ({@code NodeEvent.AddressProbed}), and the
 * daemon keeps it, as {@code ArpGuard} does. A start the core marks {@link ResourceOp#preProbed()} waits for
 * the rest of that probe if it still listens and, when nobody answered, adds the address without a probe of
 * its own; otherwise (answered, could not run, none kept) it probes as any start. A prober whose machine is
 * frozen as a whole at either end could not listen: its probe did not run.
 */
final class SimAddresses {
    private final Cluster cluster;
    /** Each time an address was added on a machine that already ran on another one (must stay 0 in a two-node cluster). */
    final List<String> doubleAdds = new ArrayList<>();
    /** Each start that probed ("node resource time"): a start that took a probe begun before a death has none. */
    final List<String> probedStarts = new ArrayList<>();

    SimAddresses(Cluster cluster) {
        this.cluster = cluster;
    }

    static boolean isAddress(String resource) {
        try {
            String name = ResourceRef.parse(resource).name();
            return name.equals("IPaddr") || name.equals("IPaddr2");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The address of an address resource (its first argument up to a slash). */
    static String address(String resource) {
        String a = ResourceRef.parse(resource).args().get(0);
        int slash = a.indexOf('/');
        return slash < 0 ? a : a.substring(0, slash);
    }

    static String mac(Cluster.Node n) {
        return String.format("02:00:00:00:00:%02x", n.name.hashCode() & 0xff);
    }

    /**
     * The MAC of another machine answering for the address of {@code op} when its probe ends on {@code n}, or null;
     * {@code pre} is the probe before death a {@link ResourceOp#preProbed()} start took (null: none kept).
     */
    String answering(Cluster.Node n, ResourceOp op, PreProbe pre) {
        if (op.action() != ResourceOp.Action.START || !isAddress(op.resource()) || op.peerReleased()) {
            return null; // a start after the peer's done is not probed (ClusterNode): it adds the address whoever answers
        }
        if (op.preProbed() && pre != null && pre.done && pre.ran && pre.mac == null) {
            return null; // nobody answered the probe begun before the death: no probe of its own (ArpGuard.probeTaken)
        }
        probedStarts.add(n.name + " " + op.resource() + " " + cluster.now);
        return answeringFor(n, op.group(), op.resource());
    }

    private String answeringFor(Cluster.Node n, String group, String resource) {
        for (Cluster.Node p : cluster.nodes.values()) {
            if (p != n && !p.machineFrozen && p.answersFor(group, resource)) {
                return mac(p);
            }
        }
        return null;
    }

    /** A probe before a peer's death, as the daemon keeps it. */
    static final class PreProbe {
        final Cluster.Node node;
        final int life;
        final String group;
        final String resource;
        final long endsAt;
        /** Who answered (null: nobody so far). */
        String mac;
        boolean done;
        boolean ran = true;

        PreProbe(Cluster.Node node, String group, String resource, long endsAt) {
            this.node = node;
            this.life = node.life;
            this.group = group;
            this.resource = resource;
            this.endsAt = endsAt;
        }
    }

    /** Kept per node and resource (a newer one replaces it). */
    private final java.util.Map<String, PreProbe> preProbes = new java.util.HashMap<>();

    /** {@code n}'s core asks for probe {@code id} of {@code resource}'s address ahead of a start (a peer's death, its own start). */
    void probeAhead(Cluster.Node n, long id, String resource) {
        GroupSpec g = cluster.settings.groups().stream().filter(x -> x.resources().contains(resource)).findFirst().orElseThrow();
        PreProbe p = new PreProbe(n, g.key(), resource, cluster.now + cluster.preProbe.windowMs());
        p.ran = !n.machineFrozen;
        p.mac = answeringFor(n, g.key(), resource);
        preProbes.put(n.name + "|" + resource, p);
        cluster.at(p.endsAt, () -> {
            p.ran &= !n.machineFrozen;
            if (p.mac == null) {
                p.mac = answeringFor(n, g.key(), resource);
            }
            p.done = true;
            cluster.note(n, "probe ahead of " + resource + " ended: " + (!p.ran ? "not run" : p.mac == null ? "nobody answered" : "answered by " + p.mac));
            if (n.up() && n.life == p.life) {
                cluster.deliver(n, new NodeEvent.AddressProbed(id, resource, p.mac == null ? "" : p.mac, p.ran));
            }
        });
    }

    /** The probe before death kept for a start of {@code resource} on {@code n} in its current life, taken (null: none). */
    PreProbe takePreProbe(Cluster.Node n, String resource) {
        PreProbe p = preProbes.remove(n.name + "|" + resource);
        return p != null && p.life == n.life ? p : null;
    }

    /** Another machine ({@code from}) adds or announces the address of {@code resource}: probes listening elsewhere hear it. */
    private void heardBy(Cluster.Node from, String resource) {
        for (PreProbe p : preProbes.values()) {
            if (p.node != from && !p.done && p.mac == null && p.resource.equals(resource) && !from.machineFrozen) {
                p.mac = mac(from);
            }
        }
    }

    /** The address of {@code op} was added on {@code n}: the others running it see its gratuitous ARP. */
    void added(Cluster.Node n, ResourceOp op) {
        if (!isAddress(op.resource())) {
            return;
        }
        for (Cluster.Node p : cluster.nodes.values()) {
            if (p != n && p.runs(op.group(), op.resource())) {
                doubleAdds.add(cluster.now + " ms: " + op.resource() + " added on " + n.name + " while " + p.name + " runs it");
            }
        }
        heardBy(n, op.resource());
        conflict(n, op.resource());
    }

    /** {@code n} announces the address of {@code resource} (gratuitous ARP). */
    void announced(Cluster.Node n, String resource) {
        heardBy(n, resource);
        conflict(n, resource);
    }

    private void conflict(Cluster.Node from, String resource) {
        GroupSpec g = cluster.settings.groups().stream().filter(x -> x.resources().contains(resource)).findFirst().orElseThrow();
        for (Cluster.Node p : cluster.nodes.values()) {
            if (p != from && !p.machineFrozen && p.runs(g.key(), resource)) {
                cluster.deliver(p, new NodeEvent.AddressConflict(resource, address(resource), mac(from)));
            }
        }
    }

    /** How many machines run (have added) the address of {@code resource} of group {@code group}. */
    int holders(String group, String resource) {
        int n = 0;
        for (Cluster.Node p : cluster.nodes.values()) {
            if (p.runs(group, resource)) {
                n++;
            }
        }
        return n;
    }
}
