package io.tandem.daemon.node;

import io.tandem.daemon.control.ControlReply;
import io.tandem.daemon.history.EventText;
import io.tandem.daemon.history.MergedWhy;
import io.tandem.daemon.history.PeerView;
import io.tandem.daemon.history.StoredEvent;
import io.tandem.daemon.history.WhyChain;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The control socket's {@code events [--since DURATION] [--json] [--local]} and {@code why [GROUP] [--json]
 * [--local]} (docs/observability.md): this node's history, merged with the peer's when tandem.cf names
 * one ({@code http_peer}) and {@code --local} is not given. The peer is read by {@link Peer} off the
 * event loop; the answer completes when it has answered, failed or timed out, and never fails because
 * of it.
 */
final class HistoryDesk {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)?");
    /** The longest wait for the peer's view: its fetch gives up sooner (PeerFetch). */
    static final long PEER_LIMIT_S = 6;

    /** The peer's view of the last {@code sinceMs} (all when negative); empty when there is no peer. */
    interface Peer {
        Optional<CompletableFuture<PeerView>> fetch(long sinceMs);

        Optional<String> name();
    }

    private final LongFunction<List<StoredEvent>> since;
    private final LongSupplier now;
    private volatile String localNode = "";
    private volatile Peer peer = new Peer() {
        @Override
        public Optional<CompletableFuture<PeerView>> fetch(long sinceMs) {
            return Optional.empty();
        }

        @Override
        public Optional<String> name() {
            return Optional.empty();
        }
    };

    HistoryDesk(LongFunction<List<StoredEvent>> since, LongSupplier now) {
        this.since = since;
        this.now = now;
    }

    /** Where the peer's view comes from, and this node's name (for the merged chain). */
    void peer(Peer peer, String localNode) {
        this.peer = peer;
        this.localNode = localNode;
    }

    CompletableFuture<ControlReply> events(List<String> args) {
        boolean json = false;
        boolean local = false;
        long from = Long.MIN_VALUE;
        long sinceMs = -1;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--json")) {
                json = true;
            } else if (a.equals("--local")) {
                local = true;
            } else if (a.equals("--since") && i + 1 < args.size() || a.startsWith("--since=")) {
                String value = a.equals("--since") ? args.get(++i) : a.substring("--since=".length());
                long ms = duration(value);
                if (ms < 0) {
                    return done(ControlReply.fail(2, "tandem events: --since takes a duration (30s, 10m, 2h, 1d), not '" + value + "'\n" + USAGE_EVENTS));
                }
                from = now.getAsLong() - ms;
                sinceMs = ms;
            } else {
                return done(ControlReply.fail(2, "tandem events: unexpected argument '" + a + "'\n" + USAGE_EVENTS));
            }
        }
        List<StoredEvent> events = since.apply(from);
        boolean asJson = json;
        long first = from;
        Optional<CompletableFuture<PeerView>> view = local ? Optional.empty() : peerView(sinceMs);
        if (view.isEmpty()) {
            return done(ControlReply.ok(json ? EventText.json(events) : EventText.human(events)));
        }
        return view.get().thenApply(p -> {
            List<StoredEvent> merged = p.merge(events).stream().filter(e -> e.time() >= first).toList();
            if (asJson) {
                String all = EventText.json(merged); // {"events":[...]}\n
                return ControlReply.ok(all.substring(0, all.length() - 2) + ",\"peer\":" + p.json() + "}\n");
            }
            return new ControlReply(0, EventText.human(merged), p.reachable() ? "" : "tandem events: " + p.note() + "\n");
        });
    }

    CompletableFuture<ControlReply> why(List<String> args) {
        boolean json = false;
        boolean local = false;
        String group = "";
        for (String a : args) {
            if (a.equals("--json")) {
                json = true;
            } else if (a.equals("--local")) {
                local = true;
            } else if (group.isEmpty() && !a.startsWith("-")) {
                group = a;
            } else {
                return done(ControlReply.fail(2, "tandem why: unexpected argument '" + a + "'\nUsage: tandem why [GROUP] [--json] [--local]\n"));
            }
        }
        List<StoredEvent> events = since.apply(Long.MIN_VALUE);
        String name = group;
        boolean asJson = json;
        Optional<CompletableFuture<PeerView>> view = local ? Optional.empty() : peerView(-1);
        if (view.isEmpty()) {
            var chain = WhyChain.of(events, group);
            if (chain.isEmpty()) {
                return done(ControlReply.fail(1, "tandem why: no move of " + (group.isEmpty() ? "any group" : group)
                        + " in this node's event history\n"));
            }
            return done(ControlReply.ok(json ? WhyChain.json(WhyChain.groupOf(events, group), chain.get()) : WhyChain.human(chain.get())));
        }
        return view.get().thenApply(p -> {
            String note = p.reachable() ? "" : "tandem why: " + p.note() + "\n";
            var answer = MergedWhy.of(localNode, events, p, name);
            if (answer.isEmpty()) {
                return ControlReply.fail(1, note + "tandem why: no move of " + (name.isEmpty() ? "any group" : name) + " in the event history of "
                        + (p.reachable() ? "this node or " + io.tandem.daemon.log.LogText.clean(p.node()) : "this node") + "\n");
            }
            return new ControlReply(0, asJson ? MergedWhy.json(answer.get(), p) : MergedWhy.human(answer.get().steps()), note);
        });
    }

    /** The peer's view, or its absence in words when it takes longer than {@link #PEER_LIMIT_S}. */
    private Optional<CompletableFuture<PeerView>> peerView(long sinceMs) {
        Peer p = peer;
        String name = p.name().orElse("peer");
        return p.fetch(sinceMs).map(f -> f.completeOnTimeout(PeerView.unreachable(name, "no answer within " + PEER_LIMIT_S + " s"),
                PEER_LIMIT_S, TimeUnit.SECONDS));
    }

    private static CompletableFuture<ControlReply> done(ControlReply reply) {
        return CompletableFuture.completedFuture(reply);
    }

    private static final String USAGE_EVENTS = "Usage: tandem events [--since DURATION] [--json]\n";

    /** {@code 90}, {@code 90s}, {@code 500ms}, {@code 10m}, {@code 2h}, {@code 1d} in ms; -1 when it is none. */
    static long duration(String text) {
        Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return -1;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> n;
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> n * 86_400_000;
        };
    }
}
