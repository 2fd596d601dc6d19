package io.tandem.node;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of the event history (docs/observability.md): what happened to the cluster, when, to
 * what, and why. The core makes them ({@link NodeEffect.Recorded}); the shell stores and shows them.
 *
 * @param seq     this node's number for the event, rising within one life of the daemon; {@code after}
 *                fields refer to it
 * @param time    the core's time of the event (ms)
 * @param kind    what happened, one of the words of {@link Kind}
 * @param subject what it happened to: a node, {@code node:link}, a group, {@code group/resource}
 * @param cause   why, in words (a value from the network is kept as it came; the shell escapes it)
 * @param fields  details by name, in order (values are plain text)
 */
public record ClusterEvent(long seq, long time, String kind, String subject, String cause, Map<String, String> fields) {
    public ClusterEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(cause, "cause");
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** The kinds of events (their {@link #word}s are what {@code kind} holds). */
    public enum Kind {
        NODE_DEAD, NODE_UP, LINK_DEAD, LINK_UP, NODE_RESTARTED, COMM_UP,
        /** A group changed state here: the decision (to starting/stopping) or its end (running/stopped/failed). */
        GROUP,
        /** A resource operation finished (start, stop, status). */
        OP,
        /** A message of the ownership protocol from a peer (takeover request, standby legs, resource claims). */
        MESSAGE,
        /** An operator's command (hb_standby, hb_takeover, cleanup, stop). */
        OPERATOR, FENCE, FENCE_DEVICE, ADDRESS_IN_USE, ADDRESS_CONFLICT, FREEZE, RELOAD,
        /** A warning or worse of the ownership engine: refusals, tiebreak hand-overs, healing releases. */
        NOTICE;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** A field, or "" when absent. */
    public String field(String name) {
        return fields.getOrDefault(name, "");
    }
}
