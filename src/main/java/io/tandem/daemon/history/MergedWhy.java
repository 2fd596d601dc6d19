package io.tandem.daemon.history;

import io.tandem.daemon.Json;
import io.tandem.daemon.log.LogText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code tandem why} over both nodes' histories: the chain of the group's last move on whichever node
 * made it (its cause, decision, operations, end state: {@link WhyChain}), preceded by the other node's
 * own move of that group that led up to it — the giver's give-up and stop operations before a
 * standby's takeover, a node's shutdown and failed stop before the survivor declared it dead — when
 * that move came after the deciding node's previous move of the group and at most {@link #WINDOW_MS}
 * before the decision. Each step is marked with its node, and the steps are ordered by their own
 * times (which assumes NTP-synced clocks).
 */
public final class MergedWhy {
    /** How far back the other node's move may lie. */
    static final long WINDOW_MS = 10 * 60_000;

    /** One step of the chain and the node whose history it comes from. */
    public record Step(String node, WhyChain.Link link) {
    }

    /** The group's key (its first resource) and the steps of its last move. */
    public record Answer(String group, List<Step> steps) {
    }

    private MergedWhy() {
    }

    /** The merged chain of {@code group} (empty: the last move), or empty when neither history holds a move of it. */
    public static Optional<Answer> of(String localNode, List<StoredEvent> local, PeerView peer, String group) {
        StoredEvent l = last(local, group, Long.MAX_VALUE, s -> true);
        StoredEvent p = last(peer.events(), group, Long.MAX_VALUE, s -> true);
        if (l == null && p == null) {
            return Optional.empty();
        }
        boolean localMain = p == null || l != null && l.time() >= p.time();
        StoredEvent decision = localMain ? l : p;
        List<StoredEvent> main = localMain ? local : peer.events();
        List<StoredEvent> other = localMain ? peer.events() : local;
        String mainNode = localMain ? localNode : peer.node();
        String otherNode = localMain ? peer.node() : localNode;
        String key = decision.subject();
        List<Step> steps = new ArrayList<>();
        StoredEvent before = previous(main, decision);
        long from = Math.max(before == null ? Long.MIN_VALUE : before.time() + 1, decision.time() - WINDOW_MS);
        StoredEvent earlier = last(other, key, decision.time(), s -> s.equals(key));
        if (earlier != null && earlier.time() >= from) {
            List<StoredEvent> upTo = other.stream().filter(e -> e.time() <= decision.time()).toList();
            WhyChain.of(upTo, key).ifPresent(c -> c.forEach(link -> steps.add(new Step(otherNode, link))));
        }
        WhyChain.of(main, group).orElseThrow().forEach(link -> steps.add(new Step(mainNode, link)));
        steps.sort(Comparator.comparingLong(s -> s.link().time())); // stable: the other node's first at equal times
        return Optional.of(new Answer(key, steps));
    }

    /** One line per step, {@code NODE: TEXT}, each after the first behind an arrow with its time; values made printable. */
    public static String human(List<Step> steps) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            b.append(i == 0 ? "" : "  → ").append(LogText.clean(s.node())).append(": ").append(LogText.clean(s.link().text()))
                    .append(i == 0 ? "" : " [" + EventText.clock(s.link().time()) + "]").append('\n');
        }
        return b.toString();
    }

    /** {@code {"group":...,"chain":[{"time","epochMs","node","kind","text"}],"peer":{...}}}. */
    public static String json(Answer answer, PeerView peer) {
        List<Step> steps = answer.steps();
        StringBuilder b = new StringBuilder("{\"group\":").append(Json.quote(answer.group())).append(",\"chain\":[");
        for (int i = 0; i < steps.size(); i++) {
            WhyChain.Link l = steps.get(i).link();
            b.append(i == 0 ? "" : ",").append("{\"time\":").append(Json.quote(java.time.Instant.ofEpochMilli(l.time()).toString()))
                    .append(",\"epochMs\":").append(l.time()).append(",\"node\":").append(Json.quote(steps.get(i).node()))
                    .append(",\"kind\":").append(Json.quote(l.kind())).append(",\"text\":").append(Json.quote(l.text())).append('}');
        }
        return b.append("],\"peer\":").append(peer.json()).append("}\n").toString();
    }

    /** The last decision of a group named {@code group} (or any, when empty) at or before {@code until}. */
    private static StoredEvent last(List<StoredEvent> events, String group, long until, java.util.function.Predicate<String> exact) {
        for (int i = events.size() - 1; i >= 0; i--) {
            StoredEvent e = events.get(i);
            if (e.time() <= until && e.kind().equals("group") && WhyChain.DECISIONS.contains(e.field("to"))
                    && (group.isEmpty() || WhyChain.names(e.subject(), group)) && exact.test(e.subject())) {
                return e;
            }
        }
        return null;
    }

    /** The decision about the same group before {@code decision} in its own history. */
    private static StoredEvent previous(List<StoredEvent> events, StoredEvent decision) {
        int at = events.indexOf(decision);
        for (int i = at - 1; i >= 0; i--) {
            StoredEvent e = events.get(i);
            if (e.kind().equals("group") && e.subject().equals(decision.subject()) && WhyChain.DECISIONS.contains(e.field("to"))) {
                return e;
            }
        }
        return null;
    }
}
