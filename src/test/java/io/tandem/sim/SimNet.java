package io.tandem.sim;

import io.tandem.config.AuthKey;
import io.tandem.config.AuthKeys;
import io.tandem.config.AuthMethod;
import io.tandem.membership.Environment;
import io.tandem.membership.MembershipConfig;
import io.tandem.membership.MembershipEffect;
import io.tandem.membership.MembershipEngine;
import io.tandem.membership.PeerLife;
import io.tandem.wire.Authenticator;
import io.tandem.wire.Message;
import io.tandem.wire.Packet;
import io.tandem.wire.RejectReason;
import io.tandem.wire.WireCodec;
import io.tandem.wire.WireException;
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
 * packet goes through the real wire codec and signature check, as in the daemon; what fails them
 * is counted per node ({@link Node#rejected}), as the daemon's RejectLog counts it. A node keeps
 * what its engine reports of the peers' lives across its restarts, as the daemon's tandem-peers
 * file does. {@link #hostile} is an adversary on the link: replays, corrupted, garbage, wrong-key
 * and signed absurd-number packets.
 */
final class SimNet {
    static final String LINK = "eth1";
    static final AuthKeys KEYS = AuthKeys.single(new AuthKey(1, AuthMethod.SHA1, "sim-key"));

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
        final Map<String, PeerLife> lives = new LinkedHashMap<>();
        final Map<RejectReason, Integer> rejected = new java.util.EnumMap<>(RejectReason.class);
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
        n.engine = new MembershipEngine(config(name, 1000 + n.generation), environment(random));
        n.engine.remember(n.lives.values());
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
                byte[] packet = seal(b.message());
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
                n.rejected.merge(r.reason(), 1, Integer::sum);
                lines.add(new Line(now, n.name, "REJECTED " + r.reason() + ": " + r.text()));
            } else if (e instanceof MembershipEffect.PeerLifeChanged c) {
                n.lives.put(c.life().node(), c.life());
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
        Message m = open(packet, to.rejected);
        if (m != null) {
            apply(to, to.engine.received(now, m, LINK));
        }
    }

    /** The simulated machine's randomness and load average, for a membership engine. */
    static Environment environment(Random random) {
        return new Environment() {
            @Override
            public long random(long bound) {
                return Math.floorMod(random.nextLong(), bound);
            }

            @Override
            public String loadAverage() {
                return "0.00 0.00 0.00 1/1 1";
            }
        };
    }

    /** A message signed with the cluster key, as the daemon's Outbound sends it. */
    static byte[] seal(Message message) {
        return WireCodec.encodeSigned(message, KEYS.active(), WireFormat.NETSTRING_WITH_AUTH_FIELD);
    }

    /** What the daemon's Inbound does with a packet: decode, verify; a refusal is counted in {@code rejected} and gives null. */
    static Message open(byte[] packet, Map<RejectReason, Integer> rejected) {
        Packet p;
        try {
            p = WireCodec.decode(packet);
        } catch (WireException e) {
            rejected.merge(RejectReason.UNPARSEABLE, 1, Integer::sum);
            return null;
        }
        if (!Authenticator.verify(p, KEYS).ok()) {
            rejected.merge(RejectReason.BAD_AUTH, 1, Integer::sum);
            return null;
        }
        return p.message();
    }

    // ------------------------------------------------------------------ the adversary

    /** What {@link #hostile} sent, by kind. */
    final Map<String, Integer> hostileSent = new java.util.TreeMap<>();

    /**
     * One hostile packet to a random running node, through the simulated link (so delayed and
     * reordered like the rest): a replay of any packet any node ever sent (an older life's too), a
     * corrupted copy of one, garbage, a correctly framed packet with the wrong key, or a packet
     * signed with the cluster key as node {@code as} with numbers no real peer sends (a buggy peer).
     */
    void hostile(String as) {
        List<Node> targets = nodes.values().stream().filter(n -> n.running).toList();
        List<byte[]> recorded = new ArrayList<>();
        nodes.values().forEach(n -> recorded.addAll(n.sentPackets));
        if (targets.isEmpty() || recorded.isEmpty()) {
            return;
        }
        Node to = targets.get(random.nextInt(targets.size()));
        byte[] packet;
        String kind;
        switch (random.nextInt(5)) {
            case 0 -> {
                kind = "replay";
                packet = recorded.get(random.nextInt(recorded.size()));
            }
            case 1 -> {
                kind = "corrupted";
                packet = recorded.get(random.nextInt(recorded.size())).clone();
                for (int k = 1 + random.nextInt(3); k > 0; k--) {
                    packet[random.nextInt(packet.length)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            case 2 -> {
                kind = "garbage";
                packet = new byte[random.nextInt(2000)];
                random.nextBytes(packet);
                if (random.nextBoolean() && packet.length > 4) {
                    System.arraycopy(new byte[] {'>', '>', '>', '\n'}, 0, packet, 0, 4);
                }
            }
            case 3 -> {
                kind = "wrong key";
                packet = WireCodec.encodeSigned(Message.ofStrings(Message.TYPE, "status", Message.STATUS, "active", Message.SRC, as,
                        Message.SEQ, "1", Message.GEN, "1"), new AuthKey(1, AuthMethod.SHA1, "not-the-key"), WireFormat.NETSTRING);
            }
            default -> {
                kind = "absurd numbers";
                String huge = Long.toHexString(random.nextLong() | (1L << 62));
                String gen = random.nextBoolean() ? huge : Long.toHexString(1000 + nodes.get(as).generation);
                String seq = gen.equals(huge) ? "1" : Long.toHexString((1L << 41) + random.nextInt(1000));
                packet = WireCodec.encodeSigned(Message.ofStrings(Message.TYPE, "status", Message.STATUS, "active", Message.DEADTIME, huge,
                        Message.PROTOCOL, "1", Message.SRC, as, Message.SEQ, seq, Message.GEN, gen), KEYS.active(),
                        WireFormat.NETSTRING_WITH_AUTH_FIELD);
            }
        }
        hostileSent.merge(kind, 1, Integer::sum);
        long delay = minDelay + (long) (random.nextDouble() * (maxDelay - minDelay + 1));
        byte[] p = packet;
        queue.add(new Event(now + delay, order++, () -> deliver(to, p)));
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
