package io.tandem.node;

import io.tandem.config.Severity;
import io.tandem.resources.GroupState;
import io.tandem.resources.OpResult;
import io.tandem.resources.ResourceOp;
import io.tandem.wire.Message;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Makes the event history's entries ({@link ClusterEvent}) from what {@link NodeCore} sees: the event
 * it takes, what membership reports, the operations it asks for and the group states before and after.
 * Each step has a trigger (the first cause-like entry of the step, else the event itself in words);
 * a group's change of state names it in {@code after}, so a decision can be traced to its cause; so does an
 * operation the step asked for (a takeover's status probe of an address, whose answer is what the
 * decision then follows: node-dead → probe → takeover).
 * Pure: the time comes with each call; tables are bounded.
 */
final class EventRecorder {
    /** The ownership protocol's message types worth an entry (heartbeat's names). */
    private static final Set<String> PROTOCOL = Set.of("starting", "resource", "ask_resources", "hb_takeover",
            "ip-request", "ip-request-resp", "shutdone", "stonith", "rsc_hold");
    /** At most this many nodes and links remembered (names come from authenticated peers, yet bounded). */
    private static final int MAX_LINKS = 64;
    private static final int MAX_TEXT = 200;

    private Consumer<NodeEffect> sink = e -> { };
    private long seq;
    /** The step's trigger: its sequence number (0 = none yet) and words. */
    private long triggerSeq;
    private String trigger = "";
    private NodeEvent event;
    private Map<String, GroupState> before = Map.of();
    /** node → link → last time a packet was accepted from it on that link. */
    private final Map<String, Map<String, Long>> lastHeard = new HashMap<>();
    private final Map<ResourceOp, Long> running = new HashMap<>();
    /** The trigger of the step that asked for each running operation (its {@code after} when it finishes). */
    private final Map<ResourceOp, Long> askedBy = new HashMap<>();
    /** The operator's standby this node asked its peer to answer (its entry's number), or 0. */
    private long standbyAsked;

    /** Starts a step: where entries go, the groups' states before it, and the event (put in words only when needed). */
    void begin(Consumer<NodeEffect> to, Map<String, GroupState> groups, NodeEvent event) {
        this.sink = to;
        this.before = groups;
        this.triggerSeq = 0;
        this.trigger = null;
        this.event = event;
    }

    /** An entry; the first cause-like one of a step becomes its trigger. */
    long record(long now, ClusterEvent.Kind kind, String subject, String cause, boolean triggers, String... fields) {
        Map<String, String> f = new LinkedHashMap<>();
        for (int i = 0; i + 1 < fields.length; i += 2) {
            f.put(fields[i], clip(fields[i + 1]));
        }
        long n = ++seq;
        sink.accept(new NodeEffect.Recorded(new ClusterEvent(n, now, kind.word(), clip(subject), clip(cause), f)));
        if (triggers && triggerSeq == 0) {
            triggerSeq = n;
            trigger = kind.word() + " " + clip(subject) + (cause.isEmpty() ? "" : " (" + clip(cause) + ")");
        }
        return n;
    }

    /** A packet accepted from {@code node} on {@code link} (for "last heard ... on ..."). */
    void heard(long now, String node, String link) {
        String n = node.toLowerCase(Locale.ROOT);
        if (!lastHeard.containsKey(n) && lastHeard.size() >= MAX_LINKS) {
            return;
        }
        Map<String, Long> links = lastHeard.computeIfAbsent(n, k -> new HashMap<>());
        if (links.containsKey(link) || links.size() < MAX_LINKS) {
            links.put(link, now);
        }
    }

    void nodeStatus(long now, String node, String status, long deadtimeMs) {
        String s = status.toLowerCase(Locale.ROOT);
        if (s.equals("dead")) {
            Map<String, Long> links = lastHeard.getOrDefault(node.toLowerCase(Locale.ROOT), Map.of());
            String link = "";
            long last = -1;
            for (Map.Entry<String, Long> e : links.entrySet()) {
                if (e.getValue() > last) {
                    last = e.getValue();
                    link = e.getKey();
                }
            }
            if (last < 0) {
                record(now, ClusterEvent.Kind.NODE_DEAD, node, "never heard, deadtime " + deadtimeMs + " ms", true,
                        "deadtimeMs", Long.toString(deadtimeMs));
            } else {
                record(now, ClusterEvent.Kind.NODE_DEAD, node, "silent " + (now - last) + " ms, deadtime " + deadtimeMs + " ms", true,
                        "lastHeard", Long.toString(last), "link", link, "silentMs", Long.toString(now - last),
                        "deadtimeMs", Long.toString(deadtimeMs));
            }
        } else if (s.equals("active") || s.equals("up")) {
            record(now, ClusterEvent.Kind.NODE_UP, node, "status " + s, true, "status", s);
        }
    }

    void linkStatus(long now, String node, String link, boolean up) {
        if (up) {
            record(now, ClusterEvent.Kind.LINK_UP, node + ":" + link, "a packet arrived on it", false);
            return;
        }
        Long last = lastHeard.getOrDefault(node.toLowerCase(Locale.ROOT), Map.of()).get(link);
        if (last == null) {
            record(now, ClusterEvent.Kind.LINK_DEAD, node + ":" + link, "silent for its deadtime", false);
        } else {
            record(now, ClusterEvent.Kind.LINK_DEAD, node + ":" + link, "silent " + (now - last) + " ms", false,
                    "lastHeard", Long.toString(last), "silentMs", Long.toString(now - last));
        }
    }

    /** A message of a peer delivered to ownership: the protocol's ones get an entry. */
    void delivered(long now, Message m) {
        String type = m.type();
        if (!PROTOCOL.contains(type)) {
            return;
        }
        String from = m.getOr(Message.SRC, "?");
        String rsc = m.getOr("rsc_hold", m.getOr("ipaddr", ""));
        String info = m.getOr("info", "");
        // The peer's answer to our own standby request: its cause is the operator's command here.
        boolean answer = standbyAsked != 0 && type.equals("ask_resources") && info.equals("other");
        record(now, ClusterEvent.Kind.MESSAGE, from, type + (info.isEmpty() ? "" : " " + info) + " from " + from, true, "type", type,
                "from", from, "resources", rsc, "info", info, "after", answer ? Long.toString(standbyAsked) : "");
        if (answer) {
            standbyAsked = 0;
        }
    }

    /** An operator's command (its entry is the step's trigger): a standby waits for the peer's answer. */
    void operator(long now, String command) {
        long n = record(now, ClusterEvent.Kind.OPERATOR, "local", command, true, "command", command);
        if (command.startsWith("hb_standby")) {
            standbyAsked = n;
        }
    }

    void started(long now, ResourceOp op) {
        if (running.size() < 256) {
            running.put(op, now);
            if (triggerSeq != 0) {
                askedBy.put(op, triggerSeq);
            } else {
                askedBy.remove(op);
            }
        }
    }

    void finished(long now, ResourceOp op, OpResult result) {
        Long at = running.remove(op);
        Long cause = askedBy.remove(op);
        long took = at == null ? -1 : now - at;
        boolean quietStatus = op.action() == ResourceOp.Action.STATUS && result == OpResult.RUNNING;
        if (quietStatus) {
            return; // a passing monitor check is no event
        }
        record(now, ClusterEvent.Kind.OP, op.group() + "/" + op.resource(), op.action().word() + " " + result.name().toLowerCase(Locale.ROOT),
                op.action() != ResourceOp.Action.STATUS || result != OpResult.RUNNING,
                "group", op.group(), "resource", op.resource(), "action", op.action().word(),
                "result", result.name().toLowerCase(Locale.ROOT), "durationMs", Long.toString(took),
                "started", at == null ? "" : Long.toString(at), "after", cause == null ? "" : Long.toString(cause));
    }

    /** Warnings and worse of the engines: refusals, hand-overs, conflicts, in their own words. */
    void notice(long now, Severity level, String source, String text) {
        if (level.ordinal() > Severity.WARN.ordinal()) {
            return;
        }
        record(now, ClusterEvent.Kind.NOTICE, source, text, false, "level", level.name().toLowerCase(Locale.ROOT));
    }

    /** Ends a step: each group whose state changed gets an entry naming the step's trigger. */
    void end(long now, Map<String, GroupState> after) {
        for (Map.Entry<String, GroupState> e : after.entrySet()) {
            GroupState was = before.getOrDefault(e.getKey(), GroupState.STOPPED);
            if (was != e.getValue()) {
                if (trigger == null) {
                    trigger = EventWords.of(event);
                }
                record(now, ClusterEvent.Kind.GROUP, e.getKey(), trigger, false, "from", was.text(), "to", e.getValue().text(),
                        "after", triggerSeq == 0 ? "" : Long.toString(triggerSeq));
            }
        }
        sink = x -> { };
        event = null;
    }

    private static String clip(String s) {
        return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT) + "...";
    }
}
