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
 */
final class SimAddresses {
    private final Cluster cluster;
    /** Each time an address was added on a machine that already ran on another one (must stay 0 in a two-node cluster). */
    final List<String> doubleAdds = new ArrayList<>();

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

    /** The MAC of another machine answering for the address of {@code op} when its probe ends on {@code n}, or null. */
    String answering(Cluster.Node n, ResourceOp op) {
        if (op.action() != ResourceOp.Action.START || !isAddress(op.resource()) || op.peerReleased()) {
            return null; // a start after the peer's done is not probed (ClusterNode): it adds the address whoever answers
        }
        for (Cluster.Node p : cluster.nodes.values()) {
            if (p != n && !p.machineFrozen && p.answersFor(op.group(), op.resource())) {
                return mac(p);
            }
        }
        return null;
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
        conflict(n, op.resource());
    }

    /** {@code n} announces the address of {@code resource} (gratuitous ARP). */
    void announced(Cluster.Node n, String resource) {
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
