package io.tandem.sim;

import io.tandem.membership.MembershipConfig;
import io.tandem.membership.MembershipEngine;
import io.tandem.membership.PeerLife;
import io.tandem.node.NodeCore;
import io.tandem.node.NodeEffect;
import io.tandem.node.NodeEvent;
import io.tandem.config.FailbackMode;
import io.tandem.resources.GroupSpec;
import io.tandem.resources.OpResult;
import io.tandem.resources.OwnershipConfig;
import io.tandem.resources.OwnershipEngine;
import io.tandem.resources.ResourceOp;
import io.tandem.resources.StopFailurePolicy;
import io.tandem.wire.Message;
import io.tandem.wire.RejectReason;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic whole cluster: N real {@link NodeCore}s (membership and ownership engines, as the
 * daemon runs them) on a virtual clock, every packet signed and verified through the real codec, a
 * simulated network (loss, delay and so reordering, duplication, cut links, isolated nodes), simulated
 * resource scripts with a per-node model of what runs, and the faults of a real cluster: a killed
 * daemon (its resources keep running), a power-off (they vanish too), restarts with the next
 * generation (the peers' lives kept, as the tandem-peers file), freezes (nothing processed, then the
 * clock has jumped), operator commands. One seed gives one run, exactly.
 *
 * <p>Invariants are checked after every event; a violation throws {@link Violation} with the seed
 * and the last events. See docs/simulation.md for what is asserted where.
 */
final class Cluster {
    static final String LINK = "eth1";
    /** The shortest time from a daemon's end to its next start. */
    static final long RESTART_MS = 1_000;

    /** How a resource's script behaves on one node. */
    enum Script {
        /** 50 ms to the script maximum. */
        OK,
        /** Up to ten times slower. */
        SLOW,
        /** start fails (exit 1); stop and status work. */
        FAILING,
        /** start hangs until the time limit, then is killed (not running). */
        HANGING,
        /** stop fails while the resource keeps running. */
        CANNOT_STOP
    }

    /** Timings and the groups. */
    record Settings(List<String> names, long keepalive, long deadtime, long initdead, FailbackMode mode, List<GroupSpec> groups,
                    long scriptMin, long scriptMax, long scriptTimeout) {
        long grace() {
            return deadtime + scriptTimeout;
        }
    }

    /** An invariant failed: the message has the seed and the trace. */
    static final class Violation extends AssertionError {
        Violation(String text) {
            super(text);
        }
    }

    private record Ev(long at, long order, Runnable action) {
    }

    /** One line of the trace. */
    private record Line(long at, String node, Object what) {
        @Override
        public String toString() {
            return String.format("%9d %-3s %s", at, node, what);
        }
    }

    /**
     * One resource on one machine. {@code life}: the daemon life that started it, or that found it
     * running with a status call (the start-up probe of a restarted daemon asks every resource's status
     * before it joins): from then on it is that life's, and the invariants hold for it once
     * {@link #probeGrace} has passed. A resource that no status call of the current life found (the
     * daemon is still down, or a start script of the killed daemon finished after the probe) is a
     * leftover: beyond the protocol (only fencing could promise anything about it), so no invariant is
     * checked for a group while a leftover of it runs on either node.
     */
    private static final class Res {
        boolean running;
        boolean starting;
        int life;
        /** A later life's status call found it running and took it on (the start-up probe). */
        boolean adopted;
        /** When a script of a killed daemon last finished on it, or -1. */
        long orphanAt = -1;
    }


    final class Node {
        final String name;
        NodeCore core;
        long generation = 1000;
        int life;
        long lifeStart;
        boolean frozen;
        final List<Runnable> backlog = new ArrayList<>();
        long timerToken;
        long downAt = -RESTART_MS;
        int spins;
        final Map<String, PeerLife> lives = new LinkedHashMap<>();
        final Map<String, Res> machine = new HashMap<>();
        final Map<String, Script> scripts = new HashMap<>();
        ResourceOp pending;
        /** Groups with a failed start or stop in this life: the node is not an eligible holder. */
        final Set<String> failedHere = new HashSet<>();
        final Map<RejectReason, Integer> rejected = new EnumMap<>(RejectReason.class);
        final Map<String, String> peerStatus = new HashMap<>();

        Node(String name) {
            this.name = name;
        }

        boolean up() {
            return core != null;
        }

        boolean live() {
            return core != null && !frozen;
        }

        Res res(String group, String resource) {
            return machine.computeIfAbsent(group + "/" + resource, k -> new Res());
        }

        /** Runs (or is starting) any resource of the group, in this daemon life. */
        boolean holds(GroupSpec g) {
            for (String r : g.resources()) {
                Res x = machine.get(g.key() + "/" + r);
                if (x != null && (x.running || x.starting) && x.life == life) {
                    return true;
                }
            }
            return false;
        }

        /** A resource of the group that an earlier life left runs here and this life took it on (probe). */
        boolean adopted(GroupSpec g) {
            for (String r : g.resources()) {
                Res x = machine.get(g.key() + "/" + r);
                if (x != null && x.adopted && x.life == life && (x.running || x.starting)) {
                    return true;
                }
            }
            return false;
        }

        /** A script of a killed daemon changed a resource of the group after this life started. */
        boolean orphanScriptSinceStart(GroupSpec g) {
            for (String r : g.resources()) {
                Res x = machine.get(g.key() + "/" + r);
                if (x != null && x.orphanAt >= lifeStart && up()) {
                    return true;
                }
            }
            return false;
        }

        /** Any resource of the group runs here, whichever life started it. */
        boolean runsAny(GroupSpec g) {
            for (String r : g.resources()) {
                Res x = machine.get(g.key() + "/" + r);
                if (x != null && (x.running || x.starting)) {
                    return true;
                }
            }
            return false;
        }

        /** A resource of the group runs (or was starting) here for a daemon that was killed: no life owns it. */
        boolean leftOver(GroupSpec g) {
            for (String r : g.resources()) {
                Res x = machine.get(g.key() + "/" + r);
                if (x != null && (x.running || x.starting) && x.life != life) {
                    return true;
                }
            }
            return false;
        }

        boolean holdsAll(GroupSpec g) {
            for (String r : g.resources()) {
                Res x = machine.get(g.key() + "/" + r);
                if (x == null || !x.running) {
                    return false;
                }
            }
            return true;
        }

        OwnershipEngine ownership() {
            return core.ownership();
        }
    }

    final long seed;
    final Settings settings;
    final Random random;
    final Map<String, Node> nodes = new LinkedHashMap<>();
    double loss;
    double duplicate;
    long minDelay = 1;
    long maxDelay = 5;
    ClusterObserver observer = new ClusterObserver() { };
    long now;
    long events;
    private long order;
    private final PriorityQueue<Ev> queue = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    private final Set<String> cut = new HashSet<>();
    /** Pairs that lost each other (a partition, a freeze, a false death) in their current lives: no exclusivity promised. */
    private final Set<String> split = new HashSet<>();
    private final ArrayDeque<Line> trace = new ArrayDeque<>();
    private static final int TRACE = 600;

    Cluster(long seed, Settings settings) {
        this.seed = seed;
        this.settings = settings;
        this.random = new Random(seed);
        for (String n : settings.names()) {
            nodes.put(n, new Node(n));
        }
    }

    // ---------------------------------------------------------------- time

    void at(long time, Runnable action) {
        queue.add(new Ev(Math.max(time, now), order++, action));
    }

    void runUntil(long until) {
        while (!queue.isEmpty() && queue.peek().at <= until) {
            Ev e = queue.poll();
            now = e.at;
            e.action.run();
            events++;
        }
        now = Math.max(now, until);
    }

    long between(long lo, long hi) {
        return lo + (long) (random.nextDouble() * (hi - lo));
    }

    // ---------------------------------------------------------------- faults and commands

    /**
     * Starts the daemon on a node that is down: the next generation, what it knew of its peers. A
     * start takes {@link #RESTART_MS} at least after the daemon stopped (a JVM start), longer than any
     * network delay here, so no packet of the old life arrives after the new life's first ones.
     */
    void start(String name) {
        Node n = nodes.get(name);
        if (n.up()) {
            return;
        }
        if (now < n.downAt + RESTART_MS) {
            at(n.downAt + RESTART_MS, () -> start(name));
            return;
        }
        n.generation++;
        n.life++;
        n.lifeStart = now;
        n.pending = null;
        n.frozen = false;
        n.backlog.clear();
        n.failedHere.clear();
        n.peerStatus.clear();
        for (Node p : nodes.values()) {
            split.remove(pair(n, p));
        }
        byte[] uuid = new byte[16];
        uuid[0] = (byte) name.hashCode();
        uuid[15] = (byte) n.generation;
        Settings s = settings;
        MembershipEngine m = new MembershipEngine(new MembershipConfig(name, s.names(), List.of(), s.keepalive(), s.deadtime(),
                s.deadtime() / 2, s.initdead(), s.deadtime(), n.generation, uuid), SimNet.environment(random));
        m.remember(n.lives.values());
        OwnershipEngine o = new OwnershipEngine(new OwnershipConfig(name, s.names(), s.mode(), s.groups(), 1000 + n.life,
                StopFailurePolicy.HOLD, OwnershipConfig.Timers.HEARTBEAT));
        n.core = new NodeCore(m, o);
        note(n, "START generation " + n.generation);
        event(n, new NodeEvent.Start());
    }

    /** The daemon is killed (SIGKILL): its resources and a running script carry on without it. */
    void kill(String name) {
        Node n = nodes.get(name);
        if (n.up()) {
            note(n, "KILL daemon");
            down(n);
        }
    }

    /** Power-off: the daemon, its script and every resource of the machine are gone. */
    void powerOff(String name) {
        Node n = nodes.get(name);
        if (n.up()) {
            note(n, "POWER OFF");
            down(n);
        }
        n.machine.clear();
    }

    private void down(Node n) {
        n.downAt = now;
        n.core = null;
        n.pending = null;
        n.frozen = false;
        n.backlog.clear();
        n.timerToken++;
    }

    /** The daemon processes nothing for {@code ms}, then takes everything that waited with the clock jumped. */
    void freeze(String name, long ms) {
        Node n = nodes.get(name);
        if (!n.live()) {
            return;
        }
        note(n, "FREEZE " + ms + " ms");
        n.frozen = true;
        for (Node p : nodes.values()) {
            if (p != n) {
                split.add(pair(n, p));
            }
        }
        int life = n.life;
        at(now + ms, () -> {
            if (n.up() && n.life == life && n.frozen) {
                n.frozen = false;
                note(n, "THAW (" + n.backlog.size() + " waiting)");
                List<Runnable> waiting = new ArrayList<>(n.backlog);
                n.backlog.clear();
                waiting.forEach(Runnable::run);
                event(n, new NodeEvent.Timer());
            }
        });
    }

    void cutLink(String a, String b) {
        if (cut.add(a + "|" + b) | cut.add(b + "|" + a)) {
            note(null, "CUT " + a + " - " + b);
        }
        split.add(pair(nodes.get(a), nodes.get(b)));
    }

    void isolate(String name) {
        for (String o : nodes.keySet()) {
            if (!o.equals(name)) {
                cutLink(name, o);
            }
        }
    }

    void heal() {
        if (!cut.isEmpty()) {
            note(null, "HEAL");
            cut.clear();
        }
    }

    void operator(String name, NodeEvent command) {
        Node n = nodes.get(name);
        if (n.up()) {
            note(n, "OPERATOR " + command);
            event(n, command);
        }
    }

    void script(String name, String resource, Script behaviour) {
        note(nodes.get(name), "SCRIPT " + resource + " " + behaviour);
        nodes.get(name).scripts.put(resource, behaviour);
    }

    // ---------------------------------------------------------------- the node shell

    /** One event into a node's core (or its backlog while frozen), then its effects. */
    private void event(Node n, NodeEvent e) {
        if (!n.up()) {
            return;
        }
        if (n.frozen) {
            n.backlog.add(() -> event(n, e));
            return;
        }
        NodeCore.Step step = n.core.on(now, e);
        int life = n.life;
        for (NodeEffect effect : step.effects()) {
            if (n.life != life || !n.up()) {
                break;
            }
            perform(n, effect);
        }
        if (n.up() && n.life == life) {
            step.nextDeadline().ifPresent(at -> {
                if (at <= now && e instanceof NodeEvent.Timer && ++n.spins > 1_000) {
                    violation(n.name + " asks to be woken at " + at + " again and again (busy loop): membership " + n.core.membership().nextDeadline() + ", ownership " + n.core.ownership().nextDeadline() + " " + n.core.ownership().negotiationState());
                }
                if (at > now) {
                    n.spins = 0;
                }
                long token = ++n.timerToken;
                at(at, () -> {
                    if (n.timerToken == token) {
                        event(n, new NodeEvent.Timer());
                    }
                });
            });
            watchDeaths(n);
        }
        check();
    }

    private void perform(Node n, NodeEffect effect) {
        if (effect instanceof NodeEffect.Transmit t) {
            transmit(n, t.message());
        } else if (effect instanceof NodeEffect.Run r) {
            run(n, r.op());
        } else if (effect instanceof NodeEffect.Log l) {
            note(n, l.priority() + " " + l.source() + ": " + l.text());
        } else if (effect instanceof NodeEffect.PeerLifeChanged c) {
            n.lives.put(c.life().node(), c.life());
        } else if (effect instanceof NodeEffect.Rejected r) {
            n.rejected.merge(r.reason(), 1, Integer::sum);
        } else if (effect instanceof NodeEffect.Exit x) {
            note(n, "EXIT " + x.code());
            for (GroupSpec g : settings.groups()) {
                if (n.holds(g) && x.code() == 0) {
                    violation(n.name + " left the cluster still running " + g.key());
                }
            }
            down(n);
        }
    }

    private void transmit(Node from, Message m) {
        if (!m.type().equals("status")) {
            note(from, "send " + m.type() + " " + fieldsOf(m));
        }
        byte[] packet = SimNet.seal(m);
        for (Node to : nodes.values()) {
            if (to == from || cut.contains(from.name + "|" + to.name) || random.nextDouble() < loss) {
                continue;
            }
            int copies = random.nextDouble() < duplicate ? 2 : 1;
            for (int i = 0; i < copies; i++) {
                at(now + between(minDelay, maxDelay + 1), () -> {
                    if (to.up() && !cut.contains(from.name + "|" + to.name)) {
                        Message got = SimNet.open(packet, to.rejected);
                        if (got != null) {
                            event(to, new NodeEvent.Received(got, LINK));
                        }
                    }
                });
            }
        }
    }

    private static String fieldsOf(Message m) {
        StringBuilder b = new StringBuilder();
        for (String f : List.of("rsc_hold", "info", "node", "dest", "ok", "isstable")) {
            String v = m.getOr(f, null);
            if (v != null) {
                b.append(f).append('=').append(v).append(' ');
            }
        }
        return b.toString().trim();
    }

    private void run(Node n, ResourceOp op) {
        if (n.pending != null) {
            violation(n.name + " runs " + op + " while " + n.pending + " is still running");
        }
        n.pending = op;
        GroupSpec g = group(op.group());
        Res r = n.res(op.group(), op.resource());
        Script behaviour = n.scripts.getOrDefault(op.resource(), Script.OK);
        if (op.action() == ResourceOp.Action.START) {
            observer.starting(n, g);
            conflictsOnStart(n, g);
            r.starting = true;
            r.life = n.life;
            r.adopted = false;
        }
        long took = between(settings.scriptMin(), settings.scriptMax()) * (behaviour == Script.SLOW ? 1 + random.nextInt(10) : 1);
        boolean hang = behaviour == Script.HANGING && op.action() == ResourceOp.Action.START;
        long limit = op.timeoutMs() > 0 ? op.timeoutMs() : settings.scriptTimeout();
        long duration = hang ? limit : Math.min(took, limit);
        int life = n.life;
        Map<String, Res> machine = n.machine;
        note(n, "run " + op.resource() + " " + op.action().word() + " (" + behaviour + ", " + duration + " ms)");
        at(now + duration, () -> {
            if (n.machine != machine || !machine.containsValue(r)) {
                return; // powered off meanwhile
            }
            OpResult result = outcome(r, op, behaviour, hang || took > limit);
            if (!n.up() || n.life != life) {
                r.orphanAt = now; // a script of a killed daemon finished: no daemon hears of it
            }
            if (n.up() && n.life == life) {
                if (result == OpResult.RUNNING && r.life != life) {
                    r.life = life; // the start-up probe (or a status before a start) found it: this life owns it now
                    r.adopted = true;
                }
                if (result == OpResult.FAILED && op.action() != ResourceOp.Action.STATUS) {
                    n.failedHere.add(op.group());
                }
                n.pending = null;
                event(n, new NodeEvent.OpFinished(op, result));
            }
        });
    }

    /** What the script did to the resource, and its answer. */
    private static OpResult outcome(Res r, ResourceOp op, Script behaviour, boolean timedOut) {
        switch (op.action()) {
            case START -> {
                r.starting = false;
                if (timedOut || behaviour == Script.FAILING) {
                    return OpResult.FAILED;
                }
                r.running = true;
                return OpResult.OK;
            }
            case STOP -> {
                if (behaviour == Script.CANNOT_STOP && r.running) {
                    return OpResult.FAILED;
                }
                r.running = false;
                r.starting = false;
                r.adopted = false;
                return OpResult.OK;
            }
            default -> {
                if (timedOut) {
                    return OpResult.FAILED; // as the daemon's agent runner: a status that timed out is unknown
                }
                return r.running ? OpResult.RUNNING : OpResult.NOT_RUNNING;
            }
        }
    }

    /** Sets a pair apart when one declares the other dead while it runs: a false death, a split. */
    private void watchDeaths(Node n) {
        for (Node p : nodes.values()) {
            if (p == n) {
                continue;
            }
            String status = n.core.membership().nodeStatus(p.name);
            String before = n.peerStatus.put(p.name, status);
            if ("dead".equals(status) && !"dead".equals(before) && p.up()) {
                observer.declaredDeadWhileUp(n, p);
                note(n, "declared " + p.name + " dead while it runs: split");
                split.add(pair(n, p));
            }
        }
    }

    // ---------------------------------------------------------------- invariants

    /** Heartbeat v1 tracks one "other" node: it promises exclusivity and liveness for two nodes only. */
    boolean promised() {
        return nodes.size() == 2;
    }

    private static String pair(Node a, Node b) {
        return a.name.compareTo(b.name) < 0 ? a.name + "|" + b.name : b.name + "|" + a.name;
    }

    /**
     * The protocol promises these two agree: both run, neither frozen, no cut and no split in their
     * current lives.
     */
    boolean canTalk(Node a, Node b) {
        return promised() && a != b && a.live() && b.live() && !split.contains(pair(a, b)) && !cut.contains(a.name + "|" + b.name);
    }

    /** (c) a start while a connected node still runs the group: the stop did not finish first. */
    private void conflictsOnStart(Node n, GroupSpec g) {
        for (Node p : nodes.values()) {
            if (canTalk(n, p) && p.holds(g) && !n.leftOver(g) && !p.leftOver(g) && !probing(n, p, g)) {
                violation(n.name + " starts " + g.key() + " while " + p.name + " still runs it");
            }
        }
    }

    /**
     * A restarted node's start-up probe found the group left running by its killed daemon, and the
     * probe, the negotiation and the stop of that copy may still be under way: {@link #probeGrace}; or
     * that copy's stop failed.
     */
    private boolean probing(Node a, Node b, GroupSpec g) {
        if (stuckLeftOver(a, g) || stuckLeftOver(b, g)) {
            return true;
        }
        return (a.adopted(g) || b.adopted(g)) && now < Math.max(a.lifeStart, b.lifeStart) + probeGrace();
    }

    /** A found copy whose stop failed: it runs on, only fencing could end it (the node logs it CRIT). */
    private static boolean stuckLeftOver(Node n, GroupSpec g) {
        return n.adopted(g) && n.failedHere.contains(g.key());
    }

    /**
     * How long after a restart a group found running may still run on both nodes: deadtime to hear the
     * peer, every resource's status (the probe), then the stop of the group, each script at most its
     * time limit.
     */
    long probeGrace() {
        int resources = settings.groups().stream().mapToInt(g -> g.resources().size()).sum();
        return settings.deadtime() + 2L * resources * settings.scriptTimeout();
    }

    /** (a) after every event: two nodes that can talk, past the grace, never both run a group. */
    private void check() {
        for (Node a : nodes.values()) {
            for (Node b : nodes.values()) {
                if (a.name.compareTo(b.name) >= 0 || !canTalk(a, b) || now < Math.max(a.lifeStart, b.lifeStart) + settings.grace()) {
                    continue;
                }
                for (GroupSpec g : settings.groups()) {
                    if (a.holds(g) && b.holds(g) && !a.leftOver(g) && !b.leftOver(g) && !probing(a, b, g)) {
                        violation(a.name + " and " + b.name + " both run " + g.key());
                    }
                }
            }
        }
    }

    /**
     * (b) once quiet: every group runs completely on some running node, unless one of its scripts failed
     * in a running node's current life (without monitoring such a group may stay down, as in heartbeat v1:
     * the node that failed keeps claiming it) or a killed daemon left it running on a machine (heartbeat
     * asks the status of a group's first resource only, so a half-running group counts as held).
     */
    void checkHeld() {
        if (!promised()) {
            return;
        }
        for (GroupSpec g : settings.groups()) {
            boolean eligible = nodes.values().stream().anyMatch(Node::live)
                    && nodes.values().stream().noneMatch(n -> n.live() && n.failedHere.contains(g.key()))
                    && nodes.values().stream().noneMatch(n -> n.leftOver(g));
            boolean held = nodes.values().stream().anyMatch(n -> n.live() && n.holdsAll(g));
            if (eligible && !held) {
                violation("nobody holds " + g.key() + " in a quiet cluster");
            }
        }
    }

    GroupSpec group(String key) {
        return settings.groups().stream().filter(g -> g.key().equals(key)).findFirst().orElseThrow();
    }

    void violation(String what) {
        StringBuilder b = new StringBuilder("seed ").append(seed).append(" at ").append(now).append(" ms: ").append(what)
                .append("\n(replay: bench/simulate --seed ").append(seed).append(" --trace)\n");
        trace.forEach(l -> b.append(l).append('\n'));
        throw new Violation(b.toString());
    }

    void note(Node n, Object what) {
        if (trace.size() == TRACE) {
            trace.removeFirst();
        }
        trace.addLast(new Line(now, n == null ? "*" : n.name, what));
    }

    String trace() {
        StringBuilder b = new StringBuilder();
        trace.forEach(l -> b.append(l).append('\n'));
        return b.toString();
    }
}
