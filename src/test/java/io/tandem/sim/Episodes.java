package io.tandem.sim;

import io.tandem.node.NodeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The faults and operator actions of the ownership simulations, one at a time on a two-node
 * {@link Cluster}: a power-off, a graceful stop, {@code hb_standby} and {@code hb_takeover} of any set,
 * a partition, two standby requests racing. A node that went down starts again {@code restartMin} to
 * {@code restartMax} ms after the deadtime (never before its peer declared it dead). After a partition that split the two (one declared the
 * other dead), the operator restarts both daemons gracefully once it heals, as heartbeat v1 needs (it
 * does not resolve a split brain by itself).
 */
final class Episodes {
    private static final String[] SETS = {"all", "local", "foreign", "failback"};
    private final Cluster c;
    private final Random r;
    final long restartMin;
    final long restartMax;

    Episodes(Cluster c, Random r, long restartMin, long restartMax) {
        this.c = c;
        this.r = r;
        this.restartMin = restartMin;
        this.restartMax = restartMax;
    }

    /** Starts both nodes within the first 8 s. */
    void startBoth() {
        for (Cluster.Node n : c.nodes.values()) {
            c.at(r.nextInt(8000), () -> c.start(n.name));
        }
    }

    /** One fault or operator action, now; what it was. */
    String next() {
        List<Cluster.Node> up = new ArrayList<>(c.nodes.values().stream().filter(Cluster.Node::up).toList());
        String first = c.settings.names().get(0);
        if (up.isEmpty()) {
            c.start(first);
            return "start " + first;
        }
        Cluster.Node n = up.get(r.nextInt(up.size()));
        switch (r.nextInt(6)) {
            case 0 -> {
                c.powerOff(n.name);
                restartLater(n);
                return "crash " + n.name;
            }
            case 1 -> {
                c.operator(n.name, new NodeEvent.Shutdown());
                restartLater(n);
                return "stop " + n.name;
            }
            case 2 -> {
                String s = SETS[r.nextInt(SETS.length)];
                c.operator(n.name, new NodeEvent.Standby(s));
                return "hb_standby " + s + " on " + n.name;
            }
            case 3 -> {
                String s = SETS[r.nextInt(SETS.length)];
                c.operator(n.name, new NodeEvent.Takeover(s));
                return "hb_takeover " + s + " on " + n.name;
            }
            case 4 -> {
                long d = 500 + r.nextInt(10_000);
                partition(d);
                return "partition for " + d + " ms";
            }
            default -> {
                Cluster.Node other = other(n);
                c.operator(n.name, new NodeEvent.Standby("all"));
                c.operator(other.name, new NodeEvent.Standby(SETS[r.nextInt(SETS.length)]));
                return "racing hb_standby on both";
            }
        }
    }

    private Cluster.Node other(Cluster.Node n) {
        return c.nodes.values().stream().filter(p -> p != n).findFirst().orElseThrow();
    }

    void restartLater(Cluster.Node n) {
        long pause = c.settings.deadtime() + restartMin + (long) (r.nextDouble() * (restartMax - restartMin));
        c.at(c.now + pause, () -> restartIfDownFor(n, pause));
    }

    /**
     * Starts the node if it has been down for {@code pause} ms at least (another fault may have taken it
     * down since), so its peer declared it dead first: a restart within the deadtime is a case of its
     * own (docs/simulation.md, "Found so far"), left to the campaign.
     */
    private void restartIfDownFor(Cluster.Node n, long pause) {
        if (n.up()) {
            return;
        }
        if (c.now >= n.downAt + pause) {
            c.start(n.name);
        } else {
            c.at(n.downAt + pause, () -> restartIfDownFor(n, pause));
        }
    }

    void partition(long ms) {
        List<String> names = c.settings.names();
        Cluster.Node a = c.nodes.get(names.get(0));
        Cluster.Node b = c.nodes.get(names.get(1));
        c.cutLink(a.name, b.name);
        c.at(c.now + ms, () -> {
            c.heal();
            c.at(c.now + 2_000, () -> {
                if (c.invariants.isSplit(a, b)) {
                    c.note(null, "OPERATOR restarts both after the split");
                    restartGracefully(a);
                    restartGracefully(b);
                }
            });
        });
    }

    void restartGracefully(Cluster.Node n) {
        c.operator(n.name, new NodeEvent.Shutdown());
        startWhenDown(n, c.now + 120_000);
    }

    private void startWhenDown(Cluster.Node n, long until) {
        if (!n.up()) {
            restartIfDownFor(n, c.settings.deadtime() + 1_000);
        } else if (c.now < until) {
            c.at(c.now + 500, () -> startWhenDown(n, until));
        }
    }
}
