package io.tandem.daemon.node;

import io.tandem.config.AuthKey;
import io.tandem.config.AuthKeys;
import io.tandem.config.AuthMethod;
import io.tandem.config.FailbackMode;
import io.tandem.config.Severity;
import io.tandem.daemon.log.LogText;
import io.tandem.membership.Environment;
import io.tandem.membership.MembershipConfig;
import io.tandem.membership.MembershipEngine;
import io.tandem.node.NodeCore;
import io.tandem.node.NodeEffect;
import io.tandem.node.NodeEvent;
import io.tandem.resources.GroupSpec;
import io.tandem.resources.OpResult;
import io.tandem.resources.OwnershipConfig;
import io.tandem.resources.OwnershipEngine;
import io.tandem.resources.ResourceOp;
import io.tandem.wire.Message;
import io.tandem.wire.RejectReason;
import io.tandem.wire.WireCodec;
import io.tandem.wire.WireException;
import io.tandem.wire.WireFormat;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * One node of the captured cluster (src/test/resources/captures: orasrv1.xlk.com, peer orasrv2.xlk.com,
 * ping node 192.0.2.254, the md5 key, the tutorial's group) as the daemon runs it, with a virtual
 * clock, for the fuzzer: every datagram goes through the daemon's real {@link Inbound} (decode,
 * verify, counted rejections in a real {@link RejectLog}) into a real {@link NodeCore}; the core's
 * effects are carried out as {@link ClusterNode} does, but in memory: messages are signed and
 * encoded (and must decode and verify again), resource scripts answer after 40 ms of virtual time,
 * rejections are counted, log lines checked. Timers fire as the event loop fires them.
 *
 * <p>Every broken rule is a {@link Finding}: an exception out of the core (the daemon would count it as
 * {@link RejectReason#HANDLER_FAILED}), a datagram neither delivered nor counted, an outgoing
 * message that does not encode and decode, a deadline that does not move, an event whose work
 * grows with what the network sent, a log flood.
 */
final class FuzzNode {
    static final String LOCAL = "orasrv1.xlk.com";
    static final String PEER = "orasrv2.xlk.com";
    static final String PING = "192.0.2.254";
    static final AuthKey KEY = new AuthKey(1, AuthMethod.MD5, "74a6a503b5bec9373b22bb630608df41");
    static final AuthKeys KEYS = AuthKeys.single(KEY);
    /** The media a record can arrive on: two heartbeat links and the ping node's medium. */
    static final List<String> LINKS = List.of("eth1", "eth2", PING);
    static final long KEEPALIVE = 500, DEADTIME = 3000, WARNTIME = 2000, INITDEAD = 6000;
    /** More timer steps than this for one advance of the clock is a deadline that does not move. */
    static final int MAX_TIMER_STEPS = 100_000;
    /** More effects than this for one event is work that grows with what the network sent (a table without bound). */
    static final int MAX_EFFECTS_PER_EVENT = 1_000;
    private static final long SCRIPT_MS = 40;
    private static final InetAddress FROM = InetAddress.getLoopbackAddress();

    /** A broken rule, with what happened. */
    static final class Finding extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Finding(String what, Throwable cause) {
            super(what, cause);
        }
    }

    private record Timed(long at, long order, Runnable task) {
    }

    final NodeCore core;
    final RejectLog rejects;
    private final Inbound inbound;
    private final PriorityQueue<Timed> timers = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at)
            : Long.compare(a.order, b.order));
    private final ArrayDeque<LongConsumer> posted = new ArrayDeque<>();
    private final Set<String> running = new HashSet<>();
    private final Set<String> checkedTypes = new HashSet<>();
    /** Our own messages whose fields come from the configuration and counters only. */
    private static final Set<String> ROUTINE = Set.of("status", "NS_rexmit", "NS_ackmsg");
    private long order;
    private long now;
    private boolean exited;
    /** What happened, for the report of a finding. */
    long datagrams, delivered, transmitted, logLines, rejectLogLines, scriptRuns;

    FuzzNode(long start, List<io.tandem.membership.PeerLife> past) {
        now = start;
        MembershipConfig mc = new MembershipConfig(LOCAL, List.of(LOCAL, PEER), List.of(PING), KEEPALIVE, DEADTIME, WARNTIME, INITDEAD,
                DEADTIME, start / 1000, new byte[16]);
        MembershipEngine membership = new MembershipEngine(mc, new Environment() {
            @Override
            public long random(long bound) {
                return bound / 2;
            }

            @Override
            public String loadAverage() {
                return "0.00 0.00 0.00 1/1 1";
            }
        });
        membership.remember(past);
        OwnershipEngine ownership = new OwnershipEngine(OwnershipConfig.of(LOCAL, List.of(LOCAL, PEER), FailbackMode.OFF,
                List.of(GroupSpec.of(LOCAL, "IPaddr::192.0.2.1/24/eth0", "apache2")), 4242));
        core = new NodeCore(membership, ownership);
        rejects = new RejectLog(this::rejectLine, () -> now, (delay, task) -> at(now + delay, task));
        inbound = new Inbound(KEYS, Set.of(PING), rejects, posted::add);
        inbound.target(new Inbound.Target() {
            @Override
            public void received(long t, Message message, String medium) {
                delivered++;
                event(new NodeEvent.Received(message, medium));
            }

            @Override
            public void pingReply(long t, String medium) {
                delivered++;
                event(new NodeEvent.PingReply(medium));
            }
        });
        event(new NodeEvent.Start());
    }

    long now() {
        return now;
    }

    boolean exited() {
        return exited;
    }

    /** The virtual time moves on by {@code ms}: timers and script answers fire on the way, as in the event loop. */
    void advance(long ms) {
        long until = now + ms;
        int steps = 0;
        while (!exited) {
            long next = nextWake();
            if (next > until) {
                break;
            }
            if (++steps > MAX_TIMER_STEPS) {
                throw new Finding("more than " + MAX_TIMER_STEPS + " timer steps in " + ms + " ms: a deadline that does not move (at "
                        + now + ", next " + core.nextDeadline() + ")", null);
            }
            now = Math.max(now, next);
            Timed t = timers.peek();
            if (t != null && t.at <= now) {
                timers.poll();
                t.task.run();
            } else {
                event(new NodeEvent.Timer());
            }
        }
        now = Math.max(now, until);
    }

    private long nextWake() {
        OptionalLong d = core.nextDeadline();
        long next = d.isPresent() ? d.getAsLong() : Long.MAX_VALUE;
        Timed t = timers.peek();
        return t == null ? next : Math.min(next, t.at);
    }

    /**
     * A datagram from the network on {@code link}, as the medium's receive thread hands it over. It is
     * delivered to the core or counted as rejected (or, on the ping medium, ignored when it is no ping
     * reply, as heartbeat does); anything else is a finding.
     */
    void datagram(byte[] packet, String link) {
        if (exited) {
            return;
        }
        datagrams++;
        long before = delivered + rejectedAtTheDoor();
        inbound.packet(packet, link, FROM);
        while (!posted.isEmpty()) {
            posted.poll().accept(now);
        }
        long after = delivered + rejectedAtTheDoor();
        if (after != before + 1 && !(LINKS.get(2).equals(link) && after == before)) {
            throw new Finding("a datagram of " + packet.length + " bytes on " + link + " was neither delivered nor counted ("
                    + rejects.totals() + ")", null);
        }
        Long failed = rejects.totals().get(RejectReason.HANDLER_FAILED);
        if (failed != null) {
            throw new Finding("the node failed on a message (" + failed + ")", null);
        }
    }

    /** Rejections the daemon counts before a message reaches the core. */
    long rejectedAtTheDoor() {
        Map<RejectReason, Long> t = rejects.totals();
        return t.getOrDefault(RejectReason.UNPARSEABLE, 0L) + t.getOrDefault(RejectReason.BAD_AUTH, 0L)
                + t.getOrDefault(RejectReason.OVERLOAD, 0L);
    }

    /** {@code message} (without its auth) signed with the cluster key as a peer (or a recording of one) would send it. */
    static byte[] signed(Message message, WireFormat format) {
        return WireCodec.encodeSigned(message, KEY, format);
    }

    private void event(NodeEvent e) {
        if (exited) {
            return;
        }
        NodeCore.Step step;
        try {
            step = core.on(now, e);
        } catch (RuntimeException x) {
            throw new Finding("the core threw on " + describe(e), x);
        }
        if (step.effects().size() > MAX_EFFECTS_PER_EVENT) {
            throw new Finding(step.effects().size() + " effects for one event (" + describe(e) + "): " + summary(), null);
        }
        for (NodeEffect effect : step.effects()) {
            effect(effect);
        }
    }

    private void effect(NodeEffect e) {
        if (e instanceof NodeEffect.Transmit t) {
            transmitted++;
            if (!checkedTypes.add(t.message().type()) && ROUTINE.contains(t.message().type())) {
                return; // one of each of the routine kinds an input is enough: they carry nothing of it
            }
            // what the node builds from hostile input must still go on the wire and come back whole (the
            // signature over those bytes is the same code whatever the bytes: not recomputed here)
            Message m = t.message().without(Message.AUTH);
            Message back;
            try {
                back = WireCodec.decode(WireCodec.encodeNetstring(m, "1 0")).message();
            } catch (WireException x) {
                throw new Finding("an outgoing message does not encode and decode: " + LogText.clean(m.toString()), x);
            }
            if (back.size() != m.size()) {
                throw new Finding("an outgoing message of " + m.size() + " fields comes back with " + back.size(), null);
            }
        } else if (e instanceof NodeEffect.Run r) {
            scriptRuns++;
            ResourceOp op = r.op();
            at(now + SCRIPT_MS, () -> event(new NodeEvent.OpFinished(op, outcome(op))));
        } else if (e instanceof NodeEffect.Log l) {
            logLines++;
            if (LogText.clean(l.text()).indexOf('\n') >= 0) {
                throw new Finding("a log text keeps a newline", null);
            }
        } else if (e instanceof NodeEffect.Rejected r) {
            rejects.reject(r.reason(), r::text);
        } else if (e instanceof NodeEffect.Exit) {
            exited = true;
        } else if (e instanceof NodeEffect.Fence f) {
            String node = f.node();
            at(now + SCRIPT_MS, () -> event(new NodeEvent.FenceFinished(node, false, "no STONITH device in the fuzzer")));
        }
    }

    private OpResult outcome(ResourceOp op) {
        String key = op.group() + "/" + op.resource();
        switch (op.action()) {
            case START:
                running.add(key);
                return OpResult.OK;
            case STOP:
                running.remove(key);
                return OpResult.OK;
            default:
                return running.contains(key) ? OpResult.RUNNING : OpResult.NOT_RUNNING;
        }
    }

    private void rejectLine(Severity s, String text) {
        rejectLogLines++;
        logLines++;
    }

    private void at(long t, Runnable task) {
        timers.add(new Timed(t, order++, task));
    }

    private static String describe(NodeEvent e) {
        return LogText.clean(String.valueOf(e));
    }

    /**
     * The node's own traffic stays proportional to what it was sent and to the time: its statuses,
     * answers and retransmission requests, at most {@value #SENT_PER_DATAGRAM} messages a datagram and
     * {@value #SENT_PER_KEEPALIVE} a keepalive interval. More is a table that grew with the input (every
     * entry of it is work on every tick).
     */
    void checkWork(long start) {
        long budget = SENT_PER_DATAGRAM * datagrams + SENT_PER_KEEPALIVE * ((now - start) / KEEPALIVE + 1);
        if (transmitted > budget) {
            throw new Finding(transmitted + " messages sent for " + datagrams + " datagrams in " + (now - start) + " ms (at most " + budget
                    + "): " + summary(), null);
        }
    }

    static final long SENT_PER_DATAGRAM = 20, SENT_PER_KEEPALIVE = 500;

    /** A summary for reports: counts of what the node did. */
    String summary() {
        return "datagrams " + datagrams + ", delivered " + delivered + ", transmitted " + transmitted + ", log lines " + logLines
                + " (about rejected input " + rejectLogLines + "), scripts " + scriptRuns + ", rejected " + rejects.totals();
    }

    static List<io.tandem.membership.PeerLife> noPast() {
        return new ArrayList<>();
    }
}
