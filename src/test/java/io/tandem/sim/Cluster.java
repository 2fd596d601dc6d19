package io.tandem.sim;

import io.tandem.config.FailbackMode;
import io.tandem.membership.MembershipConfig;
import io.tandem.membership.MembershipEngine;
import io.tandem.membership.PeerLife;
import io.tandem.node.NodeCore;
import io.tandem.node.NodeEffect;
import io.tandem.node.NodeEvent;
import io.tandem.resources.FencingPolicy;
import io.tandem.resources.GroupSpec;
import io.tandem.resources.MonitorPolicy;
import io.tandem.resources.OwnershipConfig;
import io.tandem.resources.OwnershipEngine;
import io.tandem.resources.ResourceOp;
import io.tandem.resources.StopFailurePolicy;
import io.tandem.wire.Message;
import io.tandem.wire.RejectReason;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic whole cluster: N real {@link NodeCore}s (membership and ownership engines, as the
 * daemon runs them) on a virtual clock, every packet signed and verified through the real codec
 * ({@link Wire}), a simulated network (loss, delay and so reordering, duplication, cut links, isolated
 * nodes, an optional {@link Adversary}), simulated resource scripts on a per-node {@link Machine}, and
 * the faults of a real cluster: a killed daemon (its resources keep running), a power-off (they vanish
 * too), a resource that dies under its daemon, restarts with the next generation (the peers' lives
 * kept, as the tandem-peers file), freezes (nothing processed, then the clock has jumped), operator
 * commands. One seed gives one run, exactly.
 *
 * <p>Each node's daemon is a {@link Shell}; the {@link Invariants} are checked after every event, a
 * violation throws {@link Violation} with the seed and the last events ({@link Trace}). See
 * docs/simulation.md for what is asserted where.
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

    /** Timings, the groups, and how the nodes monitor resources and treat a stop that fails. */
    record Settings(List<String> names, long keepalive, long deadtime, long initdead, FailbackMode mode, List<GroupSpec> groups,
                    long scriptMin, long scriptMax, long scriptTimeout, MonitorPolicy monitoring, StopFailurePolicy stopFailure) {
        /** Without monitoring (heartbeat's behaviour), holding a group whose stop failed (the daemon's policy). */
        Settings(List<String> names, long keepalive, long deadtime, long initdead, FailbackMode mode, List<GroupSpec> groups,
                 long scriptMin, long scriptMax, long scriptTimeout) {
            this(names, keepalive, deadtime, initdead, mode, groups, scriptMin, scriptMax, scriptTimeout, MonitorPolicy.OFF, StopFailurePolicy.HOLD);
        }

        /** No groups, initdead twice the deadtime: the membership alone (its ownership engines have nothing to do). */
        static Settings membership(long keepalive, long deadtime, String... names) {
            return new Settings(List.of(names), keepalive, deadtime, 2 * deadtime, FailbackMode.OFF, List.of(), 50, 500, 3_000);
        }

        Settings with(MonitorPolicy policy) {
            return new Settings(names, keepalive, deadtime, initdead, mode, groups, scriptMin, scriptMax, scriptTimeout, policy, stopFailure);
        }

        Settings with(StopFailurePolicy policy) {
            return new Settings(names, keepalive, deadtime, initdead, mode, groups, scriptMin, scriptMax, scriptTimeout, monitoring, policy);
        }

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

    /** One node: its daemon's state (a {@link NodeCore} while it runs) and its machine. */
    final class Node {
        final String name;
        NodeCore core;
        long generation = 1000;
        int life;
        long lifeStart;
        boolean frozen;
        /** The whole machine is frozen (a paused VM): its kernel answers no ARP either ({@link #freezeMachine}). */
        boolean machineFrozen;
        final List<Runnable> backlog = new ArrayList<>();
        long timerToken;
        long downAt = -RESTART_MS;
        int spins;
        final Map<String, PeerLife> lives = new LinkedHashMap<>();
        final Machine machine = new Machine(warm, mayRunTwice);
        final Map<String, Script> scripts = new HashMap<>();
        /** Address resources whose stop script fails after the daemon's address step removed the address ({@link EarlyDoneSimulationTest}). */
        final Set<String> failingTails = new HashSet<>();
        /** Resources whose status calls say nothing (FAILED, as one killed at its time limit). */
        final Set<String> unknownStatus = new HashSet<>();
        ResourceOp pending;
        /** Groups with a failed start or stop in this life: the node is not an eligible holder. */
        final Set<String> failedHere = new HashSet<>();
        final Map<RejectReason, Integer> rejected = new EnumMap<>(RejectReason.class);
        final Map<String, String> peerStatus = new HashMap<>();
        /** When this node's membership first declared each peer dead (any life). */
        final Map<String, Long> diedAt = new LinkedHashMap<>();
        /** The peers' cluster messages its membership delivered (any life). */
        final List<Message> delivered = new ArrayList<>();

        Node(String name) {
            this.name = name;
        }

        boolean up() {
            return core != null;
        }

        boolean live() {
            return core != null && !frozen;
        }

        Machine.Res res(String group, String resource) {
            return machine.res(group, resource);
        }

        /** Runs (or is starting) any resource of the group, in this daemon life. */
        boolean holds(GroupSpec g) {
            return machine.holds(g, life);
        }

        /** The machine runs the resource (an address: has it added). */
        boolean runs(String group, String resource) {
            return machine.runs(group, resource);
        }

        /** The machine answers ARP for an address resource: added, or its probe is out. */
        boolean answersFor(String group, String resource) {
            return machine.answersFor(group, resource);
        }

        /** A resource of the group that an earlier life left runs here and this life took it on (probe). */
        boolean adopted(GroupSpec g) {
            return machine.adopted(g, life);
        }

        /** A script of a killed daemon changed a resource of the group after this life started. */
        boolean orphanScriptSinceStart(GroupSpec g) {
            return up() && machine.orphanScriptSince(g, lifeStart);
        }

        /** Any resource of the group runs here, whichever life started it. */
        boolean runsAny(GroupSpec g) {
            return machine.runsAny(g);
        }

        /** A resource of the group runs (or was starting) here for a daemon that was killed: no life owns it. */
        boolean leftOver(GroupSpec g) {
            return machine.leftOver(g, life);
        }

        boolean holdsAll(GroupSpec g) {
            return machine.holdsAll(g);
        }

        /** Runs (or is starting) any resource of the group in this daemon life, a warm one too. */
        boolean runsAnything(GroupSpec g) {
            return machine.runsAnything(g, life);
        }

        OwnershipEngine ownership() {
            return core.ownership();
        }
    }

    /** The warm resources (tandem.cf): they may run on both nodes; set before the first start ({@link WarmSimulationTest}). */
    final Set<String> warm = new HashSet<>();
    /** The may-run-twice resources (tandem.cf): on both nodes for the time of a planned move ({@link MayRunTwiceSimulationTest}). */
    final Set<String> mayRunTwice = new HashSet<>();
    final long seed;
    final Settings settings;
    final Random random;
    final Map<String, Node> nodes = new LinkedHashMap<>();
    double loss;
    double duplicate;
    long minDelay = 1;
    long maxDelay = 5;
    /** Ping nodes and who reaches them (PingWorld), or null: none configured. */
    PingWorld pings;
    /** Sees every effect a node performs (the tiebreak's checks), or null. */
    java.util.function.BiConsumer<Node, NodeEffect> effects;
    /** The nodes' probe before a peer's death (tandem-arp.cf's window, the default's 300 ms; OFF: none). */
    io.tandem.resources.AddressPreProbe.Settings preProbe = io.tandem.resources.AddressPreProbe.Settings.window(300);
    /** Which machine answers ARP for which address (SimAddresses). */
    final SimAddresses addresses = new SimAddresses(this);
    /** Called after every event, after the invariants (tests add their own checks). */
    Runnable afterEvent = () -> { };
    /** The power switch the nodes fence with; null: no STONITH device (heartbeat's default). */
    FenceDevice fencing;
    ClusterObserver observer = new ClusterObserver() { };
    long now;
    long events;
    private final Agenda agenda = new Agenda();
    private final Set<String> cut = new HashSet<>();
    private final Trace trace = new Trace();
    final Invariants invariants = new Invariants(this);
    final Shell shell = new Shell(this);
    Adversary adversary;

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
        agenda.add(Math.max(time, now), action);
    }

    void runUntil(long until) {
        while (agenda.next() <= until) {
            now = agenda.next();
            agenda.take().run();
            events++;
        }
        now = Math.max(now, until);
    }

    long between(long lo, long hi) {
        return lo + (long) (random.nextDouble() * (hi - lo));
    }

    /** How long a packet takes on the link now. */
    long delay() {
        return between(minDelay, maxDelay + 1);
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
        invariants.restarted(n);
        byte[] uuid = new byte[16];
        uuid[0] = (byte) name.hashCode();
        uuid[15] = (byte) n.generation;
        Settings s = settings;
        MembershipEngine m = new MembershipEngine(new MembershipConfig(name, s.names(), pings == null ? List.of() : pings.names(),
                s.keepalive(), s.deadtime(), s.deadtime() / 2, s.initdead(), pings == null ? s.deadtime() : pings.deadping(),
                n.generation, uuid), new SimEnvironment(random));
        m.remember(n.lives.values());
        OwnershipEngine o = new OwnershipEngine(new OwnershipConfig(name, s.names(), s.mode(), s.groups(), 1000 + n.life,
                s.stopFailure(), OwnershipConfig.Timers.HEARTBEAT, s.monitoring())
                .withFencing(fencing == null ? FencingPolicy.NONE : fencing.policy)
                .withPingTiebreak(pings == null ? io.tandem.resources.PingTiebreak.OFF : pings.tiebreak(name))
                .withWarm(warm)
                .withMayRunTwice(mayRunTwice), preProbe);
        n.core = new NodeCore(m, o);
        note(n, "START generation " + n.generation);
        shell.event(n, new NodeEvent.Start());
        if (pings != null) {
            pings.started(n);
        }
    }

    /** A ping node's answer reaches the node's daemon. */
    void pingReply(Node n, String pingNode) {
        shell.event(n, new NodeEvent.PingReply(pingNode));
    }

    /** The answer of the fence device, to the daemon life that asked (a later life did not ask). */
    void fenceFinished(Node n, int life, NodeEvent.FenceFinished answer) {
        if (n.up() && n.life == life) {
            shell.event(n, answer);
        }
    }

    /** The answer of the fence device's status check, to the daemon life that asked. */
    void deviceChecked(Node n, int life, NodeEvent.DeviceChecked answer) {
        if (n.up() && n.life == life) {
            shell.event(n, answer);
        }
    }

    /** An event from outside the node's core (the address model's conflicts). */
    void deliver(Node n, NodeEvent e) {
        shell.event(n, e);
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

    void down(Node n) {
        n.downAt = now;
        n.core = null;
        n.pending = null;
        n.frozen = false;
        n.backlog.clear();
        n.timerToken++;
    }

    /** A resource dies under a running daemon (a crashed service); only monitoring can notice. */
    void killResource(String name, String group, String resource) {
        if (nodes.get(name).machine.kill(group, resource)) {
            note(nodes.get(name), "RESOURCE DIED " + resource);
        }
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
                invariants.split(n, p);
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
                shell.event(n, new NodeEvent.Timer());
            }
        });
    }

    /**
     * The whole machine stops for {@code ms} (a paused VM, a storage stall of everything): its daemon
     * freezes as in {@link #freeze}, nothing reaches it or leaves it (every link of it cut), and its
     * kernel answers no ARP, so a peer's probe finds its addresses free. Then everything resumes at
     * once (the links heal).
     */
    void freezeMachine(String name, long ms) {
        Node n = nodes.get(name);
        if (!n.live()) {
            return;
        }
        note(n, "MACHINE FREEZE " + ms + " ms");
        n.machineFrozen = true;
        isolate(name);
        int life = n.life;
        at(now + ms, () -> { // before the daemon's thaw (same time, scheduled first): the links are back when it runs
            n.machineFrozen = false;
            if (n.life == life) {
                heal();
            }
        });
        freeze(name, ms);
    }

    void cutLink(String a, String b) {
        if (cut.add(a + "|" + b) | cut.add(b + "|" + a)) {
            note(null, "CUT " + a + " - " + b);
        }
        invariants.split(nodes.get(a), nodes.get(b));
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

    /** No cut between the two. */
    boolean linked(Node a, Node b) {
        return !cut.contains(a.name + "|" + b.name);
    }

    void operator(String name, NodeEvent command) {
        Node n = nodes.get(name);
        if (n.up()) {
            note(n, "OPERATOR " + command);
            shell.event(n, command);
        }
    }

    void script(String name, String resource, Script behaviour) {
        note(nodes.get(name), "SCRIPT " + resource + " " + behaviour);
        nodes.get(name).scripts.put(resource, behaviour);
    }

    /** Puts an {@link Adversary} on the link (it overhears every packet from now on). */
    Adversary adversary() {
        if (adversary == null) {
            adversary = new Adversary(this);
        }
        return adversary;
    }

    /** Hands a raw packet to a node as if it came from the link now (a replay). */
    void inject(String to, byte[] packet) {
        shell.deliver(nodes.get(to), packet);
    }

    // ---------------------------------------------------------------- invariants and the trace

    /** Heartbeat v1 tracks one "other" node: it promises exclusivity and liveness for two nodes only. */
    boolean promised() {
        return invariants.promised();
    }

    /** The protocol promises these two agree: both run, neither frozen, no cut and no split in their current lives. */
    boolean canTalk(Node a, Node b) {
        return invariants.canTalk(a, b);
    }

    /** Once quiet, two nodes: every group is held (see {@link Invariants#held()}). */
    void checkHeld() {
        invariants.held();
    }

    /** Once quiet, any node count: every running node sees every other one it is linked to as active. */
    void checkAgreed() {
        invariants.agreed();
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

    GroupSpec group(String key) {
        return settings.groups().stream().filter(g -> g.key().equals(key)).findFirst().orElseThrow();
    }

    void violation(String what) {
        throw new Violation("seed " + seed + " at " + now + " ms: " + what + "\n(replay: bench/simulate --seed " + seed + " --trace)\n" + trace);
    }

    void note(Node n, Object what) {
        trace.add(now, n == null ? "*" : n.name, what);
    }

    /** From now on the trace keeps every line (for tests that read a whole run). */
    void keepTrace() {
        trace.keepAll();
    }

    List<Trace.Line> lines() {
        return trace.lines();
    }

    String trace() {
        return trace.toString();
    }
}
