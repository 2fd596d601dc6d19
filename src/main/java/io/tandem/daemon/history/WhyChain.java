package io.tandem.daemon.history;

import io.tandem.daemon.Json;
import io.tandem.daemon.log.LogText;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code tandem why [GROUP]}: the last move of a group on this node as a causal chain. The move is the
 * group's last decision (its state went to {@code starting}, {@code stopping} or {@code restarting});
 * the chain is the entry that caused it (its {@code after} field), the decision, the resource
 * operations of the group that followed, and the state the group reached, each with its time.
 */
public final class WhyChain {
    static final Set<String> DECISIONS = Set.of("starting", "stopping", "restarting");
    private static final Set<String> SERIOUS = Set.of("error", "crit", "alert", "emerg");
    private static final Set<String> TRANSIENT = Set.of("starting", "stopping", "restarting");

    /** One link: when, what kind of entry, and what it says. */
    public record Link(long time, String kind, String text) {
    }

    private WhyChain() {
    }

    /**
     * The chain of {@code group}'s last move, or of the group that moved last when {@code group} is
     * empty; empty when no such move is in {@code events} (oldest first).
     */
    public static Optional<List<Link>> of(List<StoredEvent> events, String group) {
        int d = -1;
        for (int i = events.size() - 1; i >= 0 && d < 0; i--) {
            StoredEvent e = events.get(i);
            if (e.kind().equals("group") && DECISIONS.contains(e.field("to")) && (group.isEmpty() || names(e.subject(), group))) {
                d = i;
            }
        }
        if (d < 0) {
            return Optional.empty();
        }
        StoredEvent decision = events.get(d);
        List<Link> chain = new ArrayList<>();
        List<StoredEvent> causes = causes(events, d, decision);
        for (StoredEvent c : causes) {
            chain.add(new Link(c.time(), c.kind(), causeText(c)));
        }
        // what the engine said at ERROR or worse between the cause and the decision: the reason in its words
        int from = causes.isEmpty() ? d : events.indexOf(causes.get(causes.size() - 1));
        for (int i = from + 1; i < d; i++) {
            StoredEvent e = events.get(i);
            if (e.life() == decision.life() && e.kind().equals("notice") && SERIOUS.contains(e.field("level"))) {
                chain.add(new Link(e.time(), "notice", e.cause()));
            }
        }
        String verb = decision.field("to").equals("starting") ? "takeover" : decision.field("to").equals("stopping") ? "give-up" : "restart";
        String said = verb + " of " + decision.subject() + " decided";
        if (!causes.isEmpty()) {
            said += " " + (decision.time() - causes.get(causes.size() - 1).time()) + " ms later";
        } else {
            said += " on " + decision.cause();
        }
        chain.add(new Link(decision.time(), "decision", said));
        for (int i = d + 1; i < events.size(); i++) {
            StoredEvent e = events.get(i);
            if (e.life() != decision.life()) {
                break;
            }
            if (e.kind().equals("op") && e.group().equals(decision.subject())) {
                String result = e.field("result");
                boolean fine = result.equals("ok") || result.equals("running") || result.equals("not_running") && e.field("action").equals("status");
                chain.add(new Link(e.time(), "op", e.field("resource") + " " + e.field("action") + " " + e.field("durationMs") + " ms"
                        + (fine ? "" : " (" + result + ")")));
            } else if (e.kind().equals("group") && e.subject().equals(decision.subject()) && !TRANSIENT.contains(e.field("to"))) {
                chain.add(new Link(e.time(), "group", "group " + e.field("to") + " " + (e.time() - decision.time()) + " ms after the decision"));
                break;
            } else if (e.kind().equals("group") && e.subject().equals(decision.subject()) && DECISIONS.contains(e.field("to"))) {
                break; // a newer decision (cannot happen: d is the last)
            }
        }
        return Optional.of(chain);
    }

    /** The chain as lines for a person: the first with its time, each next one after an arrow. */
    public static String human(List<Link> chain) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < chain.size(); i++) {
            Link l = chain.get(i);
            b.append(i == 0 ? "" : "  → ").append(LogText.clean(l.text())).append(i == 0 ? "" : " [" + EventText.clock(l.time()) + "]").append('\n');
        }
        return b.toString();
    }

    public static String json(String group, List<Link> chain) {
        StringBuilder b = new StringBuilder("{\"group\":").append(Json.quote(group)).append(",\"chain\":[");
        for (int i = 0; i < chain.size(); i++) {
            Link l = chain.get(i);
            b.append(i == 0 ? "" : ",").append("{\"time\":").append(Json.quote(java.time.Instant.ofEpochMilli(l.time()).toString()))
                    .append(",\"epochMs\":").append(l.time()).append(",\"kind\":").append(Json.quote(l.kind()))
                    .append(",\"text\":").append(Json.quote(l.text())).append('}');
        }
        return b.append("]}\n").toString();
    }

    /** The group a decision was about (for the JSON answer when none was named). */
    public static String groupOf(List<StoredEvent> events, String group) {
        for (int i = events.size() - 1; i >= 0; i--) {
            StoredEvent e = events.get(i);
            if (e.kind().equals("group") && DECISIONS.contains(e.field("to")) && (group.isEmpty() || names(e.subject(), group))) {
                return e.subject();
            }
        }
        return group;
    }

    /** A group is named by its key (its first resource) or by that resource's agent name ({@code IPaddr} of {@code IPaddr::10.0.0.1}). */
    static boolean names(String key, String name) {
        return key.equals(name) || key.startsWith(name + "::");
    }

    /** The entries the decision goes back to through their {@code after} fields (at most 8), the oldest first. */
    private static List<StoredEvent> causes(List<StoredEvent> events, int d, StoredEvent decision) {
        List<StoredEvent> found = new ArrayList<>();
        StoredEvent at = decision;
        int i = d;
        while (found.size() < 8 && !at.field("after").isEmpty()) {
            String after = at.field("after");
            StoredEvent next = null;
            for (i = i - 1; i >= 0; i--) {
                StoredEvent e = events.get(i);
                if (e.life() == decision.life() && Long.toString(e.seq()).equals(after)) {
                    next = e;
                    break;
                }
            }
            if (next == null) {
                break;
            }
            found.add(0, next);
            at = next;
        }
        return found;
    }

    private static String causeText(StoredEvent c) {
        String at = " at " + EventText.clock(c.time());
        return switch (c.kind()) {
            case "node-dead" -> c.subject() + " declared dead" + at + (c.field("lastHeard").isEmpty() ? " (never heard"
                    : " (last heartbeat " + EventText.clock(Long.parseLong(c.field("lastHeard"))) + " on " + c.field("link"))
                    + ", deadtime " + c.field("deadtimeMs") + " ms)";
            case "operator" -> "operator " + (c.field("user").isEmpty() ? "" : c.field("user") + " ") + "ran " + c.cause() + at;
            case "message" -> c.cause() + at;
            case "op" -> c.field("resource") + " " + c.cause() + (c.field("durationMs").isEmpty() ? "" : " in " + c.field("durationMs") + " ms") + at;
            default -> c.kind() + " " + c.subject() + at + " (" + c.cause() + ")";
        };
    }
}
