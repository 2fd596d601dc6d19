package io.tandem.sim;

import io.tandem.node.NodeCore;
import io.tandem.node.NodeEffect;
import io.tandem.node.NodeEvent;
import io.tandem.resources.GroupSpec;
import io.tandem.resources.OpResult;
import io.tandem.resources.ResourceOp;
import io.tandem.wire.Message;

/**
 * The daemon of each simulated node, as {@code daemon/node/ClusterNode} is for a real one: it hands
 * events to the node's {@link NodeCore} (or keeps them while the node is frozen) and does what the core
 * asks: packets out on the simulated link (sealed) and in (opened), scripts on the node's
 * {@link Machine}, its timer, the peers' lives it keeps, the exit.
 */
final class Shell {
    private final Cluster c;

    Shell(Cluster c) {
        this.c = c;
    }

    /** One event into a node's core (or its backlog while frozen), then its effects. */
    void event(Cluster.Node n, NodeEvent e) {
        if (!n.up()) {
            return;
        }
        if (n.frozen) {
            n.backlog.add(() -> event(n, e));
            return;
        }
        NodeCore.Step step = n.core.on(c.now, e);
        int life = n.life;
        for (NodeEffect effect : step.effects()) {
            if (n.life != life || !n.up()) {
                break;
            }
            perform(n, effect);
        }
        if (n.up() && n.life == life) {
            step.nextDeadline().ifPresent(at -> wakeAt(n, e, at));
            c.invariants.watchDeaths(n);
        }
        c.invariants.check();
        c.afterEvent.run();
    }

    private void wakeAt(Cluster.Node n, NodeEvent e, long at) {
        if (at <= c.now && e instanceof NodeEvent.Timer && ++n.spins > 1_000) {
            c.violation(n.name + " asks to be woken at " + at + " again and again (busy loop): membership " + n.core.membership().nextDeadline()
                    + ", ownership " + n.core.ownership().nextDeadline() + " " + n.core.ownership().negotiationState());
        }
        if (at > c.now) {
            n.spins = 0;
        }
        long token = ++n.timerToken;
        c.at(at, () -> {
            if (n.timerToken == token) {
                event(n, new NodeEvent.Timer());
            }
        });
    }

    private void perform(Cluster.Node n, NodeEffect effect) {
        if (c.effects != null) {
            c.effects.accept(n, effect);
        }
        if (effect instanceof NodeEffect.Transmit t) {
            transmit(n, t.message());
        } else if (effect instanceof NodeEffect.Run r) {
            run(n, r.op());
        } else if (effect instanceof NodeEffect.Log l) {
            c.note(n, l);
        } else if (effect instanceof NodeEffect.PeerLifeChanged p) {
            n.lives.put(p.life().node(), p.life());
        } else if (effect instanceof NodeEffect.Rejected r) {
            n.rejected.merge(r.reason(), 1, Integer::sum);
            c.note(n, "REJECTED " + r.reason() + ": " + r.text());
        } else if (effect instanceof NodeEffect.Delivered d) {
            n.delivered.add(d.message());
        } else if (effect instanceof NodeEffect.Exit x) {
            c.note(n, "EXIT " + x.code());
            if (x.code() == 0) {
                c.invariants.leftCleanly(n);
            }
            c.down(n);
            if (x.code() != 0) {
                c.note(n, "REBOOT: every resource of the machine is gone");
                n.machine.clear();
            }
        } else if (effect instanceof NodeEffect.Announce a) {
            c.note(n, "announce " + a.resource());
            c.addresses.announced(n, a.resource());
        } else if (effect instanceof NodeEffect.Fence f && c.fencing != null) {
            c.fencing.fence(c, n, f.node());
        } else if (effect instanceof NodeEffect.CheckDevice d && c.fencing != null) {
            c.fencing.status(c, n, d.device());
        } else if (effect instanceof NodeEffect.ProbeAddress p) {
            c.note(n, (p.atStart() ? "probe at start-up " : "probe before death ") + p.resource() + " (" + p.id() + ")");
            c.addresses.probeAhead(n, p.id(), p.resource());
        }
    }

    private void transmit(Cluster.Node from, Message m) {
        if (!m.type().equals("status")) {
            c.note(from, new Trace.Sent(m));
        }
        c.invariants.claim(from, m);
        byte[] packet = Wire.seal(m);
        if (c.adversary != null) {
            c.adversary.overheard(packet);
        }
        for (Cluster.Node to : c.nodes.values()) {
            if (to == from || !c.linked(from, to) || c.random.nextDouble() < c.loss) {
                continue;
            }
            int copies = c.random.nextDouble() < c.duplicate ? 2 : 1;
            for (int i = 0; i < copies; i++) {
                c.at(c.now + c.delay(), () -> {
                    if (c.linked(from, to)) {
                        deliver(to, packet);
                    }
                });
            }
        }
    }

    /** A packet arrives at a node: opened as the daemon's Inbound does, then into its core. */
    void deliver(Cluster.Node to, byte[] packet) {
        if (to.up()) {
            Message got = Wire.open(packet, to.rejected);
            if (got != null) {
                event(to, new NodeEvent.Received(got, Cluster.LINK));
            }
        }
    }

    private void run(Cluster.Node n, ResourceOp op) {
        if (n.pending != null) {
            c.violation(n.name + " runs " + op + " while " + n.pending + " is still running");
        }
        n.pending = op;
        GroupSpec g = c.group(op.group());
        Machine.Res r = n.machine.res(op.group(), op.resource());
        Cluster.Script behaviour = n.scripts.getOrDefault(op.resource(), Cluster.Script.OK);
        if (op.action() == ResourceOp.Action.START && !c.warm.contains(op.resource()) && !c.mayRunTwice.contains(op.resource())) {
            // a warm or may-run-twice resource may run on both nodes: what is promised about starts is for the others
            c.observer.starting(n, g);
            c.invariants.startsAlone(n, g);
            if (c.fencing != null) {
                c.fencing.checkStart(c, n, g);
            }
        }
        if (op.action() == ResourceOp.Action.START) {
            n.machine.starting(r, op, n.life);
        }
        Cluster.Settings s = c.settings;
        long took = c.between(s.scriptMin(), s.scriptMax()) * (behaviour == Cluster.Script.SLOW ? 1 + c.random.nextInt(10) : 1);
        boolean hang = behaviour == Cluster.Script.HANGING && op.action() == ResourceOp.Action.START;
        long limit = op.timeoutMs() > 0 ? op.timeoutMs() : s.scriptTimeout();
        long duration = hang ? limit : Math.min(took, limit);
        // a start marked pre-probed takes the probe begun before the death: the daemon waits for the rest of it first
        SimAddresses.PreProbe pre = op.action() == ResourceOp.Action.START && op.preProbed() ? c.addresses.takePreProbe(n, op.resource()) : null;
        long wait = pre != null && !pre.done ? Math.max(0, pre.endsAt - c.now) : 0;
        int life = n.life;
        Machine machine = n.machine;
        c.note(n, new Trace.Ran(op, behaviour, duration));
        if (op.action() == ResourceOp.Action.STOP && SimAddresses.isAddress(op.resource()) && behaviour != Cluster.Script.CANNOT_STOP
                && !hang && took <= limit && r.running) {
            // the daemon's fast address step: the address goes halfway through the stop, its script's rest follows
            c.at(c.now + duration / 2, () -> {
                if (!machine.has(r) || !n.up() || n.life != life || !op.equals(n.pending) || !r.running) {
                    return; // the step runs in the daemon: a killed daemon leaves it to the script
                }
                r.running = false;
                r.starting = false;
                r.adopted = false;
                c.note(n, "address of " + op.resource() + " gone (address step)");
                event(n, new NodeEvent.AddressReleased(op));
            });
        }
        c.at(c.now + wait + duration, () -> {
            if (!machine.has(r)) {
                return; // powered off meanwhile
            }
            String answering = hang || took > limit || behaviour == Cluster.Script.FAILING ? null : c.addresses.answering(n, op, pre);
            if (answering != null) {
                r.starting = false; // another machine answered the probe: nothing is added
            }
            OpResult result = answering != null ? OpResult.ADDRESS_IN_USE : Machine.outcome(r, op, behaviour, hang || took > limit);
            if (op.action() == ResourceOp.Action.STOP && result == OpResult.OK && n.failingTails.contains(op.resource())) {
                result = OpResult.FAILED; // the script's rest fails (after the address step: the address stays gone); so do its retries
            }
            if (op.action() == ResourceOp.Action.STATUS && n.unknownStatus.contains(op.resource())) {
                result = OpResult.FAILED; // the status call says nothing (killed at its time limit)
            }
            if (result == OpResult.OK && op.action() == ResourceOp.Action.START) {
                c.addresses.added(n, op);
            }
            if (!n.up() || n.life != life) {
                r.orphanAt = c.now; // a script of a killed daemon finished: no daemon hears of it
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
                event(n, answering != null ? new NodeEvent.AddressInUse(op, answering) : new NodeEvent.OpFinished(op, result));
            }
        });
    }
}
