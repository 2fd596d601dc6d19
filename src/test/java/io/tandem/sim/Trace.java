package io.tandem.sim;

import io.tandem.node.NodeEffect;
import io.tandem.resources.ResourceOp;
import io.tandem.wire.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * What happened in a run, for a violation's message and for tests' assertions: faults and commands,
 * every log line, every message sent but statuses, every script run. It keeps the last {@link #TAIL}
 * lines, or all of them after {@link #keepAll()}.
 */
final class Trace {
    static final int TAIL = 600;

    /** One line: the time, the node ({@code *} for the network), and what ({@link NodeEffect.Log}, {@link Sent}, {@link Ran} or a text). */
    record Line(long at, String node, Object what) {
        @Override
        public String toString() {
            return String.format("%9d %-3s %s", at, node, text());
        }

        String text() {
            return what instanceof NodeEffect.Log l ? l.priority() + " " + l.source() + ": " + l.text() : what.toString();
        }
    }

    /** A message a node sent (its membership fields included). */
    record Sent(Message message) {
        /** The fields the sender's ownership engine wrote (those before membership's {@code src}), as {@code t=... f=v}. */
        String callerFields() {
            StringBuilder b = new StringBuilder();
            for (io.tandem.wire.Field f : message.fields()) {
                if (f.name().equals(Message.SRC)) {
                    break;
                }
                b.append(b.length() == 0 ? "" : " ").append(f.name()).append('=').append(f.text());
            }
            return b.toString();
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("send ").append(message.type());
            for (String f : List.of("rsc_hold", "info", "node", "dest", "ok", "isstable")) {
                String v = message.getOr(f, null);
                if (v != null) {
                    b.append(' ').append(f).append('=').append(v);
                }
            }
            return b.toString();
        }
    }

    /** A script a node ran, how its script behaves there and how long it took. */
    record Ran(ResourceOp op, Cluster.Script behaviour, long ms) {
        @Override
        public String toString() {
            return "run " + op.resource() + " " + op.action().word() + (op.preProbed() ? " pre-probed" : "") + " (" + behaviour + ", " + ms + " ms)";
        }
    }

    private final ArrayDeque<Line> lines = new ArrayDeque<>();
    private boolean all;

    /** From now on nothing is dropped (for tests that read the whole run). */
    void keepAll() {
        all = true;
    }

    void add(long at, String node, Object what) {
        if (!all && lines.size() == TAIL) {
            lines.removeFirst();
        }
        lines.addLast(new Line(at, node, what));
    }

    List<Line> lines() {
        return new ArrayList<>(lines);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        lines.forEach(l -> b.append(l).append('\n'));
        return b.toString();
    }

    /** The last {@code count} lines. */
    String tail(int count) {
        StringBuilder b = new StringBuilder();
        lines.stream().skip(Math.max(0, lines.size() - count)).forEach(l -> b.append(l).append('\n'));
        return b.toString();
    }
}
