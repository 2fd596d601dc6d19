package io.tandem.resources;

import io.tandem.config.Severity;
import io.tandem.config.FailbackMode;
import io.tandem.wire.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * A deterministic two-node world for the ownership engine: simulated time, an abstract membership
 * layer (peers heard, declared dead after deadtime / initdead, comm-up), a reliable in-order channel
 * with delay that holds messages during a partition (and drops them once a side declared the other
 * dead), and a resource-script model (each script takes some time and may fail). It checks the
 * safety invariants after every effect and records every message and log line.
 */
final class SimCluster {
    /** Script behaviour. */
    record Scripts(long minMs, long maxMs, double startFail, double stopFail, double stuck) {
        static final Scripts RELIABLE = new Scripts(50, 2000, 0, 0, 0);
    }

    /** One recorded effect: time, node, text. */
    record Line(long time, String node, String text) {
        @Override
        public String toString() {
            return String.format("%8d %-3s %s", time, node, text);
        }
    }

    final class Node {
        final String name;
        OwnershipEngine engine;
        int inc;
        boolean up;
        boolean commUp;
        Boolean peerAlive;
        int peerIncSeen;
        final Map<String, Boolean> running = new TreeMap<>();
        final Set<String> stuck = new HashSet<>();
        /** Resources (group/resource) whose start fails on this node: a broken installation. */
        final Set<String> broken = new HashSet<>();
        ResourceOp pending;
        long lastArrival;
        final TreeMap<Long, Message> held = new TreeMap<>();
        long sendSeq;
        boolean shuttingDown;
        /** With traceAll: the health last recorded, so only changes are. */
        String lastHealth;

        Node(String name) {
            this.name = name;
        }

        Node peer() {
            return this == a ? b : a;
        }

        boolean runsAnyOf(GroupSpec g) {
            return g.resources().stream().anyMatch(r -> running.getOrDefault(g.key() + "/" + r, false));
        }

        boolean runsAllOf(GroupSpec g) {
            return g.resources().stream().allMatch(r -> running.getOrDefault(g.key() + "/" + r, false));
        }
    }

    private record Ev(long time, long seq, Runnable action) {
    }

    final long deadtime;
    final long initdead;
    final FailbackMode mode;
    final List<GroupSpec> groups;
    final Scripts scripts;
    final StopFailurePolicy policy;
    final Random rnd;
    final Node a;
    final Node b;
    final List<Line> lines = new ArrayList<>();
    final List<String> violations = new ArrayList<>();
    private final PriorityQueue<Ev> queue = new PriorityQueue<>((x, y) -> x.time != y.time ? Long.compare(x.time, y.time) : Long.compare(x.seq, y.seq));
    private long seq;
    long now;
    boolean partitioned;
    /** Set when a partition that outlived deadtime heals; both nodes then restart. */
    final Set<String> mustRestart = new HashSet<>();
    /** Automatic restart after a crash, reboot or stop, this long (ms, after deadtime) later. */
    boolean autoRestart = true;
    long restartMin = 1000, restartMax = 8000;
    /** Resource monitoring of both engines (off: heartbeat's behaviour). */
    MonitorPolicy monitoring = MonitorPolicy.OFF;
    /**
     * Characterization: also record DEBUG log lines and, after every event, what the engine reports
     * (negotiation state, held sets, group states, pending script, next deadline, health).
     */
    boolean traceAll;
    /** Every start of a resource, per node (name:group/resource), for flapping bounds. */
    final Map<String, Integer> starts = new HashMap<>();

    SimCluster(long seed, FailbackMode mode, List<GroupSpec> groups, Scripts scripts, StopFailurePolicy policy, long deadtime, long initdead) {
        this(seed, mode, groups, scripts, policy, deadtime, initdead, "n1", "n2");
    }

    SimCluster(long seed, FailbackMode mode, List<GroupSpec> groups, Scripts scripts, StopFailurePolicy policy, long deadtime, long initdead,
            String name1, String name2) {
        this.rnd = new Random(seed);
        this.mode = mode;
        this.groups = groups;
        this.scripts = scripts;
        this.policy = policy;
        this.deadtime = deadtime;
        this.initdead = initdead;
        this.a = new Node(name1);
        this.b = new Node(name2);
    }

    // ---------------------------------------------------------------- scheduling

    void at(long time, Runnable r) {
        queue.add(new Ev(Math.max(time, now), seq++, r));
    }

    void runUntil(long time) {
        while (!queue.isEmpty() && queue.peek().time <= time) {
            Ev e = queue.poll();
            now = e.time;
            e.action.run();
        }
        now = Math.max(now, time);
    }

    private long between(long lo, long hi) {
        return lo + (long) (rnd.nextDouble() * (hi - lo));
    }

    // ---------------------------------------------------------------- node lifecycle

    void start(Node n) {
        if (n.up) {
            return;
        }
        n.up = true;
        n.inc++;
        n.commUp = false;
        n.peerAlive = null;
        n.shuttingDown = false;
        n.pending = null;
        n.held.clear();
        OwnershipConfig cfg = new OwnershipConfig(n.name, List.of(a.name, b.name), mode, groups, 1000 + n.inc, policy,
                OwnershipConfig.Timers.HEARTBEAT, monitoring);
        n.engine = new OwnershipEngine(cfg);
        trace(n, "START incarnation " + n.inc);
        mustRestart.remove(n.name);
        Node p = n.peer();
        int inc = n.inc;
        if (p.up && !partitioned) {
            at(now + between(50, 400), () -> hear(p, n));
            at(now + between(300, 900), () -> hear(n, p));
        }
        at(now + initdead, () -> {
            if (n.up && n.inc == inc && n.peerAlive == null) {
                declareDead(n, p);
            }
        });
    }

    /** Machine crash: the engine and every resource on the node are gone. */
    void crash(Node n) {
        if (!n.up) {
            return;
        }
        trace(n, "CRASH");
        down(n);
        if (autoRestart) {
            at(now + deadtime + between(restartMin, restartMax), () -> start(n));
        }
    }

    void stop(Node n) {
        if (!n.up || n.shuttingDown) {
            return;
        }
        n.shuttingDown = true;
        trace(n, "STOP requested");
        apply(n, n.engine.shutdownRequested(now));
    }

    void standby(Node n, String which) {
        if (n.up) {
            trace(n, "hb_standby " + which);
            apply(n, n.engine.operatorStandby(now, which));
        }
    }

    void takeover(Node n, String which) {
        if (n.up) {
            trace(n, "hb_takeover " + which);
            apply(n, n.engine.operatorTakeover(now, which));
        }
    }

    /** The resource dies on the node (a crashed service); monitoring has to notice. */
    void kill(Node n, String group, String resource) {
        String id = group + "/" + resource;
        if (n.up && n.running.getOrDefault(id, false)) {
            trace(n, "KILL " + resource);
            n.running.put(id, false);
        }
    }

    /** Operator: {@code tandem cleanup} on a node. */
    void cleanup(Node n, String group) {
        if (n.up) {
            trace(n, "cleanup " + group);
            apply(n, n.engine.cleanup(now, group));
        }
    }

    void partition() {
        if (partitioned) {
            return;
        }
        partitioned = true;
        trace(null, "PARTITION");
        for (Node n : List.of(a, b)) {
            Node p = n.peer();
            int ni = n.inc;
            int pi = p.inc;
            at(now + deadtime, () -> {
                if (partitioned && n.up && n.inc == ni && p.inc == pi && Boolean.TRUE.equals(n.peerAlive)) {
                    declareDead(n, p);
                }
            });
        }
    }

    void heal() {
        if (!partitioned) {
            return;
        }
        partitioned = false;
        trace(null, "HEAL");
        for (Node n : List.of(a, b)) {
            Node from = n.peer();
            List<Message> pending = new ArrayList<>(n.held.values());
            n.held.clear();
            int inc = n.inc;
            for (Message m : pending) {
                long t = Math.max(now + 1, n.lastArrival + 1);
                n.lastArrival = t;
                at(t, () -> {
                    if (n.up && n.inc == inc) {
                        receive(n, m);
                    }
                });
            }
            if (n.up && from.up) {
                boolean returning = Boolean.FALSE.equals(n.peerAlive);
                at(now + between(10, 500), () -> hear(n, from));
                if (returning) {
                    // heartbeat: "Cluster node X returning after partition." -> give up everything, restart
                    mustRestart.add(n.name);
                    int ni = n.inc;
                    at(now + 2000, () -> {
                        if (n.up && n.inc == ni) {
                            trace(n, "RESTART after partition");
                            apply(n, n.engine.restartRequested(now));
                        }
                    });
                }
            }
        }
    }

    private void down(Node n) {
        n.up = false;
        n.engine = null;
        n.pending = null;
        n.running.clear();
        n.stuck.clear();
        n.held.clear();
        Node p = n.peer();
        int inc = n.inc;
        if (p.up && Boolean.TRUE.equals(p.peerAlive)) {
            int pinc = p.inc;
            at(now + deadtime, () -> {
                if (!n.up && n.inc == inc && p.up && p.inc == pinc && Boolean.TRUE.equals(p.peerAlive)) {
                    declareDead(p, n);
                }
            });
        }
    }

    /** Membership: node n hears peer p (its status messages arrive). */
    private void hear(Node n, Node p) {
        if (!n.up || !p.up || partitioned) {
            return;
        }
        if (!Boolean.TRUE.equals(n.peerAlive) || n.peerIncSeen != p.inc) {
            if (n.peerAlive != null || (n.peerIncSeen != 0 && n.peerIncSeen != p.inc)) {
                trace(n, "Heartbeat restart on node " + p.name);
                apply(n, n.engine.peerRestarted(now, p.name));
            }
            n.peerAlive = true;
            n.peerIncSeen = p.inc;
            trace(n, "hears " + p.name);
            apply(n, n.engine.peerStatus(now, p.name, PeerStatus.ACTIVE));
        }
        commUp(n);
    }

    private void declareDead(Node n, Node p) {
        if (!n.up) {
            return;
        }
        n.peerAlive = false;
        n.held.clear();
        p.held.clear();
        trace(n, "declares " + p.name + " dead");
        apply(n, n.engine.peerDead(now, p.name));
        commUp(n);
    }

    private void commUp(Node n) {
        if (n.up && !n.commUp) {
            n.commUp = true;
            trace(n, "comm up");
            apply(n, n.engine.commUp(now));
        }
    }

    // ---------------------------------------------------------------- effects

    void apply(Node n, List<Effect> effects) {
        for (Effect e : effects) {
            if (e instanceof Effect.Send s) {
                trace(n, "send " + text(s.message()));
                checkClaim(n, s.message());
                transmit(n, s.message().append(Message.SRC, n.name));
            } else if (e instanceof Effect.Run r) {
                run(n, r.op());
            } else if (e instanceof Effect.Log l) {
                if (l.level() != Severity.DEBUG || traceAll) {
                    trace(n, l.level().word() + " [" + l.source() + "] " + l.text());
                }
            } else if (e instanceof Effect.ShutdownComplete sc) {
                trace(n, "SHUTDOWN COMPLETE" + (sc.restart() ? " (restart)" : ""));
                for (GroupSpec g : groups) {
                    if (n.runsAnyOf(g)) {
                        violation(n.name + " finished its shutdown while running group " + g.key());
                    }
                }
                down(n);
                if (sc.restart()) {
                    at(now + 1000, () -> start(n));
                } else if (autoRestart) {
                    at(now + deadtime + between(restartMin, restartMax), () -> start(n));
                }
                return;
            } else if (e instanceof Effect.ShutdownAborted ab) {
                trace(n, "SHUTDOWN ABORTED: " + ab.reason());
                n.shuttingDown = false;
            } else if (e instanceof Effect.Reboot rb) {
                trace(n, "REBOOT: " + rb.reason());
                crash(n);
                return;
            }
        }
        if (traceAll && n.up && n.engine != null) {
            OwnershipEngine e = n.engine;
            trace(n, "STATE " + e.negotiationState() + " " + e.rscStatus() + " held=" + e.held().wire() + " other="
                    + e.otherHolds().wire() + " " + e.groupStates() + " pending=" + e.pendingOp() + " busy=" + e.jobsBusy()
                    + " finished=" + e.finished() + " next=" + e.nextDeadline());
            String health = e.health(now).toString();
            if (!health.equals(n.lastHealth)) {
                n.lastHealth = health;
                trace(n, "HEALTH " + health);
            }
        }
        if (n.up && n.engine != null) {
            n.engine.nextDeadline().ifPresent(d -> {
                int inc = n.inc;
                at(d, () -> {
                    if (n.up && n.inc == inc) {
                        apply(n, n.engine.tick(now));
                    }
                });
            });
        }
        checkExclusive();
    }

    private void transmit(Node from, Message m) {
        Node to = from.peer();
        if (!to.up) {
            return;
        }
        long sendSeq = from.sendSeq++;
        int toInc = to.inc;
        int fromInc = from.inc;
        if (partitioned) {
            to.held.put(sendSeq, m);
            return;
        }
        long t = Math.max(now + between(2, 60), to.lastArrival + 1);
        to.lastArrival = t;
        at(t, () -> {
            if (!to.up || to.inc != toInc || from.inc != fromInc) {
                return;
            }
            if (partitioned) {
                to.held.put(sendSeq, m);
            } else {
                receive(to, m);
            }
        });
    }

    private void receive(Node n, Message m) {
        trace(n, "recv " + text(m));
        apply(n, n.engine.received(now, m));
    }

    private void run(Node n, ResourceOp op) {
        if (n.pending != null) {
            violation(n.name + " started " + op + " while " + n.pending + " was running");
        }
        n.pending = op;
        String id = op.group() + "/" + op.resource();
        trace(n, "run " + op.resource() + " " + op.action().word());
        boolean fail = false;
        if (op.action() == ResourceOp.Action.START) {
            n.running.put(id, true);
            starts.merge(n.name + ":" + id, 1, Integer::sum);
            fail = rnd.nextDouble() < scripts.startFail() || n.broken.contains(id);
        } else if (op.action() == ResourceOp.Action.STOP) {
            if (n.running.getOrDefault(id, false) && rnd.nextDouble() < scripts.stuck()) {
                n.stuck.add(id);
            }
            fail = n.stuck.contains(id) || rnd.nextDouble() < scripts.stopFail();
        }
        long dur = between(scripts.minMs(), scripts.maxMs());
        int inc = n.inc;
        boolean failed = fail;
        at(now + dur, () -> {
            if (!n.up || n.inc != inc) {
                return;
            }
            n.pending = null;
            OpResult result;
            switch (op.action()) {
                case START:
                    if (failed) {
                        n.running.put(id, false);
                    }
                    result = failed ? OpResult.FAILED : OpResult.OK;
                    break;
                case STOP:
                    if (!failed) {
                        n.running.put(id, false);
                    }
                    result = failed ? OpResult.FAILED : OpResult.OK;
                    break;
                default:
                    result = n.running.getOrDefault(id, false) ? OpResult.RUNNING : OpResult.NOT_RUNNING;
                    break;
            }
            trace(n, "done " + op.resource() + " " + op.action().word() + " " + result);
            apply(n, n.engine.opDone(now, op, result));
        });
    }

    // ---------------------------------------------------------------- invariants

    /** Two nodes that can talk never both run (any resource of) a group; during and right after a partition they may. */
    private void checkExclusive() {
        if (partitioned || !mustRestart.isEmpty()) {
            return;
        }
        for (GroupSpec g : groups) {
            if (a.runsAnyOf(g) && b.runsAnyOf(g)) {
                violation("both nodes run group " + g.key());
            }
        }
    }

    /**
     * A node that reports stable holdings runs nothing outside them; one that says {@code shutdone}
     * runs nothing; one that tells the requester to go ahead no longer runs that group.
     */
    private void checkClaim(Node n, Message m) {
        String t = m.type();
        if (t.equals(Messages.RESOURCE) && "full".equals(m.getOr(Messages.RTYPE, "")) && "1".equals(m.getOr(Messages.ISSTABLE, ""))) {
            ResourceSet held = ResourceSet.parse(m.getOr(Messages.RSC_HOLD, "none")).orElseThrow();
            for (GroupSpec g : groups) {
                ResourceSet kind = g.preferredBy(n.name) ? ResourceSet.LOCAL : ResourceSet.FOREIGN;
                if (!held.intersects(kind) && n.runsAnyOf(g) && !n.engine.groupStates().get(g.key()).equals(GroupState.STOP_FAILED)) {
                    violation(n.name + " reports holding " + held.wire() + " (stable) but runs " + g.key());
                }
            }
        } else if (t.equals(Messages.SHUTDONE)) {
            for (GroupSpec g : groups) {
                if (n.runsAnyOf(g)) {
                    violation(n.name + " sent shutdone while running " + g.key());
                }
            }
        } else if (t.equals(Messages.IP_REQUEST_RESP) && "OK".equals(m.getOr(Messages.OK, ""))
                && !m.getOr(Message.DEST, "").equals(n.name)) {
            for (GroupSpec g : groups) {
                if (g.key().equals(m.getOr(Messages.IPADDR, "")) && n.runsAnyOf(g)) {
                    violation(n.name + " let " + m.getOr(Message.DEST, "") + " take " + g.key() + " while running it");
                }
            }
        }
    }

    /** Liveness: every group fully runs on exactly one live node. */
    List<String> ownershipProblems() {
        List<String> problems = new ArrayList<>();
        for (GroupSpec g : groups) {
            int owners = 0;
            for (Node n : List.of(a, b)) {
                if (n.up && n.runsAllOf(g)) {
                    owners++;
                } else if (n.up && n.runsAnyOf(g)) {
                    problems.add(n.name + " runs group " + g.key() + " only partly");
                }
            }
            if ((a.up || b.up) && owners != 1) {
                problems.add("group " + g.key() + " runs on " + owners + " nodes");
            }
        }
        return problems;
    }

    private int firstViolationLine = -1;

    void violation(String what) {
        if (firstViolationLine < 0) {
            firstViolationLine = lines.size();
        }
        violations.add(String.format("t=%d %s", now, what));
    }

    /** The trace around the first violation (or its end), without script lines, for failure messages. */
    String context() {
        int end = firstViolationLine < 0 ? lines.size() : Math.min(lines.size(), firstViolationLine + 20);
        List<Line> sel = new ArrayList<>();
        for (int i = end - 1; i >= 0 && sel.size() < 150; i--) {
            String t = lines.get(i).text();
            if (!t.startsWith("run ") && !t.startsWith("done ")) {
                sel.add(0, lines.get(i));
            }
        }
        StringBuilder sb = new StringBuilder();
        sel.forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }

    void trace(Node n, String text) {
        lines.add(new Line(now, n == null ? "--" : n.name, text));
    }

    /** The trace (last lines first cut), for failure messages. */
    String tail(int count) {
        StringBuilder sb = new StringBuilder();
        for (Line l : lines.subList(Math.max(0, lines.size() - count), lines.size())) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }

    static String text(Message m) {
        StringBuilder sb = new StringBuilder();
        m.fields().forEach(f -> sb.append(sb.length() == 0 ? "" : " ").append(f.name()).append('=').append(f.text()));
        return sb.toString();
    }

    Map<String, Long> counts() {
        Map<String, Long> c = new HashMap<>();
        for (Line l : lines) {
            c.merge(l.text(), 1L, Long::sum);
        }
        return c;
    }
}
