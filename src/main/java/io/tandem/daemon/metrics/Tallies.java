package io.tandem.daemon.metrics;

import io.tandem.daemon.history.StoredEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the metrics count over the daemon's life, from the two sources that already have it: the
 * event history's entries as they are stored ({@link #event}: decisions by cause, monitor failures,
 * entries by kind) and each resource operation as the shell saw it end ({@link #operation}: counts and
 * durations by agent, action and result, passing status checks included, which the history leaves
 * out). Counters start at zero with each life of the daemon, as Prometheus counters may.
 *
 * <p>Used on the event loop only; {@link #copy} gives the published snapshot its own. Every table is
 * bounded (names come from the configuration, yet bounded): past its bound a new key counts under
 * {@code other}.
 */
public final class Tallies {
    static final int MAX_KEYS = 256;
    /** How many recent entries' causes are remembered, for the {@code after} of a decision. */
    static final int MAX_CAUSES = 1024;
    static final String OTHER = "other";

    /** Entries that are no step's cause: what a step did, not why. */
    private static final java.util.Set<String> NOT_STEP_CAUSES = java.util.Set.of("op", "group", "notice", "link-up", "link-dead");
    /** A step's time → the cause of its first causing entry (bounded as {@link #causes}). */
    private final LinkedHashMap<Long, String> steps = new LinkedHashMap<>(64, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > MAX_CAUSES;
        }
    };
    /** agent, action, result → durations. */
    private final Map<List<String>, Durations> operations = new LinkedHashMap<>();
    /** decision, cause → count. */
    private final Map<List<String>, Long> decisions = new LinkedHashMap<>();
    /** group, resource → count. */
    private final Map<List<String>, Long> monitorFailures = new LinkedHashMap<>();
    private final Map<String, Long> entries = new LinkedHashMap<>();
    /** group → its last state here (from the history's group entries). */
    private final Map<String, String> groupStates = new LinkedHashMap<>();
    private final LinkedHashMap<Long, String> causes = new LinkedHashMap<>(64, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > MAX_CAUSES;
        }
    };

    /** A resource operation ended: {@code resource} as haresources names it (its agent is the word before {@code ::}). */
    public void operation(String resource, String action, String result, long durationMs) {
        List<String> key = bounded(operations, List.of(agent(resource), action, result));
        operations.computeIfAbsent(key, k -> new Durations()).observe(durationMs);
    }

    /** An entry of the event history, as it is stored. */
    public void event(StoredEvent e) {
        add(entries, e.kind().length() <= 32 ? e.kind() : OTHER);
        String own = cause(e);
        String after = e.field("after");
        String resolved = own;
        if (after.matches("\\d{1,18}") && causes.containsKey(Long.parseLong(after))) {
            resolved = causes.get(Long.parseLong(after));
        } else if (e.kind().equals("op") && e.field("started").matches("\\d{1,18}")
                && steps.containsKey(Long.parseLong(e.field("started")))) {
            // an operation asked for in a step that had a cause (a takeover's status probe after a node's
            // death): the decision its end brings is that cause's
            resolved = steps.get(Long.parseLong(e.field("started")));
        }
        causes.put(e.seq(), resolved);
        if (!NOT_STEP_CAUSES.contains(e.kind())) {
            steps.putIfAbsent(e.time(), resolved);
        }
        if (e.kind().equals("group")) {
            String decision = switch (e.field("to")) {
                case "starting" -> "takeover";
                case "stopping" -> "giveup";
                case "restarting" -> "restart";
                default -> "";
            };
            if (!decision.isEmpty()) {
                add(decisions, List.of(decision, after.isEmpty() ? OTHER : resolved));
            }
            if (groupStates.containsKey(e.subject()) || groupStates.size() < MAX_KEYS) {
                groupStates.put(e.subject(), e.field("to"));
            }
        } else if (e.kind().equals("op") && e.field("action").equals("status")
                && (e.field("result").equals("not_running") || e.field("result").equals("failed"))
                && "running".equals(groupStates.get(e.field("group")))) {
            add(monitorFailures, List.of(e.field("group"), e.field("resource")));
        }
    }

    /** What made a decision, in a label's words: the kind of the entry its {@code after} names. */
    static String cause(StoredEvent e) {
        switch (e.kind()) {
            case "node-dead":
                return "node_dead";
            case "node-restarted":
                return "node_restarted";
            case "comm-up":
                return "start";
            case "message":
                return switch (e.field("type")) {
                    case "ask_resources" -> "peer_standby";
                    case "hb_takeover" -> "peer_takeover";
                    case "starting", "resource", "rsc_hold" -> "peer_claim";
                    case "shutdone" -> "peer_shutdown";
                    default -> "peer_message";
                };
            case "operator":
                String command = e.field("command");
                return command.startsWith("hb_standby") ? "operator_standby" : command.startsWith("hb_takeover") ? "operator_takeover"
                        : command.startsWith("cleanup") ? "operator_cleanup" : command.startsWith("stop") ? "operator_stop" : "operator";
            case "op":
                return e.field("action").equals("status") ? "monitor" : "operation";
            case "address-in-use":
            case "address-conflict":
                return "address_guard";
            case "fence":
            case "fence-device":
                return "fence";
            case "freeze":
                return "freeze";
            case "reload":
                return "reload";
            case "notice":
                return "notice";
            case "node-up":
                return "node_up";
            default:
                return OTHER;
        }
    }

    /** The agent of a haresources resource: {@code IPaddr::192.0.2.1/24} is IPaddr's, {@code apache2} apache2's. */
    static String agent(String resource) {
        int i = resource.indexOf("::");
        return i < 0 ? resource : resource.substring(0, i);
    }

    public Tallies copy() {
        Tallies t = new Tallies();
        operations.forEach((k, v) -> t.operations.put(k, v.copy()));
        t.decisions.putAll(decisions);
        t.monitorFailures.putAll(monitorFailures);
        t.entries.putAll(entries);
        return t;
    }

    Map<List<String>, Durations> operations() {
        return operations;
    }

    Map<List<String>, Long> decisions() {
        return decisions;
    }

    Map<List<String>, Long> monitorFailures() {
        return monitorFailures;
    }

    Map<String, Long> entries() {
        return entries;
    }

    private static <K> void add(Map<K, Long> m, K key) {
        m.merge(bounded(m, key), 1L, Long::sum);
    }

    @SuppressWarnings("unchecked")
    private static <K> K bounded(Map<K, ?> m, K key) {
        if (m.containsKey(key) || m.size() < MAX_KEYS) {
            return key;
        }
        if (key instanceof List<?> l) {
            return (K) java.util.Collections.nCopies(l.size(), OTHER);
        }
        return (K) OTHER;
    }

}
