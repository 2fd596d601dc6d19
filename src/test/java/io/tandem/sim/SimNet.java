package io.tandem.sim;

import io.tandem.config.AuthKey;
import io.tandem.config.AuthKeys;
import io.tandem.config.AuthMethod;
import io.tandem.membership.Environment;
import io.tandem.membership.MembershipConfig;
import io.tandem.membership.MembershipEffect;
import io.tandem.membership.MembershipEngine;
import io.tandem.wire.Authenticator;
import io.tandem.wire.Message;
import io.tandem.wire.Packet;
import io.tandem.wire.WireCodec;
import io.tandem.wire.WireFormat;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic world for membership engines: a virtual clock, one seeded random source, and a
 * simulated broadcast link with loss, delay (hence reordering), duplication and partitions. Every
 * packet goes through the real wire codec and signature check, as in the daemon.
 */
final class SimNet {
    static final String LINK = "eth1";
    private static final AuthKeys KEYS = AuthKeys.single(new AuthKey(1, AuthMethod.SHA1, "sim-key"));

    record Event(long at, long order, Runnable action) {
    }

    /** One recorded effect, for assertions and for failure messages. */
    record Line(long at, String node, String text) {
        @Override
        public String toString() {
            return String.format("%7d %-3s %s", at, node, text);
        }
    }

    final class Node {
        final String name;
        MembershipEngine engine;
        long generation;
        boolean running;
        final List<Message> delivered = new ArrayList<>();
        final List<String> restartsSeen = new ArrayList<>();
        final Map<String, Long> diedAt = new LinkedHashMap<>();
        final List<byte[]> sentPackets = new ArrayList<>();
        long wakeAt = Long.MAX_VALUE;

        Node(String name) {
            this.name = name;
        }
    }

    final Random random;
    final long keepalive;
    final long deadtime;
    double loss;
    double duplicate;
    long minDelay = 1;
    long maxDelay = 5;
    private final PriorityQueue<Event> queue = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    private long order;
    long now;
    final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Set<String> cut = new HashSet<>();
    final List<Line> lines = new ArrayList<>();

    SimNet(long seed, long keepalive, long deadtime, String... names) {
        this.random = new Random(seed);
        this.keepalive = keepalive;
        this.deadtime = deadtime;
        for (String n : names) {
            nodes.put(n, new Node(n));
        }
    }

    MembershipConfig config(String name, long generation) {
        byte[] uuid = new byte[16];
        uuid[0] = (byte) name.hashCode();
        uuid[15] = (byte) generation;
        return new MembershipConfig(name, List.copyOf(nodes.keySet()), List.of(), keepalive, deadtime, Math.max(1, deadtime / 2),
                deadtime * 2, deadtime, generation, uuid);
    }

    /** Starts (or restarts, with the next generation) a node at the current time. */
    void start(String name) {
        Node n = nodes.get(name);
        n.generation++;
        n.engine = new MembershipEngine(config(name, 1000 + n.generation), new Environment() {
            @Override
            public long random(long bound) {
                return Math.floorMod(random.nextLong(), bound);
            }

            @Override
            public String loadAverage() {
                return "0.00 0.00 0.00 1/1 1";
            }
        });
        n.running = true;
        apply(n, n.engine.start(now));
    }

    /** The node stops dead: no more packets, no timers (a crash). */
    void crash(String name) {
        nodes.get(name).running = false;
        nodes.get(name).wakeAt = Long.MAX_VALUE;
    }

    void retime(String name, long keepalive, long deadtime, long warntime, long deadping) {
        Node n = nodes.get(name);
        apply(n, n.engine.retime(now, keepalive, deadtime, warntime, deadping));
    }

    void partition(String a, String b) {
        cut.add(a + "|" + b);
        cut.add(b + "|" + a);
    }

    void heal() {
        cut.clear();
    }

    void send(String from, Message fields) {
        Node n = nodes.get(from);
        apply(n, n.engine.send(now, fields));
    }

    /** Feeds a raw packet to a node as if it came from the link (replays). */
    void inject(String to, byte[] packet) {
        deliver(nodes.get(to), packet);
    }

    void runUntil(long until) {
        while (true) {
            long nextWake = Long.MAX_VALUE;
            Node waker = null;
            for (Node n : nodes.values()) {
                if (n.running && n.wakeAt < nextWake) {
                    nextWake = n.wakeAt;
                    waker = n;
                }
            }
            Event e = queue.peek();
            long next = Math.min(nextWake, e == null ? Long.MAX_VALUE : e.at);
            if (next > until) {
                now = until;
                return;
            }
            now = next;
            if (e != null && e.at == next) {
                queue.poll().action.run();
            } else {
                waker.wakeAt = Long.MAX_VALUE;
                apply(waker, waker.engine.tick(now));
            }
        }
    }

    private void apply(Node n, List<MembershipEffect> effects) {
        for (MembershipEffect e : effects) {
            if (e instanceof MembershipEffect.Broadcast b) {
                byte[] packet = WireCodec.encodeSigned(b.message(), KEYS.active(), WireFormat.NETSTRING_WITH_AUTH_FIELD);
                n.sentPackets.add(packet);
                for (Node to : nodes.values()) {
                    transmit(n, to, packet);
                }
            } else if (e instanceof MembershipEffect.Deliver d) {
                n.delivered.add(d.message());
            } else if (e instanceof MembershipEffect.NodeStatus s) {
                lines.add(new Line(now, n.name, "status " + s.node() + " " + s.status()));
                if (s.status().equals("dead")) {
                    n.diedAt.putIfAbsent(s.node(), now);
                }
            } else if (e instanceof MembershipEffect.PeerRestarted r) {
                n.restartsSeen.add(r.node());
            } else if (e instanceof MembershipEffect.Log l) {
                lines.add(new Line(now, n.name, l.level() + ": " + l.text()));
            } else if (e instanceof MembershipEffect.Rejected r) {
                lines.add(new Line(now, n.name, "REJECTED " + r.reason() + ": " + r.text()));
            } else if (e instanceof MembershipEffect.CommUp) {
                lines.add(new Line(now, n.name, "comm up"));
            }
        }
        n.engine.nextDeadline().ifPresent(at -> n.wakeAt = at);
    }

    private void transmit(Node from, Node to, byte[] packet) {
        if (from != to && (cut.contains(from.name + "|" + to.name) || random.nextDouble() < loss)) {
            return;
        }
        int copies = random.nextDouble() < duplicate ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            long delay = minDelay + (long) (random.nextDouble() * (maxDelay - minDelay + 1));
            queue.add(new Event(now + delay, order++, () -> deliver(to, packet)));
        }
    }

    private void deliver(Node to, byte[] packet) {
        if (!to.running) {
            return;
        }
        Packet p = WireCodec.decode(packet);
        if (!Authenticator.verify(p, KEYS).ok()) {
            throw new AssertionError("simulated packet does not verify");
        }
        apply(to, to.engine.received(now, p.message(), LINK));
    }

    String status(String on, String of) {
        return nodes.get(on).engine.nodeStatus(of);
    }

    String transcript() {
        StringBuilder b = new StringBuilder();
        lines.forEach(l -> b.append(l).append('\n'));
        return b.toString();
    }
}
